/**
 * Query-string serialisation. The string built here is both what is sent and what the OAuth 1.0a
 * signature covers, so nothing else (URLSearchParams, ky's `searchParams`) may re-serialise it.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import type { QueryParams, QueryValue } from '../http/types';
import { encodeRfc3986 } from './encode';

function valueToString(name: string, value: Exclude<QueryValue, undefined>): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new ConfigurationError(name, `must be a finite number, got ${String(value)}`);
    }
    return String(value);
  }
  // An empty list would serialise as `fields=`, which OneRoster servers reject as a blank
  // selection; omitting it means "no selection", the only sensible reading.
  if (value.length === 0) return undefined;
  return value.join(',');
}

/**
 * Serialise query parameters as `name=value&name=value` (no leading `?`), in insertion order.
 *
 * - `undefined` values and empty arrays are skipped.
 * - Arrays are joined with `,` (OneRoster's `fields=a,b` form). The comma is part of the value,
 *   so it goes through the encoder like every other character and is sent as `%2C`; servers
 *   decode the value before splitting it, so `%2C` and `,` are equivalent to them, and encoding
 *   it keeps one rule for every character. Array items must not contain commas themselves.
 * - Numbers and booleans go through `String()`.
 * - Every name and value is encoded with {@link encodeRfc3986} (space is `%20`, never `+`).
 *
 * @throws {ConfigurationError} naming the parameter for a non-finite number.
 *
 * @example
 * ```ts
 * serializeQuery({ limit: 100, offset: 0, filter: "role='student'", fields: ['sourcedId', 'givenName'] });
 * // "limit=100&offset=0&filter=role%3D%27student%27&fields=sourcedId%2CgivenName"
 * ```
 */
export function serializeQuery(params: QueryParams): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const text = valueToString(name, value);
    if (text === undefined) continue;
    pairs.push(`${encodeRfc3986(name)}=${encodeRfc3986(text)}`);
  }
  return pairs.join('&');
}
