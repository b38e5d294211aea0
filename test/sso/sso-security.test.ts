/**
 * Every way a login must fail, and what the failure may say. Each test also checks that the
 * error carries no authorization code, token or client secret.
 */
import { describe, expect, test } from 'vitest';
import { SsoError, type SsoErrorReason } from '../../src/sso';
import { ADA, setup, spLogin } from './fixtures';

const CLIENT_SECRET = 'mock-client-secret';

/** Await a failing promise and check the error's reason and that it leaks nothing. */
async function expectSsoFailure(
  promise: Promise<unknown>,
  reason: SsoErrorReason,
  secrets: Array<string | undefined> = [],
): Promise<SsoError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected an SsoError(${reason}), the login succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SsoError);
  const sso = error as SsoError;
  expect(sso.reason).toBe(reason);
  expect(sso.code).toBe('sso_error');
  // No raw library error (with tokens and claims inside) rides along as the cause.
  expect(sso.cause).toBeUndefined();
  const visible = `${sso.message}\n${JSON.stringify(sso)}\n${sso.stack ?? ''}`;
  for (const secret of [CLIENT_SECRET, ...secrets]) {
    if (secret) expect(visible).not.toContain(secret);
  }
  return sso;
}

function codeOf(callback: string): string {
  return new URL(callback).searchParams.get('code') ?? '';
}

describe('ID token verification', () => {
  test('a forged signature (right kid, wrong key) is refused', async () => {
    const env = setup();
    env.mock.configure({ idToken: { sign: 'forged' } });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'invalid_id_token',
      [codeOf(callback)],
    );
    expect(error.message).toMatch(/signature/);
  });

  test('a token signed with a key that is not in the JWKS is refused', async () => {
    const env = setup();
    env.mock.configure({ idToken: { sign: 'unknown-key' } });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'invalid_id_token',
    );
    expect(error.oidcCode).toBe('OAUTH_KEY_SELECTION_FAILED');
  });

  test('an unsigned (alg none) token is refused', async () => {
    const env = setup();
    env.mock.configure({ idToken: { sign: 'none' } });
    const { start, callback } = await spLogin(env);
    await expectSsoFailure(env.sso.handleCallback(callback, start), 'invalid_id_token');
  });

  test('a token from another issuer is refused', async () => {
    const env = setup();
    env.mock.configure({
      idToken: { transform: (claims) => ({ ...claims, iss: 'https://evil.example' }) },
    });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'invalid_id_token',
    );
    expect(error.claim).toBe('iss');
  });

  test('a token for another client (audience) is refused', async () => {
    const env = setup();
    env.mock.configure({
      idToken: { transform: (claims) => ({ ...claims, aud: 'some-other-app' }) },
    });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'invalid_id_token',
    );
    expect(error.claim).toBe('aud');
  });

  test('an expired token is refused; one within the clock skew is accepted', async () => {
    const expiredBy = (seconds: number) => (claims: Record<string, unknown>) => ({
      ...claims,
      iat: Math.floor(Date.now() / 1000) - 3600,
      exp: Math.floor(Date.now() / 1000) - seconds,
    });
    const env = setup({ clockSkewS: 30 });
    env.mock.configure({ idToken: { transform: expiredBy(120) } });
    const first = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(first.callback, first.start),
      'invalid_id_token',
    );
    expect(error.claim).toBe('exp');

    env.mock.configure({ idToken: { transform: expiredBy(10) } });
    const second = await spLogin(env);
    await expect(env.sso.handleCallback(second.callback, second.start)).resolves.toBeTruthy();
  });

  test('a nonce that is not the one sent is refused', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env);
    await expectSsoFailure(
      env.sso.handleCallback(callback, { ...start, nonce: 'a-different-nonce' }),
      'nonce_mismatch',
    );
  });

  test('a token response without an ID token is refused', async () => {
    const env = setup();
    env.mock.configure({ token: { omitIdToken: true } });
    const { start, callback } = await spLogin(env);
    await expectSsoFailure(env.sso.handleCallback(callback, start), 'invalid_id_token');
  });
});

