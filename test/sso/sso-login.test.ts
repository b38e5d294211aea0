import { describe, expect, test } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  CLASSLINK_ENDPOINTS,
  CLASSLINK_ISSUER,
  createClassLinkSso,
  isSsoError,
  SsoError,
} from '../../src/sso';
import { ADA, GRACE, setup, spLogin } from './fixtures';

describe('SP-initiated login', () => {
  test('the authorization URL carries state, nonce, PKCE S256, openid scope and the redirect URI', async () => {
    const { mock, sso } = setup();
    const start = await sso.authorizationUrl();
    const url = new URL(start.url);
    expect(url.origin + url.pathname).toBe(mock.endpoints.authorization);
    const q = url.searchParams;
    expect(q.get('client_id')).toBe('mock-client-id');
    expect(q.get('redirect_uri')).toBe('https://app.mock/sso/callback');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')?.split(' ')).toEqual(['openid', 'profile']);
    expect(q.get('state')).toBe(start.state);
    expect(q.get('nonce')).toBe(start.nonce);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // The verifier itself never leaves the server.
    expect(start.url).not.toContain(start.codeVerifier);
    // Fresh values every time.
    const again = await sso.authorizationUrl();
    expect(again.state).not.toBe(start.state);
    expect(again.nonce).not.toBe(start.nonce);
    expect(again.codeVerifier).not.toBe(start.codeVerifier);
  });

  test('openid is always requested, even when the caller lists other scopes', async () => {
    const { sso } = setup({ scopes: ['profile', 'oneroster'] });
    const start = await sso.authorizationUrl({ scopes: ['email'], loginHint: 'ada' });
    const q = new URL(start.url).searchParams;
    expect(q.get('scope')).toBe('openid email');
    expect(q.get('login_hint')).toBe('ada');
  });

  test('extra parameters cannot override state, nonce or PKCE', async () => {
    const { sso } = setup();
    const start = await sso.authorizationUrl({
      extraParams: { state: 'attacker', nonce: 'attacker', code_challenge: 'x', prompt: 'login' },
    });
    const q = new URL(start.url).searchParams;
    expect(q.get('state')).toBe(start.state);
    expect(q.get('nonce')).toBe(start.nonce);
    expect(q.get('code_challenge')).not.toBe('x');
    expect(q.get('prompt')).toBe('login');
  });

  test('a full login returns verified claims, the user info and the roster key', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env);
    const login = await env.sso.handleCallback(callback, start);
    expect(login.initiatedBy).toBe('sp');
    expect(login.claims).toMatchObject({
      iss: env.mock.issuer,
      aud: 'mock-client-id',
      sub: '8708718',
      nonce: start.nonce,
      classLink_sourcedId: 'stu-1',
    });
    expect(login.user).toMatchObject({
      userId: '8708718',
      tenantId: '2',
      tenantName: 'ClassLink Demo',
      sourcedId: 'stu-1',
      loginId: 'ada.lovelace',
      email: 'ada@district.test',
      role: 'Student',
      roleLevel: 4,
      orgIds: ['school-1'],
    });
    expect(login.rosterKey).toEqual({
      tenantId: '2',
      sourcedId: 'stu-1',
      loginId: 'ada.lovelace',
      email: 'ada@district.test',
    });
    expect(login.tokens.tokenType.toLowerCase()).toBe('bearer');
    expect(login.tokens.idToken.split('.')).toHaveLength(3);
    // ClassLink sends no expires_in; the documented 24 hours is assumed.
    const lifetimeH = (login.tokens.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(lifetimeH).toBeGreaterThan(23.9);
    expect(lifetimeH).toBeLessThanOrEqual(24);
  });

  test('the callback may be given as the path and query the server received', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env, GRACE.loginId);
    const url = new URL(callback);
    const login = await env.sso.handleCallback(`${url.pathname}${url.search}`, start);
    expect(login.rosterKey).toMatchObject({ tenantId: '2', sourcedId: 'tea-1' });
    expect(login.user?.role).toBe('Teacher');
  });

  test('the token request uses the configured redirect URI even behind a proxy', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env);
    // The app server sees http://internal:8080/... behind a TLS-terminating proxy.
    const internal = new URL(callback);
    internal.protocol = 'http:';
    internal.host = 'internal:8080';
    await expect(env.sso.handleCallback(internal, start)).resolves.toMatchObject({
      initiatedBy: 'sp',
    });
  });

  test('client_secret_basic authenticates too', async () => {
    const env = setup({ tokenEndpointAuthMethod: 'client_secret_basic' });
    const { start, callback } = await spLogin(env);
    await expect(env.sso.handleCallback(callback, start)).resolves.toBeTruthy();
  });

  test('with pkce off no challenge is sent and the exchange still works', async () => {
    const env = setup({ pkce: false });
    const { start, callback } = await spLogin(env);
    expect(new URL(start.url).searchParams.has('code_challenge')).toBe(false);
    await expect(env.sso.handleCallback(callback, start)).resolves.toBeTruthy();
  });

  test('discovery mode reads the issuer metadata once', async () => {
    const env = setup({ discovery: true, endpoints: {} });
    const first = await spLogin(env);
    await env.sso.handleCallback(first.callback, first.start);
    const second = await spLogin(env);
    await env.sso.handleCallback(second.callback, second.start);
    const discoveries = env.mock.requests.filter((r) => r.path.includes('openid-configuration'));
    expect(discoveries).toHaveLength(1);
  });

  test('a failed discovery is a retryable discovery_failed error and is retried next time', async () => {
    const env = setup({ discovery: true, issuer: 'https://nowhere.mock' });
    const error = await env.sso.authorizationUrl().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SsoError);
    expect(error).toMatchObject({ reason: 'discovery_failed', retryable: true });
  });

  test('the JWKS is fetched once and reused across logins', async () => {
    const env = setup();
    for (let i = 0; i < 3; i++) {
      const { start, callback } = await spLogin(env);
      await env.sso.handleCallback(callback, start);
    }
    expect(env.mock.requests.filter((r) => r.path === '/oauth2/v2/jwks')).toHaveLength(1);
  });
});

