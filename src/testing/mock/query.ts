/**
 * Reading a request's query string the way a OneRoster server does: RFC 3986 decoding (a `+`
 * is a plus, as in the OAuth 1.0a base string), then `limit`, `offset`, `sort`, `orderBy`,
 * `fields` and `filter` (oneroster.md §7).
 *
 * @module
 */
import { decodeRfc3986 } from '../../query/encode';
import type { CodeMinor } from './status-info';

/** The decoded query: every value of every name, in order. */
export type QueryValues = ReadonlyMap<string, readonly string[]>;

/** Decode `?a=1&b=x%20y` into names and values. Malformed escapes are kept literally. */
export function readQuery(search: string): QueryValues {
  const out = new Map<string, string[]>();
  const query = search.startsWith('?') ? search.slice(1) : search;
  if (query === '') return out;
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    const name = decodeRfc3986(rawName) ?? rawName;
    const value = decodeRfc3986(rawValue) ?? rawValue;
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

/** The paging and selection parameters of a collection request. */
export interface CollectionQuery {
  /** The requested page size, before clamping. */
  limit: number;
  offset: number;
  sort: string | undefined;
  orderBy: 'asc' | 'desc';
  /** Requested fields, or `undefined` for all. */
  fields: string[] | undefined;
  filter: string | undefined;
}

/** A rejected parameter. */
export interface QueryError {
  codeMinor: CodeMinor;
  description: string;
}

const DIGITS = /^\d+$/;

function first(values: QueryValues, name: string): string | undefined {
  return values.get(name)?.[0];
}

/**
 * `fields` as a list. Accepts the comma form every provider uses and the repeated form the 1.2
 * OpenAPI implies (oneroster.md §7.3). `[]` means the parameter was present but blank.
 */
export function readFields(values: QueryValues): string[] | undefined {
  const raw = values.get('fields');
  if (raw === undefined) return undefined;
  return raw
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Parse and check the collection parameters. */
export function parseCollectionQuery(
  values: QueryValues,
  defaultLimit: number,
): CollectionQuery | QueryError {
  const limitText = first(values, 'limit');
  let limit = defaultLimit;
  if (limitText !== undefined) {
    if (!DIGITS.test(limitText) || Number(limitText) < 1) {
      return {
        codeMinor: 'invaliddata',
        description: "Query parameter 'limit' must be a positive integer",
      };
    }
    limit = Math.min(Number(limitText), Number.MAX_SAFE_INTEGER);
  }
  const offsetText = first(values, 'offset');
  let offset = 0;
  if (offsetText !== undefined) {
    if (!DIGITS.test(offsetText)) {
      return {
        codeMinor: 'invaliddata',
        description: "Query parameter 'offset' must be a non-negative integer",
      };
    }
    offset = Math.min(Number(offsetText), Number.MAX_SAFE_INTEGER);
  }
  const orderText = first(values, 'orderBy');
  if (orderText !== undefined && orderText !== 'asc' && orderText !== 'desc') {
    return {
      codeMinor: 'invaliddata',
      description: "Query parameter 'orderBy' must be 'asc' or 'desc'",
    };
  }
  const sort = first(values, 'sort');
  return {
    limit,
    offset,
    sort: sort === undefined || sort.trim() === '' ? undefined : sort.trim(),
    orderBy: orderText === 'desc' ? 'desc' : 'asc',
    fields: readFields(values),
    filter: first(values, 'filter'),
  };
}
