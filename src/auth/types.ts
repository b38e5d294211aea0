/**
 * The contract between the HTTP layer and an authentication strategy. `http/` calls
 * `authorize()` on every attempt (OAuth 1.0a needs a fresh nonce, timestamp and signature over
 * the exact URL sent) and `refresh()` once after a 401.
 *
 * @module
 */

/** The request being authorised: the exact method and final URL (query included) that is sent. */
export interface AuthRequest {
  method: string;
  url: URL;
  signal?: AbortSignal | undefined;
}

/** An authentication strategy built from `AuthOptions`. */
export interface AuthStrategy {
  readonly type: 'oauth1' | 'oauth2' | 'bearer' | 'none';
  /** Headers to add to this attempt (e.g. `Authorization`). */
  authorize(request: AuthRequest): Promise<Record<string, string>>;
  /**
   * Called once after a 401. Returns `true` when new credentials were obtained and the request
   * should be replayed once (OAuth 2: a fresh token); `false` when replaying cannot help.
   */
  refresh?(signal?: AbortSignal): Promise<boolean>;
  /**
   * What was used, for a 401's message, without any secret, e.g.
   * `OAuth 1.0a (HMAC-SHA256, consumer key "abcd…")`.
   */
  describe(): string;
  /** Secret strings this strategy holds (secrets, current tokens), so loggers can redact them. */
  secrets(): string[];
}