describe('code exchange', () => {
  test('a replayed code is refused and the first exchange tokens are revoked', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env);
    const first = await env.sso.handleCallback(callback, start);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'token_exchange_failed',
      [codeOf(callback), first.tokens.accessToken, first.tokens.idToken],
    );
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.status).toBe(400);
    const info = await env.mock.fetch(env.mock.endpoints.userInfo, {
      headers: { authorization: `Bearer ${first.tokens.accessToken}` },
    });
    expect(info.status).toBe(401);
  });

  test('a PKCE verifier that does not match the challenge is refused', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, { ...start, codeVerifier: 'x'.repeat(43) }),
      'token_exchange_failed',
      [codeOf(callback), start.codeVerifier],
    );
    expect(error.oauthError).toBe('invalid_grant');
  });

  test('a stolen SP-initiated code replayed as a LaunchPad launch (state stripped) fails PKCE', async () => {
    const env = setup({ allowIdpInitiated: true });
    const { callback } = await spLogin(env);
    const stripped = new URL(callback);
    stripped.searchParams.delete('state');
    const error = await expectSsoFailure(env.sso.handleCallback(stripped), 'token_exchange_failed');
    expect(error.oauthError).toBe('invalid_grant');
  });

  test('without PKCE, a state-stripped SP code is still caught by its nonce', async () => {
    const env = setup({ allowIdpInitiated: true, pkce: false });
    const { callback } = await spLogin(env);
    const stripped = new URL(callback);
    stripped.searchParams.delete('state');
    await expectSsoFailure(env.sso.handleCallback(stripped), 'nonce_mismatch');
  });

  test('an expired code (older than 5 minutes) is refused', async () => {
    let now = Date.now();
    const env = setup({}, { now: () => now });
    const { start, callback } = await spLogin(env);
    now += 5 * 60 * 1000 + 1;
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'token_exchange_failed',
    );
    expect(error.oauthError).toBe('invalid_grant');
  });

  test('a wrong client secret is refused as invalid_client', async () => {
    const env = setup({ clientSecret: 'not-the-secret' });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'token_exchange_failed',
      ['not-the-secret'],
    );
    expect(error.oauthError).toBe('invalid_client');
  });

  test('a token endpoint outage is retryable and says so without the body', async () => {
    const env = setup();
    env.mock.failNext('token', { status: 503, body: '<html>maintenance</html>' });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'token_exchange_failed',
    );
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(503);
  });

  test('an unreachable token endpoint is a retryable token_exchange_failed', async () => {
    const env = setup({ endpoints: { token: 'https://unreachable.mock/token' } });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'token_exchange_failed',
    );
    expect(error.retryable).toBe(true);
  });
});

describe('callback checks', () => {
  test('a state that is not the pending one is refused before any exchange', async () => {
    const env = setup();
    const { start, callback } = await spLogin(env);
    const other = await env.sso.authorizationUrl();
    await expectSsoFailure(env.sso.handleCallback(callback, other), 'state_mismatch', [
      codeOf(callback),
    ]);
    expect(env.mock.requests.some((r) => r.path === '/oauth2/v2/token')).toBe(false);
    // The code is still good for the session that started the login.
    await expect(env.sso.handleCallback(callback, start)).resolves.toBeTruthy();
  });

  test('a callback with a state but no pending login is missing_session', async () => {
    const env = setup({ allowIdpInitiated: true });
    const { callback } = await spLogin(env);
    await expectSsoFailure(env.sso.handleCallback(callback, null), 'missing_session');
  });

  test('error=access_denied is access_denied', async () => {
    const env = setup();
    const start = await env.sso.authorizationUrl();
    const callback = env.mock.deny(start.url);
    const error = await expectSsoFailure(env.sso.handleCallback(callback, start), 'access_denied');
    expect(error.oauthError).toBe('access_denied');
  });

  test('other OAuth errors are authorization_error, and a hostile error value is not echoed', async () => {
    const env = setup();
    const start = await env.sso.authorizationUrl();
    const first = await expectSsoFailure(
      env.sso.handleCallback(
        `/sso/callback?error=temporarily_unavailable&state=${start.state}`,
        start,
      ),
      'authorization_error',
    );
    expect(first.oauthError).toBe('temporarily_unavailable');
    const hostile = '<script>alert(1)</script>';
    const second = await expectSsoFailure(
      env.sso.handleCallback(`/sso/callback?error=${encodeURIComponent(hostile)}`, start),
      'authorization_error',
      [hostile],
    );
    expect(second.oauthError).toBe('invalid_error_code');
  });

  test('a callback without code or error is invalid_callback', async () => {
    const env = setup();
    const start = await env.sso.authorizationUrl();
    await expectSsoFailure(
      env.sso.handleCallback(`/sso/callback?state=${start.state}`, start),
      'invalid_callback',
    );
  });
});

describe('user info failures', () => {
  test('an expired or rejected access token at /v2/my/info is userinfo_failed', async () => {
    const env = setup();
    env.mock.failNext('userInfo', { status: 401, body: '{"message":"Access Denied"}' });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'userinfo_failed',
    );
    expect(error).toMatchObject({ status: 401, retryable: false });
  });

  test('a 5xx is retryable', async () => {
    const env = setup();
    env.mock.failNext('userInfo', { status: 502 });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'userinfo_failed',
    );
    expect(error.retryable).toBe(true);
  });

  test('an HTML page instead of JSON names the content type', async () => {
    const env = setup();
    env.mock.failNext('userInfo', {
      status: 200,
      body: '<html>Sign in</html>',
      headers: { 'content-type': 'text/html' },
    });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'userinfo_failed',
    );
    expect(error.message).toContain('text/html');
  });

  test('user info without TenantId is refused, naming the field but not its values', async () => {
    const env = setup();
    env.mock.failNext('userInfo', {
      status: 200,
      body: JSON.stringify({ UserId: 1, FirstName: 'Ada', Email: ADA.email }),
      headers: { 'content-type': 'application/json' },
    });
    const { start, callback } = await spLogin(env);
    const error = await expectSsoFailure(
      env.sso.handleCallback(callback, start),
      'userinfo_failed',
      [ADA.email],
    );
    expect(error.message).toContain('TenantId');
  });

  test("user info from another tenant than the ID token's claim is refused", async () => {
    const env = setup();
    env.mock.configure({
      idToken: { transform: (claims) => ({ ...claims, classLink_tenant_id: 999 }) },
    });
    const { start, callback } = await spLogin(env);
    await expectSsoFailure(env.sso.handleCallback(callback, start), 'userinfo_failed');
  });
});
