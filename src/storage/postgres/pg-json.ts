/**
 * PostgreSQL cannot store U+0000 in `jsonb` (nor de-escape it from `json`): one record with a NUL
 * character in a string would fail every run of its tenant. Such a character is never meaningful
 * in roster data, so the adapter stores U+FFFD (the replacement character) instead; this is the
 * only way in which PostgreSQL may return a record different from the one staged.
 *
 * @module
 */

// `\u0000` in JSON text, unless its backslash is itself escaped (`\\u0000` is the six
// characters of a literal backslash-u-0-0-0-0, not a NUL).
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

/** `json` (JSON text) with every escaped U+0000 replaced by U+FFFD. */
export function withoutNul(json: string): string {
  return json.includes('\\u0000') ? json.replace(ESCAPED_NUL, '$1\\ufffd') : json;
}
