/**
 * OAuth 1.0a (RFC 5849) signature primitives as pure functions. The client signs with them and
 * the mock server verifies with them, so one implementation defines "correct" on both sides.
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { ConfigurationError } from '../errors';
import { decodeRfc3986, encodeRfc3986 } from '../query/encode';

/** The HMAC signature methods OneRoster servers accept. */
export type OAuth1SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

/** Parameters that identify the header but never enter the base string (RFC 5849 §3.4.1.3.1). */
const NOT_SIGNED = new Set(['oauth_signature', 'realm']);

/**
 * Split a raw query (without `?`) into decoded name/value pairs.
 *
 * Each piece is split on its FIRST `=` only, so `filter=status='active'` keeps its value.
 * Decoding follows RFC 3986, not form rules: `+` stays a literal plus (this client never emits
 * `+` for a space, it sends `%20`). A piece with malformed percent-encoding is kept as literal
 * text, which is what the server sees too.
 */
export function queryPairs(search: string): Array<[string, string]> {
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq === -1 ? piece : piece.slice(0, eq);
    const value = eq === -1 ? '' : piece.slice(eq + 1);
    pairs.push([decodeRfc3986(name) ?? name, decodeRfc3986(value) ?? value]);
  }
  return pairs;
}

/** RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, path, no query. */
export function baseStringUri(url: URL): string {
  // WHATWG URL already lower-cases scheme and host and drops the scheme's default port.
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Build the RFC 5849 §3.4.1 signature base string:
 * `UPPER(method) & enc(base URI) & enc(normalised parameters)`.
 *
 * Parameters are every query parameter of `url` (decoded as described below), the `oauthParams`
 * (except `oauth_signature` and `realm`) and any `extraParams` (e.g. decoded
 * `application/x-www-form-urlencoded` body parameters, RFC 5849 §3.4.1.3.1). Each name and value is
 * encoded with {@link encodeRfc3986}, then sorted by encoded name and, for equal names, by encoded
 * value, and joined as `name=value` with `&`.
 *
 * The query is split on `&`, then each piece on its first `=` only, and percent-decoded per
 * RFC 3986: a `+` is a literal plus, never a space (this client always sends spaces as `%20`).
 *
 * @example
 * ```ts
 * const url = new URL("https://x.test/ims/oneroster/v1p1/users?filter=role%3D%27student%27");
 * oauth1BaseString('GET', url, {
 *   oauth_consumer_key: 'key',
 *   oauth_nonce: 'abc',
 *   oauth_signature_method: 'HMAC-SHA256',
 *   oauth_timestamp: '1700000000',
 *   oauth_version: '1.0',
 * });
 * // "GET&https%3A%2F%2Fx.test%2Fims%2Foneroster%2Fv1p1%2Fusers&filter%3Drole%253D%2527student%2527%26oauth_consumer_key%3Dkey…"
 * ```
 */
export function oauth1BaseString(
  method: string,
  url: URL,
  oauthParams: Record<string, string>,
  extraParams: ReadonlyArray<readonly [string, string]> = [],
): string {
  const pairs: Array<readonly [string, string]> = [...queryPairs(url.search), ...extraParams];
  for (const [name, value] of Object.entries(oauthParams)) {
    if (!NOT_SIGNED.has(name)) pairs.push([name, value]);
  }
  const encoded = pairs.map(
    ([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const,
  );
  // Plain code-unit comparison: encoded strings are ASCII, so this is the byte order RFC 5849 wants
  // (localeCompare would not be).
  encoded.sort(([an, av], [bn, bv]) => (an === bn ? compare(av, bv) : compare(an, bn)));
  const normalised = encoded.map(([name, value]) => `${name}=${value}`).join('&');
  return [method.toUpperCase(), encodeRfc3986(baseStringUri(url)), encodeRfc3986(normalised)].join(
    '&',
  );
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Sign a base string: Base64 of the HMAC (SHA-256 or SHA-1) keyed with
 * `enc(consumerSecret) & enc(tokenSecret)` (RFC 5849 §3.4.2). OneRoster is two-legged, so the token
 * secret is normally empty.
 *
 * @throws {ConfigurationError} naming `auth.signatureMethod` for an unsupported method.
 *
 * @example
 * ```ts
 * const signature = oauth1Signature(baseString, consumerSecret, 'HMAC-SHA256');
 * ```
 */
export function oauth1Signature(
  baseString: string,
  consumerSecret: string,
  method: OAuth1SignatureMethod,
  tokenSecret = '',
): string {
  const algorithm = method === 'HMAC-SHA256' ? 'sha256' : method === 'HMAC-SHA1' ? 'sha1' : null;
  if (algorithm === null) {
    throw new ConfigurationError(
      'auth.signatureMethod',
      `must be 'HMAC-SHA256' or 'HMAC-SHA1', got ${JSON.stringify(String(method))}`,
    );
  }
  const key = `${encodeRfc3986(consumerSecret)}&${encodeRfc3986(tokenSecret)}`;
  return createHmac(algorithm, key).update(baseString, 'utf8').digest('base64');
}

const SCHEME = /^\s*OAuth(?:\s+|$)/i;
const PARAM = /^([A-Za-z0-9_.~%-]+)\s*=\s*(?:"([^"]*)"|([^\s,"]*))/;

