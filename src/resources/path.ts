/**
 * Path segments built from caller-supplied ids.
 *
 * @module
 */
import { ConfigurationError } from '../errors';

/**
 * Encode one id as a single path segment. `encodeURIComponent` keeps `/`, `?` and `#` inside the
 * segment; `.` and `..` are refused because URL parsers resolve them (even percent-encoded) and
 * would silently request another resource.
 *
 * @param name The parameter name, reported in the error (e.g. `schoolSourcedId`).
 * @throws {ConfigurationError} naming the parameter for a non-string, empty, `.` or `..` id.
 *
 * @example
 * ```ts
 * `/schools/${pathId('schoolSourcedId', 'a/b c')}/classes`; // '/schools/a%2Fb%20c/classes'
 * ```
 */
export function pathId(name: string, id: unknown): string {
  if (typeof id !== 'string') {
    throw new ConfigurationError(name, `must be a sourcedId string, got ${describe(id)}`);
  }
  if (id === '') throw new ConfigurationError(name, 'must not be empty');
  if (id === '.' || id === '..') {
    throw new ConfigurationError(name, `must not be "${id}": it would change the request path`);
  }
  return encodeURIComponent(id);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
