/**
 * The mock ClassLink is a product feature (`./testing`): its endpoints are tested directly here,
 * the way a client other than ours would call them.
 */
import { createHash, createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { setupServer } from 'msw/node';
import { describe, expect, test } from 'vitest';
import { oauth1BaseString, oauth1Signature, parseOAuthAuthorizationHeader } from '../../src/auth';
import { createClassLinkSso } from '../../src/sso';
import { createMockClassLink, type MockClassLinkOptions } from '../../src/testing/classlink';

const CLIENT = {
  clientId: 'app-1',
  clientSecret: 's3cret:with/odd+chars',
  redirectUris: ['https://app.mock/cb', 'https://app.mock/other'],
};

function mockWith(options: MockClassLinkOptions = {}) {
  return createMockClassLink({
    clients: [CLIENT],
    tenants: [{ tenantId: 2, name: 'Demo <District>' }],
    users: [
      {
        loginId: 'ada',
        tenantId: 2,
        sourcedId: 'u-1',
        firstName: '<b>Ada</b>',
        lastName: 'L',
        password: 'pw',
        orgIds: ['s-1', 's-2'],
      },
    ],
    ...options,
  });
}

function authorizeUrl(mock: ReturnType<typeof mockWith>, params: Record<string, string> = {}) {
  const url = new URL(mock.endpoints.authorization);
  const all = {
    client_id: CLIENT.clientId,
    redirect_uri: 'https://app.mock/cb',
    response_type: 'code',
    scope: 'openid profile',
    state: 'st-1',
    nonce: 'n-1',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
  return url.href;
}

async function formPost(
  mock: ReturnType<typeof mockWith>,
  path: string,
  body: Record<string, string>,
) {
  return mock.fetch(`${mock.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
    redirect: 'manual',
  });
}

function requestIdOf(html: string): string {
  return /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

async function codeFor(mock: ReturnType<typeof mockWith>, params: Record<string, string> = {}) {
  return new URL(mock.login(authorizeUrl(mock, params), 'ada')).searchParams.get('code') ?? '';
}

async function token(
  mock: ReturnType<typeof mockWith>,
  body: Record<string, string>,
  init: RequestInit = {},
) {
  const response = await mock.fetch(mock.endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function decodeJwt(jwt: string) {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signed: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

describe('authorize endpoint', () => {
  test('shows a login form that signs in and redirects with code, state and response_type', async () => {
    const mock = mockWith();
    const page = await mock.fetch(authorizeUrl(mock));
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('id="login-form"');
    const request = requestIdOf(html);

    const wrong = await formPost(mock, '/oauth2/v2/auth/login', {
      request,
      username: 'ada',
      password: 'nope',
      action: 'login',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Incorrect username or password');

    const ok = await formPost(mock, '/oauth2/v2/auth/login', {
      request,
      username: 'ADA',
      password: 'pw',
      action: 'login',
    });
    expect(ok.status).toBe(302);
    const location = new URL(ok.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://app.mock/cb');
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);

    const again = await formPost(mock, '/oauth2/v2/auth/login', {
      request,
      username: 'ada',
      password: 'pw',
      action: 'login',
    });
    expect(again.status).toBe(400);
  });

  test('Cancel redirects with error=access_denied and the state', async () => {
    const mock = mockWith();
    const request = requestIdOf(await (await mock.fetch(authorizeUrl(mock))).text());
    const denied = await formPost(mock, '/oauth2/v2/auth/login', { request, action: 'deny' });
    const location = new URL(denied.headers.get('location') ?? '');
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'access_denied',
      state: 'st-1',
    });
  });

  test.each([
    [{ client_id: 'unknown' }],
    [{ redirect_uri: 'https://evil.example/cb' }],
    [{ redirect_uri: 'https://app.mock/cb/' }],
    [{ redirect_uri: '' }],
  ])('never redirects for %j', async (params) => {
    const mock = mockWith();
    const response = await mock.fetch(authorizeUrl(mock, params), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  test.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: '' }, 'invalid_scope'],
    [{ code_challenge: 'abc', code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge: 'abc' }, 'invalid_request'],
  ])('redirects %j back with error=%s', async (params, error) => {
    const mock = mockWith();
    const response = await mock.fetch(authorizeUrl(mock, params), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe(error);
  });

  test('autoLogin signs the user in without the form', async () => {
    const mock = mockWith({ autoLogin: 'ada' });
    const response = await mock.fetch(authorizeUrl(mock), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.has('code')).toBe(true);
    mock.setAutoLogin(undefined);
    expect((await mock.fetch(authorizeUrl(mock))).status).toBe(200);
  });
});

describe('token endpoint', () => {
  test("accepts ClassLink's own helper request: code, client_id and client_secret only", async () => {
    const mock = mockWith();
    const code = await codeFor(mock);
    const result = await token(mock, {
      code,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ token_type: 'Bearer', response_type: 'code' });
    expect(typeof result.body.id_token).toBe('string');
    // No refresh token and no expires_in, as ClassLink documents.
    expect(result.body).not.toHaveProperty('refresh_token');
    expect(result.body).not.toHaveProperty('expires_in');
  });

  test('accepts the parameters in the query string (the Go helper) and HTTP Basic auth', async () => {
    const mock = mockWith();
    const viaQuery = await mock.fetch(
      `${mock.endpoints.token}?code=${await codeFor(mock)}&client_id=${CLIENT.clientId}&client_secret=${encodeURIComponent(CLIENT.clientSecret)}`,
      { method: 'POST' },
    );
    expect(viaQuery.status).toBe(200);
    const form = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
    const basic = Buffer.from(`${form(CLIENT.clientId)}:${form(CLIENT.clientSecret)}`).toString(
      'base64',
    );
    const viaBasic = await token(
      mock,
      { grant_type: 'authorization_code', code: await codeFor(mock) },
      { headers: { authorization: `Basic ${basic}` } },
    );
    expect(viaBasic.status).toBe(200);
  });

  test.each([
    [{ client_secret: 'wrong' }, 401, 'invalid_client'],
    [{ client_id: 'nobody' }, 401, 'invalid_client'],
    [{ grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
    [{ code: 'made-up' }, 400, 'invalid_grant'],
    [{ redirect_uri: 'https://app.mock/other' }, 400, 'invalid_grant'],
  ])('refuses %j with %i %s', async (override, status, error) => {
    const mock = mockWith();
    const base = {
      code: await codeFor(mock),
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    };
    const result = await token(mock, { ...base, ...override });
    expect(result).toMatchObject({ status, body: { error } });
  });

  test('PKCE: the verifier must hash to the challenge', async () => {
    const mock = mockWith();
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = { code_challenge: challenge, code_challenge_method: 'S256' };
    const auth = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    expect((await token(mock, { ...auth, code: await codeFor(mock, params) })).body.error).toBe(
      'invalid_grant',
    );
    expect(
      (
        await token(mock, {
          ...auth,
          code: await codeFor(mock, params),
          code_verifier: 'x'.repeat(50),
        })
      ).body.error,
    ).toBe('invalid_grant');
    expect(
      (await token(mock, { ...auth, code: await codeFor(mock, params), code_verifier: verifier }))
        .status,
    ).toBe(200);
  });

  test('codes are single use (a replay revokes the tokens) and expire after 5 minutes', async () => {
    let now = Date.UTC(2026, 8, 1, 8);
    const mock = mockWith({ now: () => now });
    const auth = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    const code = await codeFor(mock);
    const first = await token(mock, { ...auth, code });
    const userInfo = () =>
      mock.fetch(mock.endpoints.userInfo, {
        headers: { authorization: `Bearer ${first.body.access_token}` },
      });
    expect((await userInfo()).status).toBe(200);
    expect((await token(mock, { ...auth, code })).body.error).toBe('invalid_grant');
    expect((await userInfo()).status).toBe(401);

    const late = await codeFor(mock);
    now += 300_000;
    expect((await token(mock, { ...auth, code: late })).body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Authorization code expired',
    });
  });

  test('no id_token without the openid scope', async () => {
    const mock = mockWith();
    const result = await token(mock, {
      code: await codeFor(mock, { scope: 'profile' }),
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(result.body.id_token).toBeUndefined();
  });
});

describe('ID token and keys', () => {
  test('the ID token is RS256-signed by a key in the JWKS and carries ClassLink claims', async () => {
    const mock = mockWith();
    const result = await token(mock, {
      code: await codeFor(mock),
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    const jwt = decodeJwt(String(result.body.id_token));
    const jwks = (await (await mock.fetch(mock.endpoints.jwks)).json()) as { keys: JsonWebKey[] };
    const jwk = jwks.keys.find((k) => (k as { kid?: string }).kid === jwt.header.kid);
    expect(jwt.header.alg).toBe('RS256');
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    expect(verify('sha256', Buffer.from(jwt.signed), key, jwt.signature)).toBe(true);
    expect(jwt.claims).toMatchObject({
      iss: mock.issuer,
      aud: CLIENT.clientId,
      nonce: 'n-1',
      profile: 'Student',
      classLink_tenant_id: 2,
      classLink_sourcedId: 'u-1',
      classLink_org_sourcedids: ['s-1', 's-2'],
    });
    expect(Number(jwt.claims.exp) - Number(jwt.claims.iat)).toBe(86_400);
  });

  test('rotateKeys publishes the new key, keeping the old one unless told not to', async () => {
    const mock = mockWith();
    const kids = async () =>
      (
        (await (await mock.fetch(mock.endpoints.jwks)).json()) as { keys: Array<{ kid: string }> }
      ).keys.map((k) => k.kid);
    const [first] = await kids();
    const second = mock.rotateKeys();
    expect(await kids()).toEqual([second, first]);
    const third = mock.rotateKeys({ keepPrevious: false });
    expect(await kids()).toEqual([third]);
  });

  test('the discovery document names the endpoints and RS256', async () => {
    const mock = mockWith();
    const doc = (await (await mock.fetch(mock.endpoints.discovery)).json()) as Record<
      string,
      unknown
    >;
    expect(doc).toMatchObject({
      issuer: mock.issuer,
      authorization_endpoint: mock.endpoints.authorization,
      token_endpoint: mock.endpoints.token,
      jwks_uri: mock.endpoints.jwks,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });
});

describe('/v2/my/info', () => {
  async function info(options: MockClassLinkOptions = {}) {
    const mock = mockWith(options);
    const result = await token(mock, {
      code: await codeFor(mock),
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    const response = await mock.fetch(mock.endpoints.userInfo, {
      headers: { authorization: `Bearer ${result.body.access_token}` },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  test('PascalCase with numeric ids, as documented', async () => {
    expect(await info()).toMatchObject({
      UserId: expect.any(Number),
      TenantId: 2,
      Tenant: 'Demo <District>',
      LoginId: 'ada',
      SourcedId: 'u-1',
      Role: 'Student',
      Role_Level: 4,
      OrgId: ['s-1', 's-2'],
    });
  });

  test('quirks: OrgId as string, ids as strings, no SourcedId, extra fields', async () => {
    const body = await info({
      quirks: {
        userInfo: {
          orgId: 'string',
          idsAsStrings: true,
          omitSourcedId: true,
          extraFields: { or_email: '' },
        },
      },
    });
    expect(body).toMatchObject({ TenantId: '2', OrgId: 's-1,s-2', or_email: '' });
    expect(body).not.toHaveProperty('SourcedId');
  });

  test('an unknown token is 401', async () => {
    const mock = mockWith();
    const response = await mock.fetch(mock.endpoints.userInfo, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
  });
});

describe('LaunchPad', () => {
  test('sign in, pick a tile, land on the first redirect URI with a bare code; names are escaped', async () => {
    const mock = mockWith();
    const page = await formPost(mock, '/launchpad/login', { username: 'ada', password: 'pw' });
    const html = await page.text();
    expect(html).toContain('&lt;b&gt;Ada&lt;/b&gt;');
    expect(html).not.toContain('<b>Ada</b>');
    const href = /id="app-app-1" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const launch = await mock.fetch(`${mock.baseUrl}${href}`, { redirect: 'manual' });
    const location = new URL(launch.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://app.mock/cb');
    expect(location.searchParams.has('code')).toBe(true);
    expect(location.searchParams.has('state')).toBe(false);
    // The ticket is single use.
    expect((await mock.fetch(`${mock.baseUrl}${href}`, { redirect: 'manual' })).status).toBe(400);
  });
});

describe('partner endpoints', () => {
  test('/applications: partner key, limit/offset paging, string booleans, no count headers', async () => {
    const mock = createMockClassLink({
      partnerKey: 'pk',
      tenants: Array.from({ length: 5 }, (_, i) => ({ tenantId: 10 + i, name: `D${i}` })),
    });
    const get = (query: string, key = 'pk') =>
      mock.fetch(`${mock.endpoints.proxy}/applications${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await get('', 'wrong')).status).toBe(401);
    const page = await get('?limit=2&offset=3');
    expect(page.headers.get('x-total-count')).toBeNull();
    expect(page.headers.get('x-count')).toBeNull();
    const body = (await page.json()) as {
      status: number;
      applications: Array<Record<string, unknown>>;
    };
    expect(body.status).toBe(1);
    expect(body.applications.map((a) => a.tenant_id)).toEqual([13, 14]);
    expect(body.applications[0]).toMatchObject({ enabled: 'true', tenant_status: 'Active' });
    expect(String(body.applications[0]?.oneroster_application_id)).toMatch(/%2F.*%3D$/);
  });

  test('the proxy adds x-count, signs to an OAuth 1.0a upstream, and answers 502 without one', async () => {
    const seen: Request[] = [];
    const upstream = async (request: Request) => {
      seen.push(request);
      return Response.json(
        { orgs: [{ sourcedId: 'o1' }, { sourcedId: 'o2' }] },
        { headers: { 'x-total-count': '2' } },
      );
    };
    const mock = createMockClassLink({
      tenants: [
        {
          tenantId: 2,
          name: 'D',
          roster: {
            baseUrl: 'https://district.mock/ims/oneroster/v1p1',
            fetch: upstream,
            oauth1: { consumerKey: 'ck', consumerSecret: 'cs' },
          },
        },
        { tenantId: 3, name: 'No roster' },
      ],
    });
    const two = mock.tenant(2);
    const response = await mock.fetch(
      `${mock.endpoints.proxy}/${two.applicationId}/ims/oneroster/v1p1/orgs?limit=5`,
      {
        headers: { authorization: `Bearer ${two.bearer}` },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-count')).toBe('2');
    expect(response.headers.get('x-total-count')).toBe('2');
    const sent = seen[0];
    expect(sent?.url).toBe('https://district.mock/ims/oneroster/v1p1/orgs?limit=5');
    const oauth = parseOAuthAuthorizationHeader(sent?.headers.get('authorization') ?? '');
    if (!oauth) throw new Error('no OAuth header');
    const { oauth_signature: signature, ...params } = oauth;
    const base = oauth1BaseString('GET', new URL(sent?.url ?? ''), params);
    expect(signature).toBe(oauth1Signature(base, 'cs', 'HMAC-SHA256'));

    const three = mock.tenant(3);
    const none = await mock.fetch(
      `${mock.endpoints.proxy}/${three.applicationId}/ims/oneroster/v1p1/orgs`,
      {
        headers: { authorization: `Bearer ${three.bearer}` },
      },
    );
    expect(none.status).toBe(502);
    const post = await mock.fetch(
      `${mock.endpoints.proxy}/${two.applicationId}/ims/oneroster/v1p1/orgs`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${two.bearer}` },
      },
    );
    expect(post.status).toBe(405);
  });

  test('failNext answers the next requests of a route with the injected failure', async () => {
    const mock = mockWith();
    mock.failNext('jwks', { status: 503 }, 2);
    expect((await mock.fetch(mock.endpoints.jwks)).status).toBe(503);
    expect((await mock.fetch(mock.endpoints.jwks)).status).toBe(503);
    expect((await mock.fetch(mock.endpoints.jwks)).status).toBe(200);
  });
});

describe('access styles', () => {
  test('msw handlers serve the same mock to code that uses the global fetch', async () => {
    const mock = mockWith();
    const server = setupServer(...mock.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const { fetch: _unused, ...options } = mock.ssoOptions();
      const sso = createClassLinkSso(options);
      const start = await sso.authorizationUrl();
      const login = await sso.handleCallback(mock.login(start.url, 'ada'), start);
      expect(login.rosterKey.sourcedId).toBe('u-1');
    } finally {
      server.close();
    }
  });

  test('listen() serves real HTTP on 127.0.0.1 and moves the issuer there', async () => {
    const mock = mockWith();
    const listener = await mock.listen();
    try {
      expect(mock.issuer).toBe(listener.url);
      expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const doc = (await (
        await fetch(`${listener.url}/.well-known/openid-configuration`)
      ).json()) as {
        issuer: string;
      };
      expect(doc.issuer).toBe(listener.url);
      const sso = createClassLinkSso({ ...mock.ssoOptions(), fetch: globalThis.fetch });
      const start = await sso.authorizationUrl();
      const login = await sso.handleCallback(mock.login(start.url, 'ada'), start);
      expect(login.claims.iss).toBe(listener.url);
    } finally {
      await mock.close();
    }
  });

  test('requests are logged without query strings; other origins fail like DNS errors', async () => {
    const mock = mockWith();
    await codeFor(mock);
    await mock.fetch(`${mock.endpoints.jwks}?x=secret`);
    expect(mock.requests.at(-1)).toEqual({ method: 'GET', path: '/oauth2/v2/jwks', status: 200 });
    await expect(mock.fetch('https://launchpad.classlink.com/oauth2/v2/jwks')).rejects.toThrow(
      TypeError,
    );
  });
});