/**
 * Parse an `Authorization: OAuth …` header into its parameters (RFC 5849 §3.5.1).
 *
 * Tolerant of what real clients send: any whitespace around `=` and after commas, a `realm`
 * (returned as is, it is not percent-encoded), unquoted values. Other values are percent-decoded.
 * Returns `null` when the header is not an OAuth header, is malformed, or repeats a parameter
 * (RFC 5849 forbids repeats, and accepting one would let a proxy's parameter shadow the client's).
 *
 * @example
 * ```ts
 * parseOAuthAuthorizationHeader('OAuth realm="x", oauth_consumer_key="k%20y", oauth_nonce="n"');
 * // { realm: 'x', oauth_consumer_key: 'k y', oauth_nonce: 'n' }
 * ```
 */
export function parseOAuthAuthorizationHeader(header: string): Record<string, string> | null {
  const scheme = SCHEME.exec(header);
  if (!scheme) return null;
  const params: Record<string, string> = Object.create(null);
  let rest = header.slice(scheme[0].length);
  let expectSeparator = false;
  for (;;) {
    rest = rest.trimStart();
    if (rest === '') break;
    if (expectSeparator) {
      if (!rest.startsWith(',')) return null;
      rest = rest.slice(1);
      expectSeparator = false;
      continue;
    }
    const match = PARAM.exec(rest);
    if (!match) return null;
    const rawName = match[1] ?? '';
    const rawValue = match[2] ?? match[3] ?? '';
    const name = decodeRfc3986(rawName);
    const value = name === 'realm' ? rawValue : decodeRfc3986(rawValue);
    if (name === undefined || value === undefined || Object.hasOwn(params, name)) return null;
    params[name] = value;
    rest = rest.slice(match[0].length);
    expectSeparator = true;
  }
  // A plain object, so callers can spread and compare it like any other record.
  return { ...params };
}

/**
 * Format OAuth parameters as an `Authorization` header value: `OAuth k="enc(v)",k="enc(v)"`.
 * Names and values are RFC 3986 encoded; a `realm` comes first and is quoted as is. Parameters are
 * comma-separated without spaces, exactly as ClassLink's reference clients send them (RFC 5849
 * parsers accept either).
 *
 * @example
 * ```ts
 * formatOAuthAuthorizationHeader({ oauth_consumer_key: 'key', oauth_signature: 'a+b/c=' });
 * // 'OAuth oauth_consumer_key="key",oauth_signature="a%2Bb%2Fc%3D"'
 * ```
 */
export function formatOAuthAuthorizationHeader(params: Record<string, string>): string {
  const parts: string[] = [];
  const realm = params.realm;
  if (realm !== undefined) parts.push(`realm="${realm.replaceAll('"', '')}"`);
  for (const [name, value] of Object.entries(params)) {
    if (name === 'realm') continue;
    parts.push(`${encodeRfc3986(name)}="${encodeRfc3986(value)}"`);
  }
  return `OAuth ${parts.join(',')}`;
}
