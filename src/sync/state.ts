/**
 * The `SyncState` a successful run commits with its data.
 *
 * @module
 */
import type { SyncState } from '../storage/types';
import { nextCursor } from './cursor';
import type { PullResult } from './pull';
import type { SyncMode } from './report';

/**
 * The state after a successful run: new cursors for the resources read reliably (see
 * `cursor.ts`), earlier cursors kept for the others, and the full-run schedule advanced.
 *
 * @example
 * ```ts
 * const state = nextState(previous, 'incremental', runId, startedAt, pulls, 300_000);
 * ```
 */
export function nextState(
  previous: SyncState | null,
  mode: SyncMode,
  runId: string,
  startedAt: Date,
  pulls: readonly PullResult[],
  clockSkewMs: number,
): SyncState {
  const cursors: SyncState['cursors'] = { ...(previous?.cursors ?? {}) };
  for (const pull of pulls) {
    // A resource that changed while it was read may hide changes below what we saw.
    if (pull.outcome !== 'staged' || !pull.stable) continue;
    const cursor = nextCursor(
      cursors[pull.resource],
      pull.maxSeenMs,
      startedAt.getTime(),
      clockSkewMs,
    );
    if (cursor !== undefined) cursors[pull.resource] = cursor;
  }
  const lastFullSyncAt = mode === 'full' ? startedAt.toISOString() : previous?.lastFullSyncAt;
  return {
    cursors,
    incrementalRunsSinceFull: mode === 'full' ? 0 : (previous?.incrementalRunsSinceFull ?? 0) + 1,
    runId,
    ...(lastFullSyncAt === undefined ? {} : { lastFullSyncAt }),
  };
}
