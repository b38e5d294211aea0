/**
 * Streaming reads by keyset pagination (`WHERE sourced_id > $last ORDER BY sourced_id LIMIT n`).
 *
 * Both SQL adapters stream `list()` this way rather than through an open cursor: no statement,
 * transaction or pooled connection stays open while the caller awaits between records, so a
 * caller that stops iterating (or forgets to) holds nothing, and a sync committing meanwhile is
 * never blocked. Each page is a consistent read; a commit between pages is seen from the next
 * page on, and the order by `sourcedId` guarantees no record is returned twice.
 *
 * @module
 */

/** How {@link keysetScan} reads. */
export interface KeysetScan<T, U> {
  /**
   * Up to `limit` rows whose key is greater than `after` (from the first row when `after` is
   * `null`), ordered by key.
   */
  fetchPage: (after: string | null, limit: number) => T[] | Promise<T[]>;
  keyOf: (row: T) => string;
  /** Turns a row into what the caller gets. */
  map: (row: T) => U;
  pageSize: number;
}

/** Yield every row of a keyset-paginated query, mapped. */
export async function* keysetScan<T, U>(
  scan: KeysetScan<T, U>,
): AsyncGenerator<U, void, undefined> {
  let after: string | null = null;
  for (;;) {
    const rows = await scan.fetchPage(after, scan.pageSize);
    for (const row of rows) yield scan.map(row);
    const last = rows.at(-1);
    if (rows.length < scan.pageSize || last === undefined) return;
    after = scan.keyOf(last);
  }
}
