/**
 * Redaction for everything the HTTP layer logs or puts into an error message. Every log call in
 * `http/` goes through {@link createRedactor}, so a secret can only leak by bypassing it.
 *
 * @module
 */
import { redactUrl } from '../errors';

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';

// Secrets shorter than this are not searched for in free text: redacting every "ab" would mangle
// logs without protecting anything real (such a secret is not a credential worth the name).
const MIN_SECRET_LENGTH = 4;

// Credential shapes that can appear in free text even when the exact value is unknown to us
// (a server echoing a header back, an OAuth parameter in an error description).
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // A token-looking word (has a digit or token punctuation) after the scheme, so prose such as
  // "bearer token" in a hint is left alone.
  [
    /\b(bearer|basic)\s+(?=[A-Za-z0-9\-._~+/]*[0-9\-._~+/])[A-Za-z0-9\-._~+/]{6,}=*/gi,
    `$1 ${REDACTED}`,
  ],
  [/\b(oauth_[a-z_]+)(\s*=\s*"?)[^"&,\s]*/gi, `$1$2${REDACTED}`],
  [
    /\b(access_token|refresh_token|id_token|client_secret|consumer_secret|password|api_key)(["']?\s*[:=]\s*["']?)[^"&,\s}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // Last, so the specific patterns above have already removed what they recognise.
  [/\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)[^\r\n"',}]+/gi, `$1$2${REDACTED}`],
];

const SECRET_KEYS = /authorization|secret|token|password|signature|cookie|api[-_]?key/i;
const URL_KEYS = /^(url|href|link|location)$/i;

/** A function that scrubs strings and log objects. */
export interface Redactor {
  /** Scrub one string (a message, reason or excerpt). */
  text(value: string): string;
  /**
   * Copy a log object with secret-named keys replaced, URLs passed through `redactUrl` and every
   * other string scrubbed. Never mutates the input.
   */
  fields<T extends object>(value: T): T;
}

/**
 * Build a redactor. `secrets` is called on every use because tokens rotate (an OAuth 2 token
 * fetched after the transport was created must be redacted too).
 *
 * @example
 * ```ts
 * const redact = createRedactor(() => auth.secrets());
 * logger.debug(redact.fields({ url, status }), 'response');
 * ```
 */
export function createRedactor(secrets: () => readonly string[]): Redactor {
  function text(value: string): string {
    let out = value;
    const known = secrets()
      .filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
      // Longest first, so a token that contains another secret is removed whole.
      .sort((a, b) => b.length - a.length);
    for (const secret of known) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      // Secrets also travel percent-encoded (OAuth 1.0a signing keys, form bodies).
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
    }
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  function scrub(value: unknown, key: string | undefined, depth: number): unknown {
    if (key !== undefined && SECRET_KEYS.test(key) && value !== undefined && value !== null) {
      return REDACTED;
    }
    if (typeof value === 'string') {
      return key !== undefined && URL_KEYS.test(key) ? text(redactUrl(value)) : text(value);
    }
    if (value instanceof URL) return text(redactUrl(value));
    if (typeof value !== 'object' || value === null) return value;
    // Log objects are shallow by construction; the bound only guards against cycles.
    if (depth > 4) return '[Object]';
    if (Array.isArray(value)) return value.map((item) => scrub(item, undefined, depth + 1));
    if (value instanceof Error) return text(value.message);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, k, depth + 1);
    return out;
  }

  return {
    text,
    fields<T extends object>(value: T): T {
      return scrub(value, undefined, 0) as T;
    },
  };
}
