/**
 * Numbers and durations as people read them in a terminal.
 *
 * @module
 */

const COUNT = new Intl.NumberFormat('en-US');

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(12345); // '12,345'
 * ```
 */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/**
 * A duration: `850ms`, `4.2s`, `3m05s`, `2h03m`.
 *
 * @example
 * ```ts
 * formatDuration(185_000); // '3m05s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const minutes = Math.round(totalSeconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * Records per second, rounded to what matters.
 *
 * @example
 * ```ts
 * formatRate(1234.5); // '1,235/s'
 * ```
 */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '–';
  return `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond))}/s`;
}

/**
 * Time left at the current rate, or `undefined` when it cannot be known (no total, no rate yet).
 *
 * @example
 * ```ts
 * estimateRemainingMs({ done: 500, total: 1500, perSecond: 100 }); // 10_000
 * ```
 */
export function estimateRemainingMs(progress: {
  done: number;
  total: number | undefined;
  perSecond: number;
}): number | undefined {
  const { done, total, perSecond } = progress;
  if (total === undefined || !(perSecond > 0) || done >= total) return undefined;
  return ((total - done) / perSecond) * 1000;
}
