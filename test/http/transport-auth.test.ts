import { afterEach, describe, expect, it } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import {
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from '../../src/auth/oauth1-signature';
import type { AuthStrategy } from '../../src/auth/types';
import { AuthenticationError, OneRosterError } from '../../src/errors';
import type { ClientEvent } from '../../src/options';
import { rotatingBearer } from './helpers/auth';
import { virtualClock } from './helpers/clock';
import { json, startServer, type TestServer } from './helpers/server';
import { failure, transportFor } from './helpers/transport';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}

const CONSUMER_KEY = 'district-key-0001';
const CONSUMER_SECRET = 'consumer-secret-Zq9!x';

function verifyOAuth1(
  method: string,
  origin: string,
  rawUrl: string,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const params = parseOAuthAuthorizationHeader(header);
  if (!params?.oauth_signature) return false;
  const base = oauth1BaseString(method, new URL(rawUrl, origin), params);
  const method_ = params.oauth_signature_method === 'HMAC-SHA1' ? 'HMAC-SHA1' : 'HMAC-SHA256';
  return oauth1Signature(base, CONSUMER_SECRET, method_) === params.oauth_signature;
}

describe('OAuth 1.0a through the transport', () => {
  it('re-signs every attempt (fresh nonce) over the exact URL sent, and every signature verifies', async () => {
    let origin = '';
    const verdicts: boolean[] = [];
    const server = await serve((req, res, i) => {
      verdicts.push(verifyOAuth1('GET', origin, req.url ?? '', req.headers.authorization));
      if (i < 2) json(res, 503, {});
      else json(res, 200, { users: [] });
    });
    origin = server.origin;
    const auth = createAuthStrategy(
      { type: 'oauth1', consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET },
      { fetch: globalThis.fetch },
    );
    const transport = transportFor(origin, { auth, ...virtualClock() });
    await transport.get({
      path: '/users',
      query: {
        filter: "role='student' AND givenName='Ann Marie'",
        fields: ['sourcedId', 'givenName'],
        limit: 100,
      },
    });
    expect(verdicts).toEqual([true, true, true]);
    const headers = server.arrivals.map((a) => a.headers.authorization);
    expect(new Set(headers).size).toBe(3);
    const nonces = headers.map((h) => parseOAuthAuthorizationHeader(h ?? '')?.oauth_nonce);
    expect(new Set(nonces).size).toBe(3);
    // Sent with %20 and exactly as serialised (never re-encoded by ky / URLSearchParams).
    expect(server.arrivals[0]?.rawUrl).toBe(
      '/ims/oneroster/v1p1/users?filter=role%3D%27student%27%20AND%20givenName%3D%27Ann%20Marie%27&fields=sourcedId%2CgivenName&limit=100',
    );
  });

  it('a 401 is not replayed (refresh cannot help) and names the OAuth 1.0a checks, never the secret', async () => {
    const server = await serve((_req, res) =>
      json(res, 401, {
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_codeMinor: 'unauthorisedrequest',
      }),
    );
    const auth = createAuthStrategy(
      { type: 'oauth1', consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET },
      { fetch: globalThis.fetch },
    );
    const error = await failure(transportFor(server.origin, { auth }).get({ path: '/users' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('consumer key and secret');
    expect(error.message).toContain('server clock');
    expect(error.message).toContain('OAuth 1.0a');
    expect(error.message).toContain('unauthorisedrequest');
    expect(error.message).not.toContain(CONSUMER_SECRET);
    expect(error.message).not.toContain(CONSUMER_KEY); // only a 4-character hint of it
    expect(server.arrivals).toHaveLength(1);
  });
});

describe('401 handling', () => {
  it('refreshes once and replays once, not counted as a retry', async () => {
    const server = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer new-token-2222') json(res, 200, { users: [] });
      else json(res, 401, {});
    });
    const auth = rotatingBearer(['old-token-1111', 'new-token-2222']);
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, {
      auth,
      retry: { retries: 0 },
      onEvent: (e) => events.push(e),
    });
    const response = await transport.get({ path: '/users' });
    expect(response.status).toBe(200);
    expect(server.arrivals.map((a) => a.headers.authorization)).toEqual([
      'Bearer old-token-1111',
      'Bearer new-token-2222',
    ]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
  });

  it('a second 401 throws AuthenticationError with a hint and no secret', async () => {
    const server = await serve((_req, res) =>
      json(res, 401, { errors: [{ codeMajor: 'failure', description: 'token rejected' }] }),
    );
    let refreshes = 0;
    const base = rotatingBearer(['old-token-1111', 'new-token-2222', 'third-token-3333']);
    const auth: AuthStrategy = {
      ...base,
      refresh: async () => {
        refreshes++;
        return base.refresh?.() ?? false;
      },
    };
    const error = await failure(transportFor(server.origin, { auth }).get({ path: '/users' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(refreshes).toBe(1);
    expect(server.arrivals).toHaveLength(2);
    expect(error.message).toContain('bearer token is current');
    expect(error.message).toContain('token rejected');
    for (const secret of ['old-token-1111', 'new-token-2222'])
      expect(error.message).not.toContain(secret);
  });

  it('OAuth 2: a 401 fetches a new token from the token endpoint and replays', async () => {
    let issued = 0;
    const tokenServer = await serve((req, res) => {
      issued++;
      req.resume();
      json(res, 200, {
        access_token: `access-token-${issued}-abcdef`,
        token_type: 'Bearer',
        expires_in: 3600,
      });
    });
    const server = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer access-token-2-abcdef')
        json(res, 200, { orgs: [] });
      else json(res, 401, {});
    });
    const auth = createAuthStrategy(
      {
        type: 'oauth2',
        tokenUrl: `${tokenServer.origin}/token`,
        clientId: 'client-id-1',
        clientSecret: 'client-secret-XYZ987',
      },
      { fetch: globalThis.fetch },
    );
    expect((await transportFor(server.origin, { auth }).get({ path: '/orgs' })).body).toEqual({
      orgs: [],
    });
    expect(issued).toBe(2);
  });

  it('OAuth 2: a persistent 401 names the token URL, client id and scopes, not the secret', async () => {
    const tokenServer = await serve((req, res) => {
      req.resume();
      json(res, 200, {
        access_token: 'some-access-token-value',
        token_type: 'Bearer',
        expires_in: 3600,
      });
    });
    const server = await serve((_req, res) => json(res, 401, {}));
    const auth = createAuthStrategy(
      {
        type: 'oauth2',
        tokenUrl: `${tokenServer.origin}/token`,
        clientId: 'client-id-1',
        clientSecret: 'client-secret-XYZ987',
      },
      { fetch: globalThis.fetch },
    );
    const error = await failure(transportFor(server.origin, { auth }).get({ path: '/orgs' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('token URL');
    expect(error.message).toContain('client-id-1');
    expect(error.message).toContain('scopes');
    expect(error.message).not.toContain('client-secret-XYZ987');
    expect(error.message).not.toContain('some-access-token-value');
  });

  it('a failing authorize() surfaces as a typed error with the secret redacted', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const auth: AuthStrategy = {
      type: 'bearer',
      authorize: async () => {
        throw new Error('vault said no for token super-secret-token-1');
      },
      describe: () => 'Bearer token (from a function)',
      secrets: () => ['super-secret-token-1'],
    };
    const error = await failure(transportFor(server.origin, { auth }).get({ path: '/orgs' }));
    expect(error).toBeInstanceOf(OneRosterError);
    expect((error as OneRosterError).code).toBe('authentication_failed');
    expect(error.message).not.toContain('super-secret-token-1');
    expect(server.arrivals).toHaveLength(0);
  });

  it('a retryable error from the token endpoint is retried by the same loop', async () => {
    let calls = 0;
    const server = await serve((_req, res) => json(res, 200, { orgs: [] }));
    const auth: AuthStrategy = {
      type: 'oauth2',
      authorize: async () => {
        calls++;
        if (calls === 1) {
          const { ConnectionError } = await import('../../src/errors');
          throw new ConnectionError('POST https://idp.test/token failed: connection reset');
        }
        return { authorization: 'Bearer fine-token-123' };
      },
      describe: () => 'OAuth 2',
      secrets: () => ['fine-token-123'],
    };
    const clock = virtualClock();
    await transportFor(server.origin, { auth, ...clock }).get({ path: '/orgs' });
    expect(calls).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
  });
});
