/**
 * RFC 3986 percent-encoding, the one encoding used for everything we send in a query string and
 * everything we put into an OAuth 1.0a signature base string (RFC 5849 §3.6).
 *
 * @module
 */
import { ConfigurationError } from '../errors';

// encodeURIComponent already keeps exactly the unreserved set plus these five sub-delimiters;
// RFC 5849 §3.6 wants them encoded too, and some servers reject or mis-split on a raw `'`.
const EXTRA_RESERVED = /[!'()*]/g;

function encodeExtra(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Percent-encode a string with the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`) kept as is and
 * every other character encoded as UTF-8 bytes with upper-case hex. A space becomes `%20`, never
 * `+`, and `! ' ( ) *` are encoded, which is what an OAuth 1.0a signature requires.
 *
 * @throws {ConfigurationError} when the string holds a lone UTF-16 surrogate, which has no
 * UTF-8 encoding (silently replacing it would sign and send a different value).
 *
 * @example
 * ```ts
 * encodeRfc3986("status='active' AND role='student'");
 * // "status%3D%27active%27%20AND%20role%3D%27student%27"
 * ```
 */
export function encodeRfc3986(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    if (cause instanceof URIError) {
      throw new ConfigurationError(
        'query',
        'a query name or value contains a lone UTF-16 surrogate, which cannot be encoded as UTF-8',
      );
    }
    throw cause;
  }
  return encoded.replace(EXTRA_RESERVED, encodeExtra);
}

/**
 * Decode a percent-encoded string per RFC 3986. Unlike form decoding, `+` stays a literal plus:
 * we never emit `+` for a space, so a `+` on the wire can only mean `+`.
 *
 * Returns `undefined` for malformed input (a stray `%` or invalid UTF-8) so that callers can
 * decide how to report it.
 *
 * @example
 * ```ts
 * decodeRfc3986('a%20b+c'); // 'a b+c'
 * decodeRfc3986('100%');    // undefined
 * ```
 */
export function decodeRfc3986(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
