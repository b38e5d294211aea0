/**
 * The one error class of `./sso`. A login fails for many reasons; callers branch on `reason`
 * (show "try again" for `state_mismatch`, "your district denied access" for `access_denied`)
 * instead of parsing messages.
 *
 * @module
 */
import { isOneRosterError, OneRosterError } from '../errors';

/** Why a login failed. Stable: never renamed once released. */
export type SsoErrorReason =
  /** The callback's `state` is not the one stored for this login (CSRF, or a stale tab). */
  | 'state_mismatch'
  /** A callback carried a `state` but no login was pending in this session. */
  | 'missing_session'
  /** The ID token's `nonce` is not the one sent (replayed or injected token). */
  | 'nonce_mismatch'
  /** The ID token is missing, badly signed, from another issuer or audience, or expired. */
  | 'invalid_id_token'
  /** The token endpoint refused the code (replayed, expired, PKCE mismatch) or failed. */
  | 'token_exchange_failed'
  /** The user or their district refused the login (`error=access_denied`). */
  | 'access_denied'
  /** The IdP answered the authorization request with another OAuth error. */
  | 'authorization_error'
  /** A LaunchPad (IdP-initiated) launch arrived and `allowIdpInitiated` is off. */
  | 'idp_initiated_not_allowed'
  /** `/v2/my/info` failed or returned something that is not a ClassLink user. */
  | 'userinfo_failed'
  /** The callback URL has neither a code nor an error. */
  | 'invalid_callback'
  /** A post-login redirect target (`returnTo`) points outside the allowed origins. */
  | 'redirect_not_allowed'
  /** The OIDC discovery document could not be loaded or is invalid. */
  | 'discovery_failed';

/** What an {@link SsoError} is built from. Never put codes, tokens or secrets in here. */
export interface SsoErrorInit {
  reason: SsoErrorReason;
  message: string;
  /** Whether trying the same login again later may succeed (network failures). */
  retryable?: boolean;
  /** The OAuth `error` value the IdP sent (`invalid_grant`, `access_denied`), when any. */
  oauthError?: string | undefined;
  /** The openid-client error code (`OAUTH_JWT_CLAIM_COMPARISON_FAILED`, ...), when any. */
  oidcCode?: string | undefined;
  /** The ID token claim that failed a check (`iss`, `aud`, `exp`, `nonce`), when any. */
  claim?: string | undefined;
  /** HTTP status of the failing IdP response, when any. */
  status?: number | undefined;
}

/**
 * A ClassLink OneClick login failed. `code` is always `sso_error`; `reason` says why.
 *
 * The underlying openid-client error is deliberately *not* attached as `cause`: it carries the
 * ID token's claims, the token response and the request, which would leak tokens and personal
 * data into any logger that serialises causes. The useful parts are copied into `oauthError`,
 * `oidcCode`, `claim` and `status` instead.
 *
 * @example
 * ```ts
 * try {
 *   const login = await sso.handleCallback(request.url, session.pending);
 * } catch (error) {
 *   if (error instanceof SsoError && error.reason === 'access_denied') return showDenied();
 *   throw error;
 * }
 * ```
 */
export class SsoError extends OneRosterError {
  /** Why the login failed. */
  readonly reason: SsoErrorReason;
  /** The OAuth `error` value the IdP sent, when any. */
  readonly oauthError: string | undefined;
  /** The openid-client error code, when the failure came from it. */
  readonly oidcCode: string | undefined;
  /** The ID token claim that failed, when any. */
  readonly claim: string | undefined;
  /** HTTP status of the failing response, when any. */
  readonly status: number | undefined;

  constructor(init: SsoErrorInit) {
    super(init.message, { code: 'sso_error', retryable: init.retryable ?? false });
    this.reason = init.reason;
    this.oauthError = init.oauthError;
    this.oidcCode = init.oidcCode;
    this.claim = init.claim;
    this.status = init.status;
  }
}

/**
 * Whether a value is an {@link SsoError}, also across two loaded copies of the package.
 *
 * @example
 * ```ts
 * if (isSsoError(error) && error.reason === 'state_mismatch') return redirect('/login');
 * ```
 */
export function isSsoError(value: unknown): value is SsoError {
  return (
    isOneRosterError(value) &&
    value.code === 'sso_error' &&
    typeof (value as { reason?: unknown }).reason === 'string'
  );
}
