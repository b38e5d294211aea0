/**
 * Reading OneRoster response envelopes: the wrapper key (`{"users": [...]}`, `{"user": {...}}`),
 * `X-Total-Count` and `Link: rel="next"`. A 2xx body without the expected wrapper is a
 * "success-shaped failure" and becomes an {@link InvalidResponseError}, never `undefined` items.
 *
 * @module
 */
import { InvalidResponseError, redactUrl } from '../errors';
import type { TransportResponse } from '../http/types';
import type { RawPage } from '../pagination';
import { parseLinkHeader } from './link-header';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The records of a collection response and its paging headers.
 *
 * @throws {InvalidResponseError} when the body is not an object holding a `key` array.
 *
 * @example
 * ```ts
 * const page = readCollection(await transport.get({ path: '/users' }), 'users');
 * page.records.length; page.totalCount; page.nextLink;
 * ```
 */
export function readCollection(response: TransportResponse, key: string): RawPage {
  const body = response.body;
  const records = isObject(body) ? body[key] : undefined;
  if (!Array.isArray(records)) throw invalidEnvelope(response, key, 'array');
  return {
    records,
    totalCount: readTotalCount(response.headers),
    nextLink: readNextLink(response.headers, response.url),
    url: response.url,
  };
}

/**
 * The record of a single-object response.
 *
 * @throws {InvalidResponseError} when the body is not an object holding a `key` object.
 *
 * @example
 * ```ts
 * const raw = readSingle(await transport.get({ path: '/users/u-1' }), 'user');
 * ```
 */
export function readSingle(response: TransportResponse, key: string): unknown {
  const body = response.body;
  const record = isObject(body) ? body[key] : undefined;
  if (!isObject(record)) throw invalidEnvelope(response, key, 'object');
  return record;
}

/**
 * `X-Total-Count` as a number (Headers are case-insensitive, so ClassLink's `x-total-count` is the
 * same header). Anything but one non-negative integer is ignored: a wrong total would end paging
 * early, and paging without a total is always safe.
 *
 * @example
 * ```ts
 * readTotalCount(new Headers({ 'x-total-count': '503' })); // 503
 * ```
 */
export function readTotalCount(headers: Headers): number | undefined {
  const value = headers.get('x-total-count')?.trim();
  if (!value || value.length > 15) return undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(value);
}

/**
 * The `Link: rel="next"` target resolved against the request URL, if any. An unparseable target
 * is ignored (offset paging takes over); origin checks happen in the paginator.
 *
 * @example
 * ```ts
 * readNextLink(new Headers({ link: '</users?offset=2>; rel="next"' }), new URL('https://x.test/users'));
 * // URL https://x.test/users?offset=2
 * ```
 */
export function readNextLink(headers: Headers, requestUrl: URL): URL | undefined {
  const header = headers.get('link');
  if (!header) return undefined;
  const next = parseLinkHeader(header).find((link) => link.rel.includes('next'));
  if (!next) return undefined;
  try {
    return new URL(next.uri, requestUrl);
  } catch {
    return undefined;
  }
}

function invalidEnvelope(
  response: TransportResponse,
  key: string,
  expected: 'array' | 'object',
): InvalidResponseError {
  return new InvalidResponseError({
    status: response.status,
    method: 'GET',
    url: redactUrl(response.url),
    reason: `expected a JSON object with ${expected === 'array' ? 'an array' : 'an object'} under "${key}", got ${describeBody(response.body, key)}`,
    // The same request would most likely get the same body: this is a server or endpoint
    // problem (wrong base URL, a proxy's error page served as 200), not a transient one.
    retryable: false,
  });
}

/** Describe a body by its shape and top-level key names only: values may hold personal data. */
function describeBody(body: unknown, key: string): string {
  if (body === null) return 'null';
  if (Array.isArray(body)) return 'a JSON array';
  if (!isObject(body)) return `a JSON ${typeof body}`;
  if (key in body) {
    const value = body[key];
    return `"${key}" holding ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}`;
  }
  const keys = Object.keys(body);
  if (keys.length === 0) return 'an empty object';
  const shown = keys
    .slice(0, 5)
    .map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name));
  return `an object with keys ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
}
