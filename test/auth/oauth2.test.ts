import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import type { AuthStrategy } from '../../src/auth/types';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
} from '../../src/errors';
import type { OAuth2Auth } from '../../src/options';
import { issueTokens, sendJson, startTokenServer, type TokenServer } from './helpers/token-server';

const CLIENT_ID = 'smartpass client:1';
const CLIENT_SECRET = 'sh+h/secret value!';
const api = new URL('https://x.test/ims/oneroster/rostering/v1p2/users');

let server: TokenServer;

beforeEach(async () => {
  server = await startTokenServer();
});
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

function oauth2(extra: Partial<OAuth2Auth> = {}): AuthStrategy {
  return createAuthStrategy(
    {
      type: 'oauth2',
      tokenUrl: server.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...extra,
    },
    { fetch: globalThis.fetch },
  );
}

async function bearer(strategy: AuthStrategy, signal?: AbortSignal): Promise<string> {
  const headers = await strategy.authorize({ method: 'GET', url: api, signal });
  return headers.Authorization ?? '';
}

/** A gate the test opens to let held token responses through. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(error: Error, ...secrets: string[]) {
  const views = [error.message, String(error), inspect(error, { depth: 5 }), JSON.stringify(error)];
  for (const view of views) {
    for (const secret of secrets) expect(view).not.toContain(secret);
  }
}

describe('token request on the wire', () => {
  it('uses HTTP Basic with form-encoded id and secret by default', async () => {
    expect(await bearer(oauth2({ scope: 'roster.readonly roster-core.readonly' }))).toBe(
      'Bearer token-1',
    );
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth/token');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.accept).toBe('application/json');
    // RFC 6749 §2.3.1: form-encode id and secret, then Base64 `id:secret`.
    const expected = Buffer.from('smartpass+client%3A1:sh%2Bh%2Fsecret+value%21').toString(
      'base64',
    );
    expect(request?.headers.authorization).toBe(`Basic ${expected}`);
    const form = new URLSearchParams(request?.body);
    expect([...form.keys()]).toEqual(['grant_type', 'scope']);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('roster.readonly roster-core.readonly');
    expect(request?.body).not.toContain('secret');
  });

  it('sends client_id and client_secret in the body when asked', async () => {
    await bearer(oauth2({ clientAuthentication: 'body', scope: ['a', 'b'] }));
    const [request] = server.requests;
    expect(request?.headers.authorization).toBeUndefined();
    const form = new URLSearchParams(request?.body);
    expect(form.get('client_id')).toBe(CLIENT_ID);
    expect(form.get('client_secret')).toBe(CLIENT_SECRET);
    expect(form.get('scope')).toBe('a b');
  });

  it('omits scope when none is configured', async () => {
    await bearer(oauth2());
    expect(new URLSearchParams(server.requests[0]?.body).has('scope')).toBe(false);
  });
});

describe('caching and expiry', () => {
  it('reuses the cached token', async () => {
    const strategy = oauth2();
    for (let i = 0; i < 5; i++) expect(await bearer(strategy)).toBe('Bearer token-1');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['expires_in 3600: 60 s skew', { expires_in: 3600 }, 3_540_000],
    ['expires_in 30: 10% skew', { expires_in: 30 }, 27_000],
    ['expires_in as a string', { expires_in: '120' }, 108_000],
    ['no expires_in: 5 minute default', {}, 270_000],
    ['expires_in 0: treated as absent', { expires_in: 0 }, 270_000],
  ])('%s', async (_name, extra, refreshAtMs) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    server.handle(issueTokens(extra));
    const strategy = oauth2();
    expect(await bearer(strategy)).toBe('Bearer token-1');
    vi.setSystemTime(1_800_000_000_000 + refreshAtMs - 1);
    expect(await bearer(strategy)).toBe('Bearer token-1');
    vi.setSystemTime(1_800_000_000_000 + refreshAtMs);
    expect(await bearer(strategy)).toBe('Bearer token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('does not cache a failure: the next call asks again', async () => {
    server.handle((_r, res) => sendJson(res, 401, { error: 'invalid_client' }));
    const strategy = oauth2();
    await expect(bearer(strategy)).rejects.toBeInstanceOf(AuthenticationError);
    server.handle(issueTokens());
    expect(await bearer(strategy)).toBe('Bearer token-1');
    expect(server.requests).toHaveLength(2);
  });
});

describe('single flight', () => {
  it('50 concurrent authorize() calls make exactly one token request', async () => {
    const release = gate();
    const issue = issueTokens();
    server.handle(async (request, response) => {
      await release.opened;
      issue(request, response);
    });
    const strategy = oauth2();
    const all = Promise.all(Array.from({ length: 50 }, () => bearer(strategy)));
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 5_000 });
    release.open();
    const headers = await all;
    expect(new Set(headers)).toEqual(new Set(['Bearer token-1']));
    expect(server.requests).toHaveLength(1);
  });

  it('10 concurrent refresh() calls for the same stale token make one request', async () => {
    const strategy = oauth2();
    expect(await bearer(strategy)).toBe('Bearer token-1');
    const results = await Promise.all(Array.from({ length: 10 }, () => strategy.refresh?.()));
    expect(results).toEqual(Array(10).fill(true));
    expect(server.requests).toHaveLength(2);
    expect(await bearer(strategy)).toBe('Bearer token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('refresh() forces a new token although the cached one has not expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    const strategy = oauth2();
    await bearer(strategy);
    expect(await strategy.refresh?.()).toBe(true);
    expect(await bearer(strategy)).toBe('Bearer token-2');
    // A request that got its 401 with token-1 a moment later reuses token-2 …
    vi.setSystemTime(1_800_000_001_500);
    expect(await strategy.refresh?.()).toBe(true);
    expect(server.requests).toHaveLength(2);
    // … but a 401 well after the refresh means token-2 itself was rejected.
    vi.setSystemTime(1_800_000_002_000);
    expect(await strategy.refresh?.()).toBe(true);
    expect(await bearer(strategy)).toBe('Bearer token-3');
  });

  it('authorize() during a refresh waits for the new token instead of reusing the rejected one', async () => {
    const strategy = oauth2();
    await bearer(strategy);
    const release = gate();
    const issue = issueTokens({ expires_in: 3600 }, 'fresh');
    server.handle(async (request, response) => {
      await release.opened;
      issue(request, response);
    });
    const refreshing = strategy.refresh?.();
    const waiting = bearer(strategy);
    await vi.waitFor(() => expect(server.requests).toHaveLength(2), { timeout: 5_000 });
    release.open();
    expect(await refreshing).toBe(true);
    expect(await waiting).toBe('Bearer fresh-1');
    expect(server.requests).toHaveLength(2);
  });
});

describe('cancellation', () => {
  it('one aborted waiter stops waiting; the others still get the token', async () => {
    const release = gate();
    const issue = issueTokens();
    server.handle(async (request, response) => {
      await release.opened;
      issue(request, response);
    });
    const strategy = oauth2();
    const controller = new AbortController();
    const aborted = bearer(strategy, controller.signal);
    const other = bearer(strategy);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 5_000 });
    controller.abort();
    expect(await caught(aborted)).toBeInstanceOf(AbortError);
    release.open();
    expect(await other).toBe('Bearer token-1');
    expect(await server.requests[0]?.aborted).toBe(false);
  });

  it('the token request is cancelled when its last waiter aborts', async () => {
    server.handle(() => {
      // never answers
    });
    const strategy = oauth2();
    const controller = new AbortController();
    const pending = bearer(strategy, controller.signal);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 5_000 });
    controller.abort();
    expect(await caught(pending)).toBeInstanceOf(AbortError);
    expect(await server.requests[0]?.aborted).toBe(true);
    // A later call starts afresh.
    server.handle(issueTokens());
    expect(await bearer(strategy)).toBe('Bearer token-1');
  });

  it('a call right after the last waiter aborted starts a fresh request instead of failing', async () => {
    let n = 0;
    server.handle((request, response) => {
      n++;
      // The first request never answers; the second does.
      if (n > 1) issueTokens({ expires_in: 3600 }, 'second')(request, response);
    });
    const strategy = oauth2();
    const controller = new AbortController();
    const first = bearer(strategy, controller.signal);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 5_000 });
    controller.abort();
    const second = bearer(strategy);
    expect(await caught(first)).toBeInstanceOf(AbortError);
    expect(await second).toBe('Bearer second-1');
    expect(server.requests).toHaveLength(2);
  });

  it('an already aborted signal rejects without a request', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(bearer(oauth2(), controller.signal)).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('token endpoint errors', () => {
  it.each([
    [401, 'invalid_client', AuthenticationError],
    [400, 'invalid_grant', AuthenticationError],
    [400, 'invalid_scope', AuthenticationError],
    [403, 'access_denied', PermissionDeniedError],
  ])('HTTP %i %s', async (status, code, type) => {
    server.handle((_r, res) =>
      sendJson(res, status, { error: code, error_description: `rejected ${CLIENT_SECRET}` }),
    );
    const error = await caught(bearer(oauth2()));
    expect(error).toBeInstanceOf(type);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(status);
    expect(apiError.retryable).toBe(false);
    expect(apiError.codeMinor).toBe(code);
    expect(apiError.message).toContain(server.url);
    expect(apiError.message).toContain(code);
    expect(apiError.message).toContain(`client id "${CLIENT_ID}"`);
    expect(apiError.message).toContain('[REDACTED]');
    const basic = Buffer.from('smartpass+client%3A1:sh%2Bh%2Fsecret+value%21').toString('base64');
    expectNoSecrets(apiError, CLIENT_SECRET, basic);
    expect(server.requests).toHaveLength(1);
  });

  it('401 without a JSON body is still an AuthenticationError naming the client', async () => {
    server.handle((_r, res) => {
      res.writeHead(401, { 'content-type': 'text/html' });
      res.end('<html>nope</html>');
    });
    const error = await caught(bearer(oauth2()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain(`client id "${CLIENT_ID}"`);
  });

  it('404 points at auth.tokenUrl', async () => {
    server.handle((_r, res) => sendJson(res, 404, { error: 'not_found' }));
    const error = await caught(bearer(oauth2()));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain('auth.tokenUrl');
  });

  it('does not follow a redirect (it would carry the credentials elsewhere)', async () => {
    server.handle((_r, res) => {
      res.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    const error = await caught(bearer(oauth2()));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(307);
    expect(error.message).toContain('redirected');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['an HTML page', 'text/html', '<html>login</html>'],
    ['truncated JSON', 'application/json', '{"access_token":"abc'],
    ['JSON without access_token', 'application/json', '{"token_type":"Bearer"}'],
    ['an empty access_token', 'application/json', '{"access_token":""}'],
    ['a JSON array', 'application/json', '[]'],
  ])(
    'a 200 with %s is an InvalidResponseError, not retried, without the body',
    async (_n, type, body) => {
      server.handle((_r, res) => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      });
      const error = await caught(bearer(oauth2()));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect((error as InvalidResponseError).retryable).toBe(false);
      expect(error.message).toContain('auth.tokenUrl');
      expect(error.message).not.toContain('abc');
      expect(server.requests).toHaveLength(1);
    },
  );
});

describe('describe() and secrets()', () => {
  it('describe() names the client id and token URL but no secret', async () => {
    const text = oauth2().describe();
    expect(text).toBe(
      `OAuth 2 client credentials (client id "${CLIENT_ID}", token URL ${server.url})`,
    );
    expect(text).not.toContain(CLIENT_SECRET);
  });

  it('secrets() holds the client secret, the current token and the one before it', async () => {
    const strategy = oauth2();
    expect(strategy.secrets()).toEqual([CLIENT_SECRET]);
    await bearer(strategy);
    expect(strategy.secrets()).toEqual([CLIENT_SECRET, 'token-1']);
    await strategy.refresh?.();
    expect(strategy.secrets()).toEqual([CLIENT_SECRET, 'token-2', 'token-1']);
  });
});
