/**
 * Header merging with validation, so that a bad user header is a `ConfigurationError` naming it
 * rather than an unclassified `TypeError` from deep inside fetch.
 *
 * @module
 */
import { ConfigurationError } from '../errors';

/**
 * Merge header sets, later sets winning (names are case-insensitive).
 *
 * @throws {ConfigurationError} naming the option and the header, never the value (it may be a
 *   credential).
 *
 * @example
 * ```ts
 * const headers = mergeHeaders('headers', { accept: 'application/json' }, user, authHeaders);
 * ```
 */
export function mergeHeaders(
  option: string,
  ...sets: Array<Headers | Record<string, string> | undefined>
): Headers {
  const out = new Headers();
  for (const set of sets) {
    if (!set) continue;
    const entries = set instanceof Headers ? set.entries() : Object.entries(set);
    for (const [name, value] of entries) {
      try {
        out.set(name, value);
      } catch {
        throw new ConfigurationError(option, `header "${name}" has an invalid name or value`);
      }
    }
  }
  return out;
}
