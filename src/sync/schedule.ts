/**
 * What `mode: 'auto'` resolves to.
 *
 * @module
 */
import type { SyncState } from '../storage/types';
import type { FullSyncSchedule } from './options';
import type { SyncMode } from './report';

const DAY_MS = 86_400_000;

/**
 * Full when there is no committed state or no full run yet, when `runs` incremental runs have
 * succeeded since the last full run, or when the last full run is `days` old; incremental
 * otherwise. Incremental runs cannot see hard deletes (records that simply vanish), so the
 * periodic full run is what reconciles them.
 *
 * @example
 * ```ts
 * autoMode(null, new Date(), { runs: 7, days: 7 }); // 'full'
 * ```
 */
export function autoMode(
  state: SyncState | null,
  now: Date,
  schedule: Required<FullSyncSchedule>,
): SyncMode {
  if (!state || state.lastFullSyncAt === undefined) return 'full';
  if (state.incrementalRunsSinceFull >= schedule.runs) return 'full';
  const last = Date.parse(state.lastFullSyncAt);
  if (Number.isNaN(last) || now.getTime() - last >= schedule.days * DAY_MS) return 'full';
  return 'incremental';
}
