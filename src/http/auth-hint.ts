/**
 * What to tell a user whose request was rejected with 401, built from the strategy's own
 * description (which never holds a secret) and scrubbed again for good measure.
 *
 * @module
 */
import type { AuthStrategy } from '../auth/types';

/**
 * A hint for an `AuthenticationError` message, per authentication type.
 *
 * @example
 * ```ts
 * authHint(auth, redactor.text);
 * // 'Sent OAuth 1.0a (HMAC-SHA256, consumer key "abcd…"). Check the consumer key and secret …'
 * ```
 */
export function authHint(auth: AuthStrategy, redact: (text: string) => string): string {
  let described: string;
  try {
    described = redact(auth.describe());
  } catch {
    described = auth.type;
  }
  switch (auth.type) {
    case 'oauth1':
      return (
        `Sent ${described}. Check the consumer key and secret, and that the server clock is ` +
        'correct: OAuth 1.0a signatures carry a timestamp that servers reject when it is off by ' +
        'more than a few minutes'
      );
    case 'oauth2':
      return (
        `Sent ${described}. Check the token URL, the client id and secret, and that the scopes ` +
        'granted cover this endpoint'
      );
    case 'bearer':
      return `Sent ${described}. Check that the bearer token is current and meant for this server`;
    default:
      return 'No credentials were sent; set the `auth` option';
  }
}
