/**
 * The mock server's auth, from outside: an OAuth 1.0a signer written here (not the package's
 * src/auth), raw token-endpoint requests, bearer headers.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  createMockOneRoster,
  generateDistrict,
  type MockAuthOptions,
  type MockOneRoster,
} from '../../src/testing';

const dataset = generateDistrict({ seed: 4, schools: 1, studentsPerSchool: 10 });

// ---- an independent OAuth 1.0a signer (RFC 5849 §3.4) ----
const enc = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function signOAuth1(
  method: string,
  url: string,
  consumer: { key: string; secret: string },
  options: { algorithm?: 'HMAC-SHA256' | 'HMAC-SHA1'; timestamp?: number; nonce?: string } = {},
): string {
  const u = new URL(url);
  const algorithm = options.algorithm ?? 'HMAC-SHA256';
  const oauth: Record<string, string> = {
    oauth_consumer_key: consumer.key,
    oauth_nonce: options.nonce ?? randomUUID().replaceAll('-', ''),
    oauth_signature_method: algorithm,
    oauth_timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  };
  const params: Array<[string, string]> = u.search
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((piece) => {
      const at = piece.indexOf('=');
      return [decodeURIComponent(piece.slice(0, at)), decodeURIComponent(piece.slice(at + 1))];
    });
  params.push(...Object.entries(oauth));
  const normalised = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a, b], [c, d]) => (a !== c ? (a < c ? -1 : 1) : b < d ? -1 : b > d ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [method, enc(`${u.protocol}//${u.host}${u.pathname}`), enc(normalised)].join('&');
  const signature = createHmac(
    algorithm === 'HMAC-SHA1' ? 'sha1' : 'sha256',
    `${enc(consumer.secret)}&`,
  )
    .update(base)
    .digest('base64');
  const header = Object.entries({ ...oauth, oauth_signature: signature })
    .map(([k, v]) => `${enc(k)}="${enc(v)}"`)
    .join(', ');
  return `OAuth realm="OneRoster", ${header}`;
}

const consumer = { key: 'district-key', secret: "s3cr&t with spaces/'quotes'" };
const oauth1: MockAuthOptions = { type: 'oauth1', consumers: { [consumer.key]: consumer.secret } };
const path = `/users?limit=5&filter=${enc("givenName~'a b' AND status='active'")}`;

async function signedGet(
  mock: MockOneRoster,
  url: string,
  options: Parameters<typeof signOAuth1>[3] = {},
) {
  return mock.fetch(url, { headers: { authorization: signOAuth1('GET', url, consumer, options) } });
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each(['1.1', '1.2'] as const)('OAuth 1.0a (%s)', (version) => {
  it.each(['HMAC-SHA256', 'HMAC-SHA1'] as const)(
    'accepts a correct %s signature',
    async (algorithm) => {
      const mock = createMockOneRoster({ dataset, version, auth: oauth1 });
      const res = await signedGet(mock, `${mock.baseUrl}${path}`, { algorithm });
      expect(res.status).toBe(200);
      expect(mock.log.last()?.auth).toBe('ok');
    },
  );

  it('verifies over the URL as received (real HTTP, host and port included)', async () => {
    const mock = createMockOneRoster({ dataset, version, auth: oauth1 });
    const listener = await mock.listen();
    try {
      const url = `${listener.baseUrl}${path}`;
      const ok = await fetch(url, { headers: { authorization: signOAuth1('GET', url, consumer) } });
      expect(ok.status).toBe(200);
      // Signed for one URL, sent to another: the signature must not verify.
      const other = `${listener.baseUrl}/users?limit=6`;
      const bad = await fetch(other, {
        headers: { authorization: signOAuth1('GET', url, consumer) },
      });
      expect(bad.status).toBe(401);
    } finally {
      await listener.close();
    }
  });

  it.each([
    ['missing', () => ({})],
    ['invalid', () => ({ authorization: 'OAuth this is not a header' })],
    ['invalid', () => ({ authorization: 'Bearer abc' })],
  ] as const)('401 %s credentials', async (outcome, headers) => {
    const mock = createMockOneRoster({ dataset, version, auth: oauth1 });
    const res = await mock.fetch(`${mock.baseUrl}/users`, { headers: headers() });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^OAuth realm=/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(JSON.stringify(body)).toContain('unauthorisedrequest');
    expect('imsx_messageRefIdentifier' in body).toBe(version === '1.1');
    expect(mock.log.last()?.auth).toBe(outcome);
  });

  it('401 for an unknown consumer key and a wrong secret', async () => {
    const mock = createMockOneRoster({ dataset, version, auth: oauth1 });
    const url = `${mock.baseUrl}/users`;
    const stranger = await mock.fetch(url, {
      headers: {
        authorization: signOAuth1('GET', url, { key: 'nobody', secret: consumer.secret }),
      },
    });
    expect(stranger.status).toBe(401);
    const wrong = await mock.fetch(url, {
      headers: { authorization: signOAuth1('GET', url, { key: consumer.key, secret: 'guess' }) },
    });
    expect(wrong.status).toBe(401);
    expect(mock.log.entries.map((e) => e.auth)).toEqual(['invalid', 'bad-signature']);
    // Nothing secret in what the server says back.
    expect(await wrong.text()).not.toContain(consumer.secret);
  });

  it('names non-OAuth parameters in the header when a signature fails', async () => {
    const mock = createMockOneRoster({ dataset, version, auth: oauth1 });
    const url = `${mock.baseUrl}/orgs?limit=5`;
    const header = signOAuth1('GET', url, consumer).replace(
      'OAuth realm="OneRoster", ',
      'OAuth limit="5", ',
    );
    const res = await mock.fetch(url, { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { imsx_description: string }).imsx_description).toContain(
      'non-OAuth parameters (limit)',
    );
  });

  it('rejects a signature method the server does not accept', async () => {
    const mock = createMockOneRoster({
      dataset,
      version,
      auth: { ...oauth1, type: 'oauth1', signatureMethods: ['HMAC-SHA256'] },
    });
    const res = await signedGet(mock, `${mock.baseUrl}/orgs`, { algorithm: 'HMAC-SHA1' });
    expect(res.status).toBe(401);
    expect(mock.log.last()?.auth).toBe('unsupported-method');
  });

  it('enforces the timestamp window both ways', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
    const mock = createMockOneRoster({
      dataset,
      version,
      auth: { ...oauth1, type: 'oauth1', timestampWindowS: 300 },
    });
    const now = Math.floor(Date.now() / 1000);
    const url = `${mock.baseUrl}/orgs`;
    expect((await signedGet(mock, url, { timestamp: now - 300 })).status).toBe(200);
    expect((await signedGet(mock, url, { timestamp: now - 301 })).status).toBe(401);
    expect((await signedGet(mock, url, { timestamp: now + 301 })).status).toBe(401);
    expect(mock.log.entries.map((e) => e.auth)).toEqual([
      'ok',
      'stale-timestamp',
      'stale-timestamp',
    ]);
  });

  it('rejects a replayed nonce, and forgets nonces once their timestamp is stale', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
    const mock = createMockOneRoster({ dataset, version, auth: oauth1 });
    const url = `${mock.baseUrl}/orgs`;
    const header = signOAuth1('GET', url, consumer, { nonce: 'n-1' });
    expect((await mock.fetch(url, { headers: { authorization: header } })).status).toBe(200);
    expect((await mock.fetch(url, { headers: { authorization: header } })).status).toBe(401);
    expect(mock.log.last()?.auth).toBe('replayed-nonce');
    // The same nonce with a new timestamp is a new request (RFC 5849 §3.3).
    vi.advanceTimersByTime(1000);
    expect((await signedGet(mock, url, { nonce: 'n-1' })).status).toBe(200);
  });
});

describe.each(['1.1', '1.2'] as const)('OAuth 2 client credentials (%s)', (version) => {
  const secret = 'p@ss:w+rd é';
  const auth: MockAuthOptions = {
    type: 'oauth2',
    clients: {
      full: { secret, scopes: ['roster.readonly', 'roster-demographics.readonly'] },
      core: {
        secret,
        scopes: [`https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly`],
      },
    },
    tokenTtlS: 60,
  };
  const form = 'application/x-www-form-urlencoded';
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  const basic = (id: string, s: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s).replaceAll('%20', '+')}`).toString('base64')}`;

  async function token(mock: MockOneRoster, body: string, headers: Record<string, string> = {}) {
    const res = await mock.fetch(mock.tokenUrl as string, {
      method: 'POST',
      headers: { 'content-type': form, ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, string | number> };
  }

  it('issues tokens with Basic or body client authentication', async () => {
    const mock = createMockOneRoster({ dataset, version, auth });
    expect(mock.tokenUrl).toBe('https://oneroster.mock.test/oauth2/token');
    const viaBasic = await token(mock, 'grant_type=client_credentials', {
      authorization: basic('full', secret),
    });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body).toMatchObject({ token_type: 'bearer', expires_in: 60 });
    const prefix = `https://purl.imsglobal.org/spec/or/${version === '1.1' ? 'v1p1' : 'v1p2'}/scope/`;
    expect(String(viaBasic.body.scope).split(' ').sort()).toEqual([
      `${prefix}roster-demographics.readonly`,
      `${prefix}roster.readonly`,
    ]);
    const viaBody = await token(
      mock,
      `grant_type=client_credentials&client_id=core&client_secret=${encodeURIComponent(secret)}&scope=${encodeURIComponent(`${prefix}roster-core.readonly`)}`,
    );
    expect(viaBody.status).toBe(200);
    expect(viaBody.body.scope).toBe(`${prefix}roster-core.readonly`);
  });

  it.each([
    [
      'a wrong secret',
      'grant_type=client_credentials',
      { authorization: basic('full', 'nope') },
      401,
      'invalid_client',
    ],
    ['no client authentication', 'grant_type=client_credentials', {}, 401, 'invalid_client'],
    [
      'two client authentications',
      `grant_type=client_credentials&client_secret=x`,
      { authorization: basic('full', secret) },
      400,
      'invalid_request',
    ],
    [
      'another grant type',
      'grant_type=password',
      { authorization: basic('full', secret) },
      400,
      'unsupported_grant_type',
    ],
    [
      'no grant type',
      'scope=roster.readonly',
      { authorization: basic('full', secret) },
      400,
      'invalid_request',
    ],
    [
      'a scope the client lacks',
      'grant_type=client_credentials&scope=roster.readonly',
      { authorization: basic('core', secret) },
      400,
      'invalid_scope',
    ],
  ])('refuses %s', async (_, body, headers, status, error) => {
    const mock = createMockOneRoster({ dataset, version, auth });
    const res = await token(mock, body, headers as Record<string, string>);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
  });

  it('only takes POST', async () => {
    const mock = createMockOneRoster({ dataset, version, auth });
    expect((await mock.fetch(mock.tokenUrl as string)).status).toBe(405);
  });

  it('checks scopes per endpoint (403 when missing)', async () => {
    const mock = createMockOneRoster({ dataset, version, auth });
    const core = await token(mock, 'grant_type=client_credentials', {
      authorization: basic('core', secret),
    });
    const full = await token(mock, 'grant_type=client_credentials', {
      authorization: basic('full', secret),
    });
    const call = async (t: unknown, p: string) =>
      mock.fetch(`${mock.baseUrl}${p}`, { headers: { authorization: `Bearer ${String(t)}` } });
    const school = dataset.orgs.toArray().find((o) => o.type === 'school')?.sourcedId;
    expect((await call(core.body.access_token, '/users')).status).toBe(200);
    const nested = await call(core.body.access_token, `/schools/${school}/classes`);
    expect(nested.status).toBe(403);
    expect(JSON.stringify(await nested.json())).toContain(
      version === '1.2' ? 'forbidden' : 'unauthorisedrequest',
    );
    expect((await call(core.body.access_token, '/demographics')).status).toBe(403);
    expect((await call(full.body.access_token, '/demographics')).status).toBe(200);
    expect((await call(full.body.access_token, `/schools/${school}/classes`)).status).toBe(200);
    expect((await call('made-up', '/users')).status).toBe(401);
    expect(mock.log.entries.filter((e) => e.path !== '/oauth2/token').map((e) => e.auth)).toEqual([
      'ok',
      'forbidden',
      'forbidden',
      'ok',
      'ok',
      'invalid',
    ]);
  });

  it('expires tokens after their lifetime, and on demand', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
    const mock = createMockOneRoster({ dataset, version, auth });
    const t = await token(mock, 'grant_type=client_credentials', {
      authorization: basic('full', secret),
    });
    const call = () =>
      mock.fetch(`${mock.baseUrl}/orgs`, {
        headers: { authorization: `Bearer ${String(t.body.access_token)}` },
      });
    vi.advanceTimersByTime(59_000);
    expect((await call()).status).toBe(200);
    vi.advanceTimersByTime(1_000);
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    expect(mock.log.last()?.auth).toBe('expired');

    const fresh = await token(mock, 'grant_type=client_credentials', {
      authorization: basic('full', secret),
    });
    mock.expireTokens();
    const revoked = await mock.fetch(`${mock.baseUrl}/orgs`, {
      headers: { authorization: `Bearer ${String(fresh.body.access_token)}` },
    });
    expect(revoked.status).toBe(401);
  });
});

describe('static bearer tokens', () => {
  it('accepts listed tokens only', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.1',
      auth: { type: 'bearer', tokens: ['t-1', 't-2'] },
    });
    const call = (h: Record<string, string>) => mock.fetch(`${mock.baseUrl}/orgs`, { headers: h });
    expect((await call({ authorization: 'Bearer t-2' })).status).toBe(200);
    expect((await call({ authorization: 'bearer t-1' })).status).toBe(200);
    expect((await call({ authorization: 'Bearer t-3' })).status).toBe(401);
    expect((await call({})).status).toBe(401);
    expect(mock.log.entries.map((e) => e.auth)).toEqual(['ok', 'ok', 'invalid', 'missing']);
  });
});

describe('auth options are checked', () => {
  it.each([
    [{ type: 'oauth1', consumers: {} }, 'auth.consumers'],
    [{ type: 'oauth1', consumers: { k: '' } }, 'auth.consumers.k'],
    [
      { type: 'oauth1', consumers: { k: 's' }, signatureMethods: ['PLAINTEXT'] },
      'auth.signatureMethods',
    ],
    [{ type: 'oauth2', clients: {} }, 'auth.clients'],
    [
      { type: 'oauth2', clients: { a: { secret: 's', scopes: [] } }, tokenPath: 'token' },
      'auth.tokenPath',
    ],
    [
      { type: 'oauth2', clients: { a: { secret: 's', scopes: [] } }, tokenTtlS: 0 },
      'auth.tokenTtlS',
    ],
    [{ type: 'bearer', tokens: [] }, 'auth.tokens'],
    [{ type: 'kerberos' }, 'auth.type'],
  ])('%j -> %s', (auth, option) => {
    const create = () =>
      createMockOneRoster({ dataset, version: '1.2', auth: auth as MockAuthOptions });
    expect(create).toThrow(ConfigurationError);
    try {
      create();
    } catch (error) {
      expect((error as ConfigurationError).option).toBe(option);
    }
  });
});
