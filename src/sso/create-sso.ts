/**
 * ClassLink OneClick SSO. The OIDC protocol (PKCE, state, nonce, code exchange, ID token
 * signature via JWKS, issuer/audience/expiry checks) is delegated to openid-client; this module
 * adds ClassLink's specifics: its endpoints, LaunchPad launches without `state`, `/v2/my/info`
 * and the roster key.
 *
 * @module
 */
import * as oidc from 'openid-client';
import { ConfigurationError } from '../errors';
import { SsoError } from './errors';
import { grantError } from './oidc-errors';
import type {
  AuthorizationRequest,
  AuthorizationUrlOptions,
  ClassLinkEndpoints,
  ClassLinkSsoOptions,
  PendingLogin,
} from './options';
import { CLASSLINK_ENDPOINTS, CLASSLINK_ISSUER } from './options';
import { resolveReturnTo } from './return-to';
import { type ClassLinkUser, parseClassLinkUserInfo } from './user-info';

/** The key that links a ClassLink login to a synced roster user. */
export interface RosterKey {
  /** ClassLink tenant id (the district), as a string. */
  tenantId: string;
  /** OneRoster `users.sourcedId`; absent when the district has no OneRoster enabled. */
  sourcedId?: string;
  /** ClassLink `LoginId`, for the `username` fallback of `findRosterUser`. */
  loginId?: string;
  /** Email, for the opt-in email fallback of `findRosterUser`. */
  email?: string;
}

/** Tokens of a successful login. Do not log them. */
export interface ClassLinkTokens {
  accessToken: string;
  tokenType: string;
  idToken: string;
  /**
   * When the access token expires. ClassLink sends no `expires_in` and documents 24 hours, which
   * is used when the response has none.
   */
  expiresAt: Date;
  scope?: string;
}

/** Verified ID token claims, including ClassLink's custom ones when sent. */
export interface ClassLinkIdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  email?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  classLink_tenant_id?: string | number;
  classLink_sourcedId?: string;
  classLink_role?: string;
  [claim: string]: unknown;
}

/** Result of `sso.handleCallback()`. */
export interface ClassLinkLogin {
  /** `sp`: started by `authorizationUrl()`; `idp`: a LaunchPad launch. */
  initiatedBy: 'sp' | 'idp';
  tokens: ClassLinkTokens;
  claims: ClassLinkIdTokenClaims;
  /** From `/v2/my/info`; `null` when `fetchUserInfo` is off. */
  user: ClassLinkUser | null;
  /** Pass to `findRosterUser` to load the roster record, roles, schools and classes. */
  rosterKey: RosterKey;
}

/** A ClassLink OneClick helper bound to one client registration. */
export interface ClassLinkSso {
  /** The configured callback URL. */
  readonly redirectUri: string;
  /**
   * Start an SP-initiated login: a fresh `state`, `nonce` and PKCE verifier. Store them in the
   * user's session and redirect to `url`.
   */
  authorizationUrl(options?: AuthorizationUrlOptions): Promise<AuthorizationRequest>;
  /**
   * Finish a login from the callback URL (absolute, or the path and query the server received).
   * Pass the pending login stored by `authorizationUrl()`; without one (or when the callback has
   * no `state`) the callback is treated as a LaunchPad launch.
   */
  handleCallback(
    callbackUrl: string | URL,
    expected?: PendingLogin | null | undefined,
  ): Promise<ClassLinkLogin>;
  /** Check a post-login redirect target against the allowed origins (see `resolveReturnTo`). */
  resolveReturnTo(value: string | null | undefined): string;
}

const DEFAULT_SCOPES = ['openid', 'profile'] as const;
/** ClassLink documents a 24-hour access token and sends no `expires_in`. */
const DEFAULT_TOKEN_LIFETIME_S = 24 * 60 * 60;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function requireText(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(option, 'must be a non-empty string');
  }
  return value;
}

