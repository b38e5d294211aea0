/**
 * Options of {@link createClassLinkSso} and ClassLink's production endpoints.
 *
 * @module
 */

/** ClassLink's production OIDC issuer. */
export const CLASSLINK_ISSUER = 'https://launchpad.classlink.com';

/**
 * ClassLink's production endpoints. Authorize, token and issuer are documented by ClassLink; the
 * JWKS and discovery URLs are as reported by third parties (see `docs/classlink.md`).
 */
export const CLASSLINK_ENDPOINTS = {
  authorization: 'https://launchpad.classlink.com/oauth2/v2/auth',
  token: 'https://launchpad.classlink.com/oauth2/v2/token',
  jwks: 'https://launchpad.classlink.com/oauth2/v2/jwks',
  userInfo: 'https://nodeapi.classlink.com/v2/my/info',
  discovery: 'https://launchpad.classlink.com/.well-known/openid-configuration',
} as const;

/** Endpoint overrides; any left out is derived from the issuer (see {@link ClassLinkSsoOptions}). */
export interface ClassLinkEndpoints {
  authorization?: string;
  token?: string;
  jwks?: string;
  /** ClassLink's `/v2/my/info` (not the OIDC `userinfo_endpoint`, which returns other fields). */
  userInfo?: string;
}

/** Options of {@link createClassLinkSso}. */
export interface ClassLinkSsoOptions {
  /** OAuth client id from the ClassLink Partner Portal. */
  clientId: string;
  /** OAuth client secret. Never logged, never in error messages. */
  clientSecret: string;
  /**
   * The callback URL registered in the Partner Portal, exactly (ClassLink compares it verbatim).
   * LaunchPad launches arrive here too. Must not carry a query string or fragment.
   */
  redirectUri: string;
  /**
   * Scopes to request. `openid` is always added (the ID token is required).
   * @default ['openid', 'profile']
   */
  scopes?: readonly string[];
  /**
   * The OIDC issuer. Endpoints not given in `endpoints` are derived from it with ClassLink's
   * paths (`/oauth2/v2/auth`, `/oauth2/v2/token`, `/oauth2/v2/jwks`, `/v2/my/info`); for the
   * production issuer the user-info endpoint is `https://nodeapi.classlink.com/v2/my/info`.
   * @default 'https://launchpad.classlink.com'
   */
  issuer?: string;
  /** Explicit endpoint URLs. */
  endpoints?: ClassLinkEndpoints;
  /**
   * Load the issuer's `/.well-known/openid-configuration` instead of using static metadata.
   * Off by default: ClassLink does not document its discovery document, and its
   * `userinfo_endpoint` is not the `/v2/my/info` endpoint this helper reads.
   * @default false
   */
  discovery?: boolean;
  /** A `fetch` for every request to ClassLink (e.g. the mock ClassLink's `fetch`). */
  fetch?: typeof globalThis.fetch;
  /**
   * Send a PKCE S256 challenge on SP-initiated logins. Turn off only if a Partner Portal
   * connection rejects it; `codeVerifier` is then still returned but never sent.
   * @default true
   */
  pkce?: boolean;
  /**
   * Accept LaunchPad (IdP-initiated) launches: a callback with a code and no `state`. The ID
   * token is still fully verified; it must carry no `nonce` (ClassLink sends none for such
   * launches, and a nonce would mean the code was minted for an SP-initiated login whose
   * `state` was stripped).
   * @default false
   */
  allowIdpInitiated?: boolean;
  /** Allowed clock difference, in seconds, for the ID token's `exp`/`iat`. @default 30 */
  clockSkewS?: number;
  /** How the client authenticates at the token endpoint. @default 'client_secret_post' */
  tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
  /** Fetch `/v2/my/info` after the code exchange. @default true */
  fetchUserInfo?: boolean;
  /** Timeout of each request to ClassLink, in ms. @default 10_000 */
  timeout?: number;
  /** Origins besides the `redirectUri`'s that `returnTo` targets may point at. */
  allowedReturnOrigins?: readonly string[];
  /**
   * Allow plain `http:` endpoints. Loopback hosts (`127.0.0.1`, `localhost`, `[::1]`) are
   * always allowed so the mock ClassLink works; anything else needs this flag.
   * @default false
   */
  allowInsecureHttp?: boolean;
}

/** Options of `sso.authorizationUrl()`. */
export interface AuthorizationUrlOptions {
  /**
   * Where to send the user after the login; checked now (see `resolveReturnTo`) and returned
   * for the session, so a bad target is refused before the user leaves for ClassLink.
   */
  returnTo?: string | null;
  /** Scopes for this login instead of the configured ones (`openid` is always added). */
  scopes?: readonly string[];
  /** Pre-fill the login name at ClassLink. */
  loginHint?: string;
  /** Extra authorization request parameters. `state`, `nonce` and PKCE cannot be overridden. */
  extraParams?: Record<string, string>;
}

/** What to keep in the session between `authorizationUrl()` and `handleCallback()`. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Result of `sso.authorizationUrl()`. */
export interface AuthorizationRequest extends PendingLogin {
  /** Redirect the browser here. */
  url: string;
  /** The checked post-login target, when `returnTo` was given. */
  returnTo?: string;
}