describe('LaunchPad (IdP-initiated) launch', () => {
  test('is accepted when allowed and fully verified', async () => {
    const { mock, sso } = setup({ allowIdpInitiated: true });
    const callback = mock.launch(ADA.loginId);
    expect(new URL(callback).searchParams.has('state')).toBe(false);
    const login = await sso.handleCallback(callback);
    expect(login.initiatedBy).toBe('idp');
    expect(login.claims.nonce).toBeUndefined();
    expect(login.rosterKey).toMatchObject({ tenantId: '2', sourcedId: 'stu-1' });
  });

  test('is treated as a launch even when a login is pending in the session', async () => {
    const { mock, sso } = setup({ allowIdpInitiated: true });
    const pending = await sso.authorizationUrl();
    const login = await sso.handleCallback(mock.launch(ADA.loginId), pending);
    expect(login.initiatedBy).toBe('idp');
  });

  test('is refused by default', async () => {
    const { mock, sso } = setup();
    await expect(sso.handleCallback(mock.launch(ADA.loginId))).rejects.toMatchObject({
      reason: 'idp_initiated_not_allowed',
    });
    // Nothing was exchanged: the code was never sent to the token endpoint.
    expect(mock.requests.some((r) => r.path === '/oauth2/v2/token')).toBe(false);
  });
});

