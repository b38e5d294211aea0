/**
 * The words of a progress display, shared by the terminal and the plain-line display.
 *
 * @module
 */
import { estimateRemainingMs, formatCount, formatDuration, formatRate } from '../render/format';
import type { ResourceProgress } from './state';

/**
 * Where a running resource is: records (of the total, when known), rate, ETA, and throttling.
 *
 * @example
 * ```ts
 * describeProgress(resource); // '1,234/5,000 (24%), 410/s, ETA 9.2s, throttled 2.0s by the server'
 * ```
 */
export function describeProgress(r: ResourceProgress): string {
  const parts: string[] = [];
  if (r.total !== undefined && r.total > 0) {
    const share = Math.min(100, Math.floor((r.records / r.total) * 100));
    parts.push(`${formatCount(r.records)}/${formatCount(r.total)} (${share}%)`);
  } else {
    parts.push(`${formatCount(r.records)} records`);
  }
  if (r.perSecond > 0) parts.push(formatRate(r.perSecond));
  const eta = estimateRemainingMs({ done: r.records, total: r.total, perSecond: r.perSecond });
  if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
  parts.push(...describeWaits(r));
  return parts.join(', ');
}

/**
 * How a finished (or skipped) resource ended.
 *
 * @example
 * ```ts
 * describeOutcome(resource); // '481 records in 0.4s (1,202/s)'
 * ```
 */
export function describeOutcome(r: ResourceProgress): string {
  if (r.phase === 'skipped') return `skipped (${r.skipped ?? 'not available'})`;
  const what = `${formatCount(r.records)} ${r.records === 1 ? 'record' : 'records'}`;
  const parts = [
    `${what}${r.pull === 'changes' ? ' (changes)' : ''} in ${formatDuration(r.durationMs ?? 0)}`,
  ];
  if (r.perSecond > 0 && r.records > 0) parts[0] += ` (${formatRate(r.perSecond)})`;
  if (r.invalid > 0) parts.push(`${formatCount(r.invalid)} invalid (skipped)`);
  parts.push(...describeWaits(r));
  return parts.join(', ');
}

function describeWaits(r: ResourceProgress): string[] {
  const parts: string[] = [];
  if (r.retries > 0) parts.push(`${r.retries} ${r.retries === 1 ? 'retry' : 'retries'}`);
  if (r.serverWaitMs > 0) parts.push(`throttled ${formatDuration(r.serverWaitMs)} by the server`);
  // Pacing by our own rate limit is normal; it is named when it is what the time went on (a
  // small resource that waited for the next second of the window reads as slow otherwise).
  if (
    r.clientWaitMs >= 1000 ||
    (r.clientWaitMs >= 100 && r.clientWaitMs * 2 >= (r.durationMs ?? 0))
  ) {
    parts.push(`paced ${formatDuration(r.clientWaitMs)} by the rate limit`);
  }
  return parts;
}
