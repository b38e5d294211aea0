import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import {
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from '../../src/auth/oauth1-signature';
import type { AuthStrategy } from '../../src/auth/types';
import { AbortError } from '../../src/errors';
import { serializeQuery } from '../../src/query/serialize';

const KEY = 'ck_district_1234567890';
const SECRET = 'cs/with+special&chars é';
const noFetch: typeof fetch = () => Promise.reject(new Error('OAuth 1.0a must not fetch'));

function oauth1(
  extra: { signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1' } = {},
  deps: { now?: () => number; nonce?: () => string } = {},
): AuthStrategy {
  return createAuthStrategy(
    { type: 'oauth1', consumerKey: KEY, consumerSecret: SECRET, ...extra },
    { fetch: noFetch, ...deps },
  );
}

function usersUrl(query: Parameters<typeof serializeQuery>[0]): URL {
  return new URL(
    `https://district-tx-v2.oneroster.com/ims/oneroster/v1p1/users?${serializeQuery(query)}`,
  );
}

async function sign(strategy: AuthStrategy, url: URL, method = 'GET') {
  const headers = await strategy.authorize({ method, url });
  const params = parseOAuthAuthorizationHeader(headers.Authorization ?? '');
  if (!params) throw new Error(`not an OAuth header: ${headers.Authorization}`);
  return params;
}

/** What a server does: recompute the signature from the received header and URL. */
function verify(method: string, url: URL, params: Record<string, string>, secret = SECRET) {
  const signatureMethod = params.oauth_signature_method as 'HMAC-SHA256' | 'HMAC-SHA1';
  const expected = oauth1Signature(oauth1BaseString(method, url, params), secret, signatureMethod);
  return expected === params.oauth_signature;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('OAuth 1.0a strategy', () => {
  const url = usersUrl({ limit: 100, offset: 0, filter: "status='active' AND role='student'" });

  it('sends exactly the six RFC parameters in an Authorization: OAuth header', async () => {
    const headers = await oauth1().authorize({ method: 'GET', url });
    expect(Object.keys(headers)).toEqual(['Authorization']);
    expect(headers.Authorization).toMatch(/^OAuth oauth_consumer_key="/);
    const params = parseOAuthAuthorizationHeader(headers.Authorization ?? '');
    expect(Object.keys(params ?? {}).sort()).toEqual([
      'oauth_consumer_key',
      'oauth_nonce',
      'oauth_signature',
      'oauth_signature_method',
      'oauth_timestamp',
      'oauth_version',
    ]);
    expect(params).toMatchObject({
      oauth_consumer_key: KEY,
      oauth_signature_method: 'HMAC-SHA256',
      oauth_version: '1.0',
    });
  });

  it('produces a deterministic known header from an injected clock and nonce', async () => {
    const strategy = oauth1({}, { now: () => 1_700_000_000_999, nonce: () => 'fixednonce' });
    const params = await sign(strategy, new URL('https://x.test/ims/oneroster/v1p1/orgs?limit=5'));
    expect(params.oauth_timestamp).toBe('1700000000');
    expect(params.oauth_nonce).toBe('fixednonce');
    const base =
      'GET&https%3A%2F%2Fx.test%2Fims%2Foneroster%2Fv1p1%2Forgs&limit%3D5%26oauth_consumer_key%3Dck_district_1234567890%26oauth_nonce%3Dfixednonce%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0';
    expect(params.oauth_signature).toBe(oauth1Signature(base, SECRET, 'HMAC-SHA256'));
  });

  it('round-trips: a server recomputing from the header and URL accepts the signature', async () => {
    for (const method of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
      const strategy = oauth1({ signatureMethod: method });
      const params = await sign(strategy, url);
      expect(params.oauth_signature_method).toBe(method);
      expect(verify('GET', url, params)).toBe(true);
      expect(verify('GET', url, params, `${SECRET}x`)).toBe(false);
    }
  });

  it('signs awkward queries correctly (quotes, +, %, non-ASCII, fields list)', async () => {
    const strategy = oauth1();
    const awkward = usersUrl({
      filter: "email~'a+b%c' OR familyName='O''Brien-Zoë 🎒'",
      fields: ['sourcedId', 'email'],
      sort: 'familyName',
      orderBy: 'desc',
    });
    expect(verify('GET', awkward, await sign(strategy, awkward))).toBe(true);
  });

  it('covers the exact URL: one changed query character, path or method breaks it', async () => {
    const strategy = oauth1();
    const params = await sign(strategy, url);
    const changedQuery = new URL(url.href.replace('student', 'studenT'));
    expect(verify('GET', changedQuery, params)).toBe(false);
    const changedPath = new URL(url.href.replace('/users', '/usersx'));
    expect(verify('GET', changedPath, params)).toBe(false);
    expect(verify('POST', url, params)).toBe(false);
    const extraParam = new URL(`${url.href}&x=1`);
    expect(verify('GET', extraParam, params)).toBe(false);
  });

  it('uses a fresh nonce and timestamp on every call (every retry attempt)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T00:00:00Z'));
    const strategy = oauth1();
    const first = await sign(strategy, url);
    vi.setSystemTime(new Date('2026-03-01T00:00:07Z'));
    const second = await sign(strategy, url);
    expect(first.oauth_timestamp).toBe(String(Date.UTC(2026, 2, 1) / 1000));
    expect(Number(second.oauth_timestamp) - Number(first.oauth_timestamp)).toBe(7);
    expect(second.oauth_nonce).not.toBe(first.oauth_nonce);
    expect(second.oauth_signature).not.toBe(first.oauth_signature);
    expect(verify('GET', url, second)).toBe(true);
  });

  it('draws nonces from a cryptographic source: 128-bit hex, no repeats', async () => {
    const strategy = oauth1();
    const nonces = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const { oauth_nonce } = await sign(strategy, url);
      expect(oauth_nonce).toMatch(/^[0-9a-f]{32}$/);
      nonces.add(oauth_nonce ?? '');
    }
    expect(nonces.size).toBe(500);
  });

  it('refresh() returns false: replaying a rejected signature cannot help', async () => {
    expect(await oauth1().refresh?.()).toBe(false);
  });

  it('describe() names the method and only the first 4 characters of the key', () => {
    const text = oauth1({ signatureMethod: 'HMAC-SHA1' }).describe();
    expect(text).toBe('OAuth 1.0a (HMAC-SHA1, consumer key "ck_d…")');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
  });

  it('secrets() returns the consumer secret for log redaction', () => {
    expect(oauth1().secrets()).toEqual([SECRET]);
  });

  it('refuses query parameters it cannot sign unambiguously (oauth_* names, __proto__)', async () => {
    for (const name of ['oauth_nonce', '__proto__']) {
      const bad = new URL(`${url.origin}${url.pathname}?${name}=x&limit=1`);
      await expect(oauth1().authorize({ method: 'GET', url: bad })).rejects.toMatchObject({
        code: 'configuration_error',
      });
    }
  });

  it('rejects an already aborted signal with AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      oauth1().authorize({ method: 'GET', url, signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
  });
});