function parseUrl(value: string, option: string, allowInsecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(option, 'must be an absolute URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (allowInsecure || LOOPBACK.has(url.hostname))) return url;
  throw new ConfigurationError(
    option,
    `must use https (http is only accepted for loopback hosts or with allowInsecureHttp), got ${url.protocol}`,
  );
}

function withOpenId(scopes: readonly string[]): string {
  return [...new Set(['openid', ...scopes])].join(' ');
}

/** A text claim or `/v2/my/info` value, as a string. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/**
 * Create a ClassLink OneClick (OAuth 2 / OpenID Connect) helper.
 *
 * SP-initiated logins always use `state`, `nonce` and PKCE S256. The ID token's RS256 signature
 * is checked against ClassLink's JWKS (cached; re-fetched when a token names an unknown `kid`,
 * at most once a minute), as are its issuer, audience, expiry (with `clockSkewS` tolerance) and
 * nonce. LaunchPad launches (a code without `state`) are refused unless `allowIdpInitiated`.
 *
 * @example
 * ```ts
 * import { createClassLinkSso } from '@smartpass/oneroster/sso';
 *
 * const sso = createClassLinkSso({
 *   clientId: process.env.CLASSLINK_CLIENT_ID!,
 *   clientSecret: process.env.CLASSLINK_CLIENT_SECRET!,
 *   redirectUri: 'https://passes.example.com/sso/callback',
 *   allowIdpInitiated: true,
 * });
 *
 * // GET /login
 * const login = await sso.authorizationUrl({ returnTo: '/passes' });
 * session.pending = { state: login.state, nonce: login.nonce, codeVerifier: login.codeVerifier };
 * redirect(login.url);
 *
 * // GET /sso/callback
 * const result = await sso.handleCallback(request.url, session.pending);
 * console.log(result.user?.displayName, result.rosterKey);
 * ```
 */
export function createClassLinkSso(options: ClassLinkSsoOptions): ClassLinkSso {
  const clientId = requireText(options.clientId, 'clientId');
  const clientSecret = requireText(options.clientSecret, 'clientSecret');
  const allowInsecure = options.allowInsecureHttp ?? false;
  const redirect = parseUrl(requireText(options.redirectUri, 'redirectUri'), 'redirectUri', true);
  if (redirect.search || redirect.hash) {
    // openid-client derives `redirect_uri` for the token request by stripping the query, so a
    // registered URI with its own query could never match.
    throw new ConfigurationError('redirectUri', 'must not contain a query string or fragment');
  }
  const redirectUri = redirect.href;
  const issuer = parseUrl(options.issuer ?? CLASSLINK_ISSUER, 'issuer', allowInsecure).href.replace(
    /\/$/,
    '',
  );
  const isProduction = issuer === CLASSLINK_ISSUER;
  const endpoint = (key: keyof ClassLinkEndpoints, path: string): string => {
    const value =
      options.endpoints?.[key] ?? (isProduction ? CLASSLINK_ENDPOINTS[key] : `${issuer}${path}`);
    return parseUrl(value, `endpoints.${key}`, allowInsecure).href;
  };
  const authorizationEndpoint = endpoint('authorization', '/oauth2/v2/auth');
  const tokenEndpoint = endpoint('token', '/oauth2/v2/token');
  const jwksUri = endpoint('jwks', '/oauth2/v2/jwks');
  const userInfoEndpoint = endpoint('userInfo', '/v2/my/info');
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const pkce = options.pkce ?? true;
  const allowIdpInitiated = options.allowIdpInitiated ?? false;
  const fetchUserInfo = options.fetchUserInfo ?? true;
  const timeoutMs = options.timeout ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigurationError('timeout', 'must be a positive number of milliseconds');
  }
  const clockSkewS = options.clockSkewS ?? 30;
  if (!Number.isFinite(clockSkewS) || clockSkewS < 0) {
    throw new ConfigurationError('clockSkewS', 'must be a non-negative number of seconds');
  }
  const fetchImpl = (input: string | URL, init?: RequestInit): Promise<Response> =>
    (options.fetch ?? globalThis.fetch)(input, init);
  const customFetch: oidc.CustomFetch = (url, init) => fetchImpl(url, init as RequestInit);
  const clientAuth =
    options.tokenEndpointAuthMethod === 'client_secret_basic'
      ? oidc.ClientSecretBasic(clientSecret)
      : oidc.ClientSecretPost(clientSecret);
  const clientMetadata: Partial<oidc.ClientMetadata> = {
    client_secret: clientSecret,
    id_token_signed_response_alg: 'RS256',
    [oidc.clockTolerance]: clockSkewS,
  };
  const needsInsecure = [issuer, authorizationEndpoint, tokenEndpoint, jwksUri].some((url) =>
    url.startsWith('http:'),
  );
  const prepare = (config: oidc.Configuration): void => {
    config[oidc.customFetch] = customFetch;
    config.timeout = Math.ceil(timeoutMs / 1000);
    // The ID token comes straight from the token endpoint over TLS, where OIDC lets clients skip
    // the signature; ClassLink integrations are asked to verify it anyway, so turn it on.
    oidc.enableNonRepudiationChecks(config);
    if (needsInsecure) oidc.allowInsecureRequests(config);
  };

  let configPromise: Promise<oidc.Configuration> | undefined;
  const getConfig = (): Promise<oidc.Configuration> => {
    configPromise ??= (async () => {
      if (!options.discovery) {
        const config = new oidc.Configuration(
          {
            issuer,
            authorization_endpoint: authorizationEndpoint,
            token_endpoint: tokenEndpoint,
            jwks_uri: jwksUri,
            response_types_supported: ['code'],
            id_token_signing_alg_values_supported: ['RS256'],
          },
          clientId,
          clientMetadata,
          clientAuth,
        );
        prepare(config);
        return config;
      }
      try {
        const config = await oidc.discovery(new URL(issuer), clientId, clientMetadata, clientAuth, {
          [oidc.customFetch]: customFetch,
          timeout: Math.ceil(timeoutMs / 1000),
          ...(needsInsecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        });
        prepare(config);
        return config;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new SsoError({
          reason: 'discovery_failed',
          message: `Could not load the OIDC discovery document of ${issuer}${typeof code === 'string' ? ` (${code})` : ''}`,
          oidcCode: typeof code === 'string' ? code : undefined,
          retryable: true,
        });
      }
    })();
    // A failed discovery must not poison every later login.
    configPromise.catch(() => {
      configPromise = undefined;
    });
    return configPromise;
  };

  const checkReturnTo = (value: string | null | undefined): string =>
    resolveReturnTo(value, {
      base: redirectUri,
      ...(options.allowedReturnOrigins ? { allowedOrigins: options.allowedReturnOrigins } : {}),
    });

  async function authorizationUrl(
    request: AuthorizationUrlOptions = {},
  ): Promise<AuthorizationRequest> {
    // Checked before anything else so an open-redirect attempt never reaches ClassLink.
    const returnTo =
      request.returnTo === undefined || request.returnTo === null
        ? undefined
        : checkReturnTo(request.returnTo);
    const config = await getConfig();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const params: Record<string, string> = {
      ...request.extraParams,
      redirect_uri: redirectUri,
      scope: withOpenId(request.scopes ?? scopes),
      response_type: 'code',
      state,
      nonce,
    };
    if (request.loginHint) params.login_hint = request.loginHint;
    if (pkce) {
      params.code_challenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
      params.code_challenge_method = 'S256';
    }
    const url = oidc.buildAuthorizationUrl(config, params).href;
    return { url, state, nonce, codeVerifier, ...(returnTo === undefined ? {} : { returnTo }) };
  }

  async function loadUserInfo(accessToken: string): Promise<ClassLinkUser> {
    let response: Response;
    try {
      response = await fetchImpl(userInfoEndpoint, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      throw new SsoError({
        reason: 'userinfo_failed',
        message: `Could not reach ClassLink's user info endpoint (${typeof name === 'string' ? name : 'error'})`,
        retryable: true,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SsoError({
        reason: 'userinfo_failed',
        message: `ClassLink's user info endpoint answered HTTP ${response.status}`,
        status: response.status,
        retryable: response.status >= 500 || response.status === 429,
      });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      // `/oauth2/v2/userinfo` is known to answer HTML; say so rather than "bad JSON".
      throw new SsoError({
        reason: 'userinfo_failed',
        message: `ClassLink's user info endpoint did not return JSON (content-type ${response.headers.get('content-type') ?? 'none'})`,
        status: response.status,
      });
    }
    const parsed = parseClassLinkUserInfo(body);
    if (!parsed.ok) {
      throw new SsoError({
        reason: 'userinfo_failed',
        message: `ClassLink's user info is not usable: ${parsed.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
        status: response.status,
      });
    }
    return parsed.user;
  }

  async function handleCallback(
    callbackUrl: string | URL,
    expected?: PendingLogin | null,
  ): Promise<ClassLinkLogin> {
    let received: URL;
    try {
      received = new URL(callbackUrl, redirectUri);
    } catch {
      throw new SsoError({ reason: 'invalid_callback', message: 'The callback URL is not a URL' });
    }
    const params = received.searchParams;
    const error = params.get('error');
    if (error !== null) {
      // `error` comes from the URL, so only a well-formed OAuth code is repeated.
      const oauthError = /^[a-z_]{1,64}$/.test(error) ? error : 'invalid_error_code';
      throw new SsoError(
        oauthError === 'access_denied'
          ? {
              reason: 'access_denied',
              message: 'The user or their district declined the ClassLink login',
              oauthError,
            }
          : {
              reason: 'authorization_error',
              message: `ClassLink answered the login with the error ${oauthError}`,
              oauthError,
            },
      );
    }
    if (!params.get('code')) {
      throw new SsoError({
        reason: 'invalid_callback',
        message: 'The callback URL has neither a code nor an error parameter',
      });
    }
    const state = params.get('state');
    let initiatedBy: 'sp' | 'idp';
    let checks: oidc.AuthorizationCodeGrantChecks;
    if (state === null) {
      if (!allowIdpInitiated) {
        throw new SsoError({
          reason: 'idp_initiated_not_allowed',
          message: 'A LaunchPad (IdP-initiated) launch arrived but allowIdpInitiated is off',
        });
      }
      initiatedBy = 'idp';
      // No state and no PKCE exist for a launch. `expectedNonce` stays undefined, which makes
      // openid-client require that the ID token has *no* nonce: a nonce would mean this code
      // belongs to an SP-initiated login whose state was stripped from the URL.
      checks = { idTokenExpected: true };
    } else {
      if (!expected) {
        throw new SsoError({
          reason: 'missing_session',
          message: 'The callback carries a state but no login is pending in this session',
        });
      }
      if (state !== expected.state) {
        throw new SsoError({
          reason: 'state_mismatch',
          message: 'The callback state does not match the login started in this session',
        });
      }
      initiatedBy = 'sp';
      checks = {
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
        ...(pkce ? { pkceCodeVerifier: expected.codeVerifier } : {}),
      };
    }
    const config = await getConfig();
    // Rebuilt from the configured redirect URI: behind a proxy the URL the server sees may have
    // another scheme or host, and openid-client sends this URL's path as `redirect_uri`.
    const current = new URL(redirectUri);
    for (const [key, value] of params) current.searchParams.append(key, value);
    let response: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      response = await oidc.authorizationCodeGrant(config, current, checks);
    } catch (caught) {
      throw grantError(caught);
    }
    const claims = response.claims() as ClassLinkIdTokenClaims | undefined;
    if (!claims || typeof response.id_token !== 'string') {
      throw new SsoError({
        reason: 'invalid_id_token',
        message: 'ClassLink returned no ID token',
      });
    }
    const expiresIn = response.expiresIn();
    const tokens: ClassLinkTokens = {
      accessToken: response.access_token,
      tokenType: response.token_type,
      idToken: response.id_token,
      expiresAt: new Date(Date.now() + (expiresIn ?? DEFAULT_TOKEN_LIFETIME_S) * 1000),
      ...(response.scope === undefined ? {} : { scope: response.scope }),
    };
    const user = fetchUserInfo ? await loadUserInfo(response.access_token) : null;
    const claimTenant = text(claims.classLink_tenant_id);
    if (user && claimTenant !== undefined && claimTenant !== user.tenantId) {
      throw new SsoError({
        reason: 'userinfo_failed',
        message: "The user info belongs to another tenant than the ID token's classLink_tenant_id",
      });
    }
    const tenantId = user?.tenantId ?? claimTenant;
    if (tenantId === undefined) {
      throw new SsoError({
        reason: 'userinfo_failed',
        message:
          'No ClassLink tenant id: enable fetchUserInfo or ask ClassLink for the classLink_tenant_id claim',
      });
    }
    const rosterKey: RosterKey = { tenantId };
    const sourcedId = user?.sourcedId ?? text(claims.classLink_sourcedId);
    const loginId = user?.loginId ?? text(claims.preferred_username);
    const email = user?.email ?? text(claims.email);
    if (sourcedId !== undefined) rosterKey.sourcedId = sourcedId;
    if (loginId !== undefined) rosterKey.loginId = loginId;
    if (email !== undefined) rosterKey.email = email;
    return { initiatedBy, tokens, claims, user, rosterKey };
  }

  return {
    redirectUri,
    authorizationUrl,
    handleCallback,
    resolveReturnTo: checkReturnTo,
  };
}
