/**
 * Build the exact URL a request is sent to (and that OAuth 1.0a signs). The query string comes
 * from `serializeQuery` (RFC 3986, `%20`) and is never handed to anything that re-serialises it.
 *
 * @module
 */
import { ConfigurationError, PaginationError, redactUrl } from '../errors';
import { serializeQuery } from '../query/serialize';
import type { QueryParams } from './types';

// `.`/`..` segments, also percent-encoded (the WHATWG URL parser treats `%2e` as `.`) and with
// `\` as a separator (it does that too for http and https).
const DOT_SEGMENT = /(^|[/\\])(\.|%2e){1,2}(?=$|[/\\?#])/i;

function appendQuery(url: URL, query: QueryParams | undefined): URL {
  if (!query) return url;
  const serialized = serializeQuery(query);
  if (serialized === '') return url;
  const search = url.search.length > 1 ? `${url.search}&${serialized}` : `?${serialized}`;
  // Assigning the finished string keeps our encoding: the parser leaves `%XX` escapes alone.
  url.search = search;
  return url;
}

/**
 * Resolve a request path against the base URL and append the query.
 *
 * - A relative path (`/users`, `schools/s1/classes`) is appended to the base path
 *   (`/ims/oneroster/v1p1/users`). Segments that come from ids must already be encoded by the
 *   caller (`encodeURIComponent`); a `.` or `..` segment is refused, so an id cannot climb out
 *   of the API.
 * - An absolute URL (a `Link: rel="next"` target) must be on the base URL's origin: credentials
 *   are never sent anywhere else.
 *
 * @throws {ConfigurationError} for a `.`/`..` segment or a malformed path.
 * @throws {PaginationError} for an absolute URL on another origin.
 *
 * @example
 * ```ts
 * buildRequestUrl(new URL('https://x.test/ims/oneroster/v1p1'), '/users', { limit: 5 }).href;
 * // 'https://x.test/ims/oneroster/v1p1/users?limit=5'
 * ```
 */
export function buildRequestUrl(base: URL, path: string | URL, query?: QueryParams): URL {
  if (path instanceof URL || /^[a-z][a-z0-9+.-]*:/i.test(path)) {
    let absolute: URL;
    try {
      absolute = new URL(path);
    } catch {
      throw new ConfigurationError('path', 'is not a valid URL');
    }
    if (absolute.origin !== base.origin) {
      throw new PaginationError(
        `Refusing to follow ${redactUrl(absolute)}: it is not on the server's origin ` +
          `${base.origin}, and credentials are only ever sent to that origin`,
        { url: redactUrl(absolute) },
      );
    }
    absolute.hash = '';
    return appendQuery(absolute, query);
  }
  if (path.includes('#')) throw new ConfigurationError('path', 'must not contain a fragment (#)');
  const questionMark = path.indexOf('?');
  const pathname = questionMark === -1 ? path : path.slice(0, questionMark);
  if (DOT_SEGMENT.test(pathname)) {
    throw new ConfigurationError(
      'path',
      'must not contain "." or ".." segments (encode ids with encodeURIComponent)',
    );
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  const relative = pathname.replace(/^\/+/, '');
  const url = new URL(base.origin);
  url.pathname = relative === '' ? basePath || '/' : `${basePath}/${relative}`;
  if (questionMark !== -1 && questionMark < path.length - 1) url.search = path.slice(questionMark);
  // Defence in depth: whatever the parser made of the path, it must still be under the base.
  if (url.origin !== base.origin || !url.pathname.startsWith(basePath)) {
    throw new ConfigurationError('path', 'resolves outside the base URL');
  }
  return appendQuery(url, query);
}
