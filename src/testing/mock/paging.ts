/**
 * Paging response headers: `X-Total-Count`, RFC 8288 `Link` (next/last/first/prev, same origin
 * as the request), or ClassLink's `x-total-count` + `x-count` (classlink.md §1).
 *
 * @module
 */

/**
 * Which paging headers a collection response carries.
 * - `'both'`: `X-Total-Count` and `Link` (default)
 * - `'total'`: `X-Total-Count` only
 * - `'link'`: `Link` only
 * - `'none'`: neither (Ed-Fi's OneRoster API sends none; clients must page without them)
 * - `'classlink'`: `x-total-count` and `x-count` (records in this page), as ClassLink sends
 */
export type PagingHeaders = 'both' | 'total' | 'link' | 'none' | 'classlink';

/** The URL of another page: the request URL with `limit` and `offset` replaced, rest untouched. */
function pageUrl(url: URL, limit: number, offset: number): string {
  const pieces = url.search === '' ? [] : url.search.slice(1).split('&');
  const kept: string[] = [];
  let placed = false;
  for (const piece of pieces) {
    const name = piece.split('=', 1)[0];
    if (name === 'limit' || name === 'offset') {
      // Keep the parameters where the client put them, so the URL differs only in values.
      if (!placed) kept.push(`limit=${limit}`, `offset=${offset}`);
      placed = true;
    } else if (piece !== '') {
      kept.push(piece);
    }
  }
  if (!placed) kept.push(`limit=${limit}`, `offset=${offset}`);
  return `${url.origin}${url.pathname}?${kept.join('&')}`;
}

/** The paging headers of one page. */
export function pagingHeaders(
  mode: PagingHeaders,
  url: URL,
  page: { limit: number; offset: number; total: number; count: number },
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (mode === 'both' || mode === 'total') headers['X-Total-Count'] = String(page.total);
  if (mode === 'classlink') {
    headers['x-total-count'] = String(page.total);
    headers['x-count'] = String(page.count);
  }
  if (mode === 'both' || mode === 'link') {
    const { limit, offset, total } = page;
    const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
    const links: string[] = [];
    if (offset + limit < total) links.push(`<${pageUrl(url, limit, offset + limit)}>; rel="next"`);
    links.push(`<${pageUrl(url, limit, lastOffset)}>; rel="last"`);
    links.push(`<${pageUrl(url, limit, 0)}>; rel="first"`);
    if (offset > 0) {
      const prev = Math.max(0, Math.min(offset - limit, lastOffset));
      links.push(`<${pageUrl(url, limit, prev)}>; rel="prev"`);
    }
    headers.Link = links.join(', ');
  }
  return headers;
}