describe('user info variations', () => {
  test('OrgId as a comma string and ids as strings', async () => {
    const env = setup({}, { quirks: { userInfo: { orgId: 'string', idsAsStrings: true } } });
    const { start, callback } = await spLogin(env);
    const login = await env.sso.handleCallback(callback, start);
    expect(login.user).toMatchObject({ userId: '8708718', tenantId: '2', orgIds: ['school-1'] });
  });

  test('OrgId as an empty string and extra fields', async () => {
    const env = setup(
      {},
      { quirks: { userInfo: { orgId: 'empty-string', extraFields: { or_email: '' } } } },
    );
    const { start, callback } = await spLogin(env);
    const login = await env.sso.handleCallback(callback, start);
    expect(login.user?.orgIds).toEqual([]);
    expect(login.user?.raw.or_email).toBe('');
  });

  test('a district without OneRoster: no SourcedId, the roster key keeps the login id', async () => {
    const env = setup(
      {},
      { quirks: { userInfo: { omitSourcedId: true }, idToken: { omitCustomClaims: true } } },
    );
    const { start, callback } = await spLogin(env);
    const login = await env.sso.handleCallback(callback, start);
    expect(login.rosterKey).toEqual({
      tenantId: '2',
      loginId: 'ada.lovelace',
      email: 'ada@district.test',
    });
  });

  test('fetchUserInfo off: the roster key comes from the classLink_* claims', async () => {
    const env = setup({ fetchUserInfo: false });
    const { start, callback } = await spLogin(env);
    const login = await env.sso.handleCallback(callback, start);
    expect(login.user).toBeNull();
    expect(login.rosterKey).toMatchObject({ tenantId: '2', sourcedId: 'stu-1' });
    expect(env.mock.requests.some((r) => r.path === '/v2/my/info')).toBe(false);
  });

  test('fetchUserInfo off and no tenant claim is an error, not a guess', async () => {
    const env = setup(
      { fetchUserInfo: false },
      { quirks: { idToken: { omitCustomClaims: true } } },
    );
    const { start, callback } = await spLogin(env);
    await expect(env.sso.handleCallback(callback, start)).rejects.toMatchObject({
      reason: 'userinfo_failed',
    });
  });
});

describe('configuration', () => {
  const base = {
    clientId: 'id',
    clientSecret: 'very-secret-value',
    redirectUri: 'https://app.example/cb',
  };

  test('defaults point at ClassLink production', async () => {
    expect(CLASSLINK_ISSUER).toBe('https://launchpad.classlink.com');
    const sso = createClassLinkSso(base);
    const start = await sso.authorizationUrl();
    expect(start.url.startsWith(`${CLASSLINK_ENDPOINTS.authorization}?`)).toBe(true);
    expect(CLASSLINK_ENDPOINTS.userInfo).toBe('https://nodeapi.classlink.com/v2/my/info');
  });

  test.each([
    [{ clientId: '' }, 'clientId'],
    [{ clientSecret: '' }, 'clientSecret'],
    [{ redirectUri: 'not a url' }, 'redirectUri'],
    [{ redirectUri: 'https://app.example/cb?x=1' }, 'redirectUri'],
    [{ issuer: 'http://idp.example' }, 'issuer'],
    [{ endpoints: { token: 'ftp://idp.example/token' } }, 'endpoints.token'],
    [{ timeout: 0 }, 'timeout'],
    [{ clockSkewS: -1 }, 'clockSkewS'],
  ] as const)('rejects %o naming %s', (override, option) => {
    let caught: unknown;
    try {
      createClassLinkSso({ ...base, ...override });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).option).toBe(option);
    expect(String((caught as Error).message)).not.toContain('very-secret-value');
  });

  test('plain http is allowed for loopback and with allowInsecureHttp', () => {
    expect(() => createClassLinkSso({ ...base, issuer: 'http://127.0.0.1:9999' })).not.toThrow();
    expect(() =>
      createClassLinkSso({ ...base, issuer: 'http://idp.internal', allowInsecureHttp: true }),
    ).not.toThrow();
  });

  test('isSsoError recognises SsoError only', () => {
    expect(isSsoError(new SsoError({ reason: 'access_denied', message: 'x' }))).toBe(true);
    expect(isSsoError(new ConfigurationError('x', 'y'))).toBe(false);
    expect(isSsoError({ code: 'sso_error', reason: 'x' })).toBe(false);
  });
});
