/**
 * The parameters of collection and single-object reads, validated and turned into the query that
 * is serialised, sent and signed.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import type { QueryParams } from '../http/types';
import { type Filter, isFilter } from './filter';
import { describeName, isValidFieldName } from './names';

/**
 * Options of every `list` call.
 *
 * @example
 * ```ts
 * const params: ListParams = {
 *   filter: filter.eq('role', 'student'),
 *   sort: 'familyName',
 *   orderBy: 'asc',
 *   fields: ['sourcedId', 'givenName', 'familyName'],
 *   limit: 500,
 * };
 * ```
 */
export interface ListParams {
  /** A {@link Filter} from `filter.*()`, or a raw expression string sent as written. */
  filter?: Filter | string;
  /** The field to sort by. */
  sort?: string;
  /** Sort direction; only meaningful (and only allowed) together with `sort`. */
  orderBy?: 'asc' | 'desc';
  /** Fields to return (`fields=a,b`); a list or a comma-separated string. */
  fields?: readonly string[] | string;
  /** Page size (`limit`), an integer >= 1. Defaults to the client's `pageSize`. */
  limit?: number;
  /** Zero-based index of the first record, an integer >= 0. @default 0 */
  offset?: number;
}

/**
 * Options of every single-object read (`get`).
 *
 * @example
 * ```ts
 * await client.users.get('u-1', { fields: ['sourcedId', 'email'] });
 * ```
 */
export interface GetParams {
  /** Fields to return (`fields=a,b`); a list or a comma-separated string. */
  fields?: readonly string[] | string;
}

function assertInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const got = typeof value === 'number' ? String(value) : typeof value;
    throw new ConfigurationError(name, `must be an integer >= ${min}, got ${got}`);
  }
  return value;
}

function toFieldList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  let names: unknown[];
  if (typeof value === 'string') names = value.split(',').map((name) => name.trim());
  else if (Array.isArray(value)) names = value;
  else throw new ConfigurationError('fields', 'must be a list of field names or a string');
  // `fields=` is rejected by servers as a blank selection, and an empty list almost always means
  // a bug in the caller's code, so say so instead of silently returning every field.
  if (names.length === 0) throw new ConfigurationError('fields', 'must name at least one field');
  for (const name of names) {
    if (!isValidFieldName(name)) {
      throw new ConfigurationError('fields', `field name ${describeName(name)} is not valid`);
    }
  }
  return names as string[];
}

function toFilterString(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (isFilter(value)) return value.toString();
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new ConfigurationError(
    'filter',
    'must be a filter built with filter.*() or a non-empty expression string',
  );
}

/**
 * Validate list parameters and build the query for one page request.
 *
 * `limit` defaults to `defaults.pageSize` and `offset` to 0; both are always present so that the
 * first request and later pages have the same shape. Keys come out in the order
 * `limit, offset, sort, orderBy, filter, fields`.
 *
 * @throws {ConfigurationError} naming the parameter: `limit` not an integer >= 1, `offset` not an
 * integer >= 0, `orderBy` without `sort` or not `asc`/`desc`, an invalid `sort` or `fields` name,
 * an empty `fields` list, or a `filter` that is neither a built filter nor a non-empty string.
 *
 * @example
 * ```ts
 * toQueryParams({ filter: filter.eq('role', 'teacher'), fields: ['sourcedId'] }, { pageSize: 1000 });
 * // { limit: 1000, offset: 0, filter: "role='teacher'", fields: ['sourcedId'] }
 * ```
 */
export function toQueryParams(
  params: ListParams | undefined,
  defaults: { pageSize: number },
): QueryParams {
  const p = params ?? {};
  const query: QueryParams = {
    limit: assertInteger(
      p.limit === undefined ? 'pageSize' : 'limit',
      p.limit ?? defaults.pageSize,
      1,
    ),
    offset: assertInteger('offset', p.offset ?? 0, 0),
  };
  if (p.sort !== undefined) {
    if (!isValidFieldName(p.sort)) {
      throw new ConfigurationError('sort', `field name ${describeName(p.sort)} is not valid`);
    }
    query.sort = p.sort;
  }
  if (p.orderBy !== undefined) {
    if (p.orderBy !== 'asc' && p.orderBy !== 'desc') {
      throw new ConfigurationError(
        'orderBy',
        `must be 'asc' or 'desc', got ${describeName(p.orderBy)}`,
      );
    }
    if (p.sort === undefined) {
      throw new ConfigurationError('orderBy', 'needs `sort`: name the field to order by');
    }
    query.orderBy = p.orderBy;
  }
  const filterText = toFilterString(p.filter);
  if (filterText !== undefined) query.filter = filterText;
  const fields = toFieldList(p.fields);
  if (fields !== undefined) query.fields = fields;
  return query;
}

/**
 * Validate single-object read parameters and build their query (only `fields`).
 *
 * @throws {ConfigurationError} naming `fields` for an invalid or empty field list.
 *
 * @example
 * ```ts
 * toGetQueryParams({ fields: 'sourcedId,email' }); // { fields: ['sourcedId', 'email'] }
 * toGetQueryParams(undefined);                     // {}
 * ```
 */
export function toGetQueryParams(params: GetParams | undefined): QueryParams {
  const fields = toFieldList(params?.fields);
  return fields === undefined ? {} : { fields };
}
