/**
 * The mock's OAuth 2 / OIDC endpoints: authorize (with a login form), token, JWKS, discovery
 * and ClassLink's `/v2/my/info`. Behaviour follows ClassLink's documentation where it exists
 * (5-minute single-use codes, 24-hour tokens, `response_type=code` echoed on the redirect,
 * PascalCase user info) and the OAuth/OIDC RFCs elsewhere (PKCE S256, client authentication,
 * revoking the tokens of a replayed code).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { htmlPage, loginForm } from './html';
import type { MockClassLinkStore, PendingAuthorization, StoredUser } from './store';
import { randomToken } from './store';

/** Paths of the OIDC endpoints, relative to the mock's base URL. */
export const OIDC_PATHS = {
  authorize: '/oauth2/v2/auth',
  login: '/oauth2/v2/auth/login',
  token: '/oauth2/v2/token',
  jwks: '/oauth2/v2/jwks',
  discovery: '/.well-known/openid-configuration',
  userInfo: '/v2/my/info',
} as const;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

function oauthError(error: string, description: string, status = 400): Response {
  return json(
    { error, error_description: description },
    status,
    status === 401 ? { 'www-authenticate': 'Basic realm="classlink"' } : {},
  );
}

function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });
}

/** The callback URL for an authorization response. */
function callbackUrl(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.href;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The outcome of validating an authorization request: an error response, or the request. */
type Validated = { ok: false; response: Response } | { ok: true; pending: PendingAuthorization };

function validateAuthorizationRequest(store: MockClassLinkStore, url: URL): Validated {
  const q = url.searchParams;
  const client = store.clients.get(q.get('client_id') ?? '');
  if (!client) {
    return { ok: false, response: htmlPage('Invalid client', '<p>Unknown client_id.</p>', 400) };
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  // Never redirect to an unregistered URI: that is how authorization codes get stolen.
  if (!client.redirectUris.includes(redirectUri)) {
    return {
      ok: false,
      response: htmlPage(
        'Invalid redirect URI',
        '<p>The redirect_uri is not registered for this application.</p>',
        400,
      ),
    };
  }
  const state = q.get('state') ?? undefined;
  const fail = (error: string): Validated => ({
    ok: false,
    response: redirect(callbackUrl(redirectUri, { error, state })),
  });
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type');
  const scope = q.get('scope');
  if (!scope) return fail('invalid_scope');
  const codeChallenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method');
  if (codeChallenge !== undefined && method !== 'S256') return fail('invalid_request');
  return {
    ok: true,
    pending: {
      clientId: client.clientId,
      redirectUri,
      scope,
      state,
      nonce: q.get('nonce') ?? undefined,
      codeChallenge,
    },
  };
}

/** Sign the user in for a pending request: a redirect to the callback with a code. */
function approve(
  store: MockClassLinkStore,
  pending: PendingAuthorization,
  user: StoredUser,
): string {
  const code = store.issueCode({
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    loginId: user.loginId,
    scope: pending.scope,
    nonce: pending.nonce,
    codeChallenge: pending.codeChallenge,
  });
  return callbackUrl(pending.redirectUri, {
    code,
    response_type: 'code',
    state: pending.state,
  });
}

function deny(pending: PendingAuthorization): string {
  return callbackUrl(pending.redirectUri, { error: 'access_denied', state: pending.state });
}

function loginPage(requestId: string, error?: string): Response {
  return htmlPage(
    'Sign in to ClassLink (mock)',
    loginForm({
      action: OIDC_PATHS.login,
      hidden: { request: requestId },
      error,
      allowDeny: true,
      submitLabel: 'Sign in',
    }),
    error ? 401 : 200,
  );
}

/** `GET /oauth2/v2/auth`: validate, then show the login form (or sign in `autoLogin` at once). */
export function handleAuthorize(store: MockClassLinkStore, url: URL): Response {
  const validated = validateAuthorizationRequest(store, url);
  if (!validated.ok) return validated.response;
  if (store.autoLogin !== undefined) {
    const user = store.findUser(store.autoLogin);
    if (!user) return htmlPage('Unknown user', '<p>autoLogin names no user.</p>', 500);
    return redirect(approve(store, validated.pending, user));
  }
  const requestId = randomToken(16);
  store.pending.set(requestId, validated.pending);
  return loginPage(requestId);
}

/** `POST /oauth2/v2/auth/login`: the login form's submission. */
export async function handleLogin(store: MockClassLinkStore, request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const requestId = form.get('request') ?? '';
  const pending = store.pending.get(requestId);
  if (!pending) {
    return htmlPage('Login expired', '<p>This login request is unknown or used.</p>', 400);
  }
  if (form.get('action') === 'deny') {
    store.pending.delete(requestId);
    return redirect(deny(pending));
  }
  const user = store.findUser(form.get('username') ?? '');
  if (!user || (user.password !== undefined && user.password !== form.get('password'))) {
    return loginPage(requestId, 'Incorrect username or password.');
  }
  store.pending.delete(requestId);
  return redirect(approve(store, pending, user));
}

/**
 * Drive an authorization request without a browser: validate `authorizationUrl` exactly like
 * the endpoint does and return where the browser would be sent (the callback URL).
 */
export function programmaticAuthorize(
  store: MockClassLinkStore,
  authorizationUrl: string | URL,
  outcome: { loginId: string } | { deny: true },
): string {
  const validated = validateAuthorizationRequest(store, new URL(authorizationUrl));
  if (!validated.ok) {
    const location = validated.response.headers.get('location');
    if (location) return location;
    throw new Error(
      `The mock ClassLink refused the authorization request (HTTP ${validated.response.status})`,
    );
  }
  if ('deny' in outcome) return deny(validated.pending);
  const user = store.findUser(outcome.loginId);
  if (!user) throw new Error(`The mock ClassLink has no user with login ${outcome.loginId}`);
  return approve(store, validated.pending, user);
}

/** A LaunchPad (IdP-initiated) launch: the client's first redirect URI with a bare code. */
export function launchUrl(store: MockClassLinkStore, loginId: string, clientId?: string): string {
  const client =
    clientId === undefined ? store.clients.values().next().value : store.clients.get(clientId);
  if (!client)
    throw new Error(`The mock ClassLink has no client ${clientId ?? '(none registered)'}`);
  const user = store.findUser(loginId);
  if (!user) throw new Error(`The mock ClassLink has no user with login ${loginId}`);
  const redirectUri = client.redirectUris[0] as string;
  const code = store.issueCode({
    clientId: client.clientId,
    redirectUri: undefined,
    loginId: user.loginId,
    scope: client.launchScope ?? 'openid profile',
    nonce: undefined,
    codeChallenge: undefined,
  });
  return callbackUrl(redirectUri, { code, response_type: 'code' });
}

function clientCredentials(
  request: Request,
  form: URLSearchParams,
): { id: string; secret: string } | undefined {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    // RFC 6749 §2.3.1: both halves are form-urlencoded before joining.
    const unform = (value: string): string => decodeURIComponent(value.replaceAll('+', ' '));
    try {
      return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
    } catch {
      return undefined;
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? { id, secret } : undefined;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** `POST /oauth2/v2/token`: the authorization code grant. */
export async function handleToken(store: MockClassLinkStore, request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  // ClassLink's own Go helper sends the parameters in the query string with an empty body.
  for (const [key, value] of new URL(request.url).searchParams) {
    if (!form.has(key)) form.set(key, value);
  }
  const grantType = form.get('grant_type');
  // ClassLink's helpers send no grant_type at all; it is accepted when absent.
  if (grantType !== null && grantType !== 'authorization_code') {
    return oauthError('unsupported_grant_type', 'Only authorization_code is supported');
  }
  const credentials = clientCredentials(request, form);
  const client = credentials ? store.clients.get(credentials.id) : undefined;
  if (!client || !credentials || !sameSecret(client.clientSecret, credentials.secret)) {
    return oauthError('invalid_client', 'Client authentication failed', 401);
  }
  const codeValue = form.get('code') ?? '';
  const code = store.codes.get(codeValue);
  if (!code || code.clientId !== client.clientId) {
    return oauthError('invalid_grant', 'Unknown authorization code');
  }
  if (code.used) {
    // RFC 6749 §4.1.2: a replayed code revokes what it already produced.
    for (const token of code.accessTokens) {
      const issued = store.tokens.get(token);
      if (issued) issued.revoked = true;
    }
    return oauthError('invalid_grant', 'Authorization code already used');
  }
  code.used = true;
  const now = store.now();
  if (now >= code.expiresAt) return oauthError('invalid_grant', 'Authorization code expired');
  const redirectUri = form.get('redirect_uri');
  if (code.redirectUri !== undefined && redirectUri !== null && redirectUri !== code.redirectUri) {
    return oauthError('invalid_grant', 'redirect_uri does not match the authorization request');
  }
  if (code.codeChallenge !== undefined) {
    const verifier = form.get('code_verifier');
    if (!verifier || s256(verifier) !== code.codeChallenge) {
      return oauthError('invalid_grant', 'PKCE verification failed');
    }
  }
  const user = store.findUser(code.loginId);
  if (!user) return oauthError('invalid_grant', 'The user no longer exists');
  const accessToken = randomToken(32);
  store.tokens.set(accessToken, {
    clientId: client.clientId,
    loginId: user.loginId,
    scope: code.scope,
    expiresAt: now + store.accessTokenTtlS * 1000,
    revoked: false,
  });
  code.accessTokens.push(accessToken);
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'Bearer',
    response_type: 'code',
  };
  const wantsIdToken = code.scope.split(' ').includes('openid');
  if (wantsIdToken && !store.quirks.token?.omitIdToken) {
    body.id_token = idToken(store, user, client.clientId, code.nonce, code.authTime);
  }
  return json(body, 200, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

function idToken(
  store: MockClassLinkStore,
  user: StoredUser,
  clientId: string,
  nonce: string | undefined,
  authTime: number,
): string {
  const iat = Math.floor(store.now() / 1000);
  const tenant = store.tenantOf(user);
  let claims: Record<string, unknown> = {
    iss: store.baseUrl,
    sub: String(user.userId),
    aud: clientId,
    iat,
    exp: iat + store.idTokenTtlS,
    auth_time: authTime,
    login_hint: user.loginId,
    name: `${user.firstName} ${user.lastName}`,
    given_name: user.firstName,
    family_name: user.lastName,
    // ClassLink puts the role *name* in `profile` (OIDC intends a URL).
    profile: user.role,
    ...(user.email === undefined ? {} : { email: user.email, email_verified: true }),
    ...(tenant ? { address: { locality: tenant.name, region: tenant.state ?? 'TX' } } : {}),
  };
  if (nonce !== undefined) claims.nonce = nonce;
  if (!store.quirks.idToken?.omitCustomClaims) {
    claims.classLink_tenant_id = user.tenantId;
    claims.classLink_tenant_id_string = String(user.tenantId);
    claims.classLink_role = user.role;
    claims.classLink_role_level = user.roleLevel;
    if (user.sourcedId !== undefined) claims.classLink_sourcedId = user.sourcedId;
    claims.classLink_org_sourcedids = user.orgIds ?? [];
  }
  const transform = store.quirks.idToken?.transform;
  if (transform) claims = transform(claims);
  return store.keys.sign(claims, store.quirks.idToken?.sign ?? 'current');
}

/** `GET /oauth2/v2/jwks`. */
export function handleJwks(store: MockClassLinkStore): Response {
  return json(store.keys.jwks(), 200, { 'cache-control': 'public, max-age=300' });
}

/** `GET /.well-known/openid-configuration`, as third parties report ClassLink's. */
export function handleDiscovery(store: MockClassLinkStore): Response {
  const base = store.baseUrl;
  return json({
    issuer: base,
    authorization_endpoint: `${base}${OIDC_PATHS.authorize}`,
    token_endpoint: `${base}${OIDC_PATHS.token}`,
    jwks_uri: `${base}${OIDC_PATHS.jwks}`,
    userinfo_endpoint: `${base}${OIDC_PATHS.userInfo}`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    scopes_supported: ['openid', 'profile', 'email', 'oneroster', 'full'],
    claims_supported: [
      'sub',
      'given_name',
      'family_name',
      'email',
      'email_verified',
      'profile',
      'address',
      'classLink_tenant_id',
      'classLink_tenant_id_string',
      'classLink_role',
      'classLink_role_level',
      'classLink_sourcedId',
      'classLink_org_sourcedids',
    ],
  });
}

/** `GET /v2/my/info` with the access token. */
export function handleUserInfo(store: MockClassLinkStore, request: Request): Response {
  const header = request.headers.get('authorization') ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  const issued = token === undefined ? undefined : store.tokens.get(token);
  if (!issued || issued.revoked || store.now() >= issued.expiresAt) {
    return json({ error: 'invalid_token', message: 'Access Denied' }, 401, {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
  const user = store.findUser(issued.loginId);
  if (!user) return json({ message: 'User not found' }, 404);
  const tenant = store.tenantOf(user);
  const quirks = store.quirks.userInfo ?? {};
  const id = (value: number): number | string => (quirks.idsAsStrings ? String(value) : value);
  const orgIds = user.orgIds ?? [];
  const orgId =
    quirks.orgId === 'empty-string' ? '' : quirks.orgId === 'string' ? orgIds.join(',') : orgIds;
  const body: Record<string, unknown> = {
    UserId: id(user.userId),
    TenantId: id(user.tenantId),
    StateId: 44,
    StateName: tenant?.state ?? 'TX',
    BuildingId: 0,
    AuthenticationType: 1,
    DisplayName: `${user.firstName} ${user.lastName}`,
    FirstName: user.firstName,
    LastName: user.lastName,
    Email: user.email ?? '',
    LoginId: user.loginId,
    ImagePath: '',
    LanguageId: 1,
    Language: 'English',
    DefaultTimeFormat: 0,
    Profile: user.role,
    ProfileId: user.roleLevel,
    Tenant: tenant?.name ?? '',
    Building: '',
    Role: user.role,
    Role_Level: user.roleLevel,
    LastAccessTime: new Date(store.now()).toISOString(),
    OrgId: orgId,
    ...(user.sourcedId === undefined || quirks.omitSourcedId ? {} : { SourcedId: user.sourcedId }),
    ...quirks.extraFields,
    ...user.extra,
  };
  return json(body);
}
