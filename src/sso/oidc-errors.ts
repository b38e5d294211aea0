/**
 * Maps openid-client failures of the code exchange onto {@link SsoError} reasons. Kept apart so
 * the mapping (which depends on openid-client's error codes) is one small table to maintain.
 *
 * @module
 */
import * as oidc from 'openid-client';
import { SsoError } from './errors';

interface Inner {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

function inner(error: unknown): Inner | undefined {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return typeof cause === 'object' && cause !== null ? (cause as Inner) : undefined;
}

/** The claim a JWT check failed on; oauth4webapi puts it in `cause.claim`. */
function failedClaim(error: unknown): string | undefined {
  const detail = inner(inner(error));
  const claim = (detail as { claim?: unknown } | undefined)?.claim;
  return typeof claim === 'string' ? claim : undefined;
}

/** oauth4webapi's messages are fixed strings without data, so they are safe to repeat. */
function innerMessage(error: unknown): string {
  const message = inner(error)?.message;
  return typeof message === 'string' ? message : String((error as Error).message ?? error);
}

const ID_TOKEN_CODES = new Set<string>([
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
  'OAUTH_PARSE_ERROR',
  'OAUTH_UNSUPPORTED_OPERATION',
]);

/**
 * Turn an error thrown by `authorizationCodeGrant` into an {@link SsoError}.
 *
 * @example
 * ```ts
 * try { await oidc.authorizationCodeGrant(config, url, checks); }
 * catch (error) { throw grantError(error); }
 * ```
 */
export function grantError(error: unknown): SsoError {
  if (error instanceof SsoError) return error;
  if (error instanceof oidc.ResponseBodyError) {
    // `error.error` is the OAuth error code (`invalid_grant`); the description may echo input,
    // so it is left out.
    const oauthError = /^[\w.-]{1,64}$/.test(error.error) ? error.error : 'invalid_response';
    return new SsoError({
      reason: 'token_exchange_failed',
      message: `ClassLink refused the authorization code (HTTP ${error.status}, ${oauthError}); start the login again`,
      oauthError,
      status: error.status,
      retryable: error.status >= 500,
    });
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 with a challenge: the body (with `invalid_client`) is not read by openid-client, but
    // RFC 6749 §5.2 makes a 401 from the token endpoint mean exactly that.
    const challenged = error.cause[0]?.parameters.error;
    const oauthError =
      challenged && /^[\w.-]{1,64}$/.test(challenged)
        ? challenged
        : error.status === 401
          ? 'invalid_client'
          : undefined;
    return new SsoError({
      reason: 'token_exchange_failed',
      message:
        error.status === 401
          ? 'ClassLink refused the client credentials (HTTP 401); check clientId and clientSecret'
          : `ClassLink refused the token request (HTTP ${error.status})`,
      oauthError,
      status: error.status,
    });
  }
  if (error instanceof oidc.ClientError) {
    const code = error.code;
    const claim = failedClaim(error);
    if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'nonce') {
      return new SsoError({
        reason: 'nonce_mismatch',
        message: 'The ID token nonce does not match this login (replayed or injected token)',
        oidcCode: code,
        claim,
      });
    }
    const message = innerMessage(error);
    const aboutIdToken =
      (code !== undefined && ID_TOKEN_CODES.has(code)) ||
      (code === 'OAUTH_INVALID_RESPONSE' && /JWT|id_token/.test(message));
    if (aboutIdToken) {
      return new SsoError({
        reason: 'invalid_id_token',
        message: `The ID token failed verification: ${message}`,
        oidcCode: code,
        claim,
      });
    }
    const status = (inner(error) as { status?: unknown } | undefined)?.status;
    return new SsoError({
      reason: 'token_exchange_failed',
      message: `The token exchange with ClassLink failed: ${message}`,
      oidcCode: code,
      status: typeof status === 'number' ? status : undefined,
      retryable: code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_TIMEOUT',
    });
  }
  if (error instanceof oidc.AuthorizationResponseError) {
    return new SsoError({
      reason: 'authorization_error',
      message: 'ClassLink returned an authorization error',
      oauthError: error.error,
    });
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  const argumentCode = (error as { code?: unknown } | undefined)?.code;
  if (typeof argumentCode === 'string' && argumentCode.startsWith('ERR_INVALID_ARG')) {
    // openid-client refused its input (a programming error), not a network failure.
    return new SsoError({
      reason: 'token_exchange_failed',
      message: `openid-client refused the token request (${argumentCode})`,
      oidcCode: argumentCode,
    });
  }
  // fetch() rejections (DNS, refused connection, timeout) are TypeErrors or DOMExceptions.
  return new SsoError({
    reason: 'token_exchange_failed',
    message: `Could not reach the ClassLink token endpoint (${typeof name === 'string' ? name : 'error'})`,
    retryable: true,
  });
}
