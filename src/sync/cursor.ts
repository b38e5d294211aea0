/**
 * Incremental cursors: where the next incremental run starts asking for changes.
 *
 * The rule (Singer's "signpost", Airbyte's "latest complete time"): a resource's new cursor is
 * the latest `dateLastModified` this run saw, but never later than the run's start minus a clock
 * skew margin, and never earlier than the previous cursor.
 *
 * - Why the latest value seen, not the wall clock: it is in the server's own time. A provider
 *   whose clock runs behind ours, or that stamps changes late (a nightly SIS import dated at its
 *   start), would otherwise have changes below a wall-clock cursor that no delta returns.
 * - Why capped at the run's start: pages are read over minutes and records are not sorted by
 *   `dateLastModified`, so a record changed while we were reading may already be behind us
 *   while a later page shows an even newer change. Everything changed after the run started is
 *   at or after the cap, so the next run reads it again (at-least-once; upserts are idempotent).
 * - The next run also subtracts `lookbackMs` and compares with `>=`, re-reading a window that
 *   covers date-only precision and replication lag; duplicates are harmless.
 *
 * @module
 */

/**
 * The `dateLastModified>=` bound for an incremental pull, or `undefined` when the resource has
 * no cursor yet (it is then pulled completely).
 *
 * @example
 * ```ts
 * changesSince('2026-03-01T12:00:00.000Z', 3_600_000); // '2026-03-01T11:00:00.000Z'
 * ```
 */
export function changesSince(cursor: string | undefined, lookbackMs: number): string | undefined {
  if (cursor === undefined) return undefined;
  const at = Date.parse(cursor);
  if (Number.isNaN(at)) return undefined;
  return new Date(at - lookbackMs).toISOString();
}

/**
 * The cursor to commit for a resource after a successful run.
 *
 * @param previous the committed cursor, if any
 * @param maxSeenMs the latest `dateLastModified` among the records this run received, as epoch ms
 * @param runStartMs when the run started
 * @param clockSkewMs the safety margin below the run's start
 *
 * @example
 * ```ts
 * nextCursor(undefined, Date.parse('2026-03-01T10:00:00Z'), Date.parse('2026-03-02T00:00:00Z'), 300_000);
 * // '2026-03-01T10:00:00.000Z'
 * ```
 */
export function nextCursor(
  previous: string | undefined,
  maxSeenMs: number | undefined,
  runStartMs: number,
  clockSkewMs: number,
): string | undefined {
  const previousMs = previous === undefined ? Number.NaN : Date.parse(previous);
  // Nothing seen: nothing tells us how far the server's clock has come, so keep what we had.
  if (maxSeenMs === undefined) return Number.isNaN(previousMs) ? undefined : previous;
  const capped = Math.min(maxSeenMs, runStartMs - clockSkewMs);
  const next = Number.isNaN(previousMs) ? capped : Math.max(previousMs, capped);
  return new Date(next).toISOString();
}
