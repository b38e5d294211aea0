/**
 * One sync run, start to finish: lock, decide the mode, pull every resource into staging, plan,
 * apply the shrink guard, then commit (or discard), record the report and unlock.
 *
 * Every outcome after the lock is taken ends in a {@link SyncReport}; only "the lock is held"
 * ({@link SyncLockedError}) is thrown, because no run took place.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { AbortError } from '../errors';
import type { SyncResource } from '../models/types';
import type { ChangeCounts, StagedRun, SyncState, TenantLock } from '../storage/types';
import { changesSince, nextCursor } from './cursor';
import { summarizeError } from './error-summary';
import { SyncLockedError } from './errors';
import { createEmitter } from './events';
import type { ResolvedRunOptions, ResolvedSyncOptions } from './options';
import { type PullContext, type PullResult, pullResource } from './pull';
import type { ResourceCounts, SyncMode, SyncReport, SyncRunStatus } from './report';
import { autoMode } from './schedule';
import { describeViolations, shrinkViolations } from './shrink-guard';

type Changes = Partial<Record<SyncResource, ChangeCounts>>;

/**
 * Run one sync.
 *
 * @throws {SyncLockedError} when another run of the tenant holds the lock.
 */
export async function executeRun(
  options: ResolvedSyncOptions,
  run: ResolvedRunOptions,
): Promise<SyncReport> {
  const { storage, tenantId, logger, now } = options;
  const { signal } = run;
  const runId = randomUUID();
  const startedAt = now();
  const emit = createEmitter({ runId, tenantId }, options.onEvent, logger);
  const pulls: PullResult[] = [];
  const warnings: string[] = [];
  const errors: SyncReport['errors'] = [];
  let mode: SyncMode = run.mode === 'incremental' ? 'incremental' : 'full';

  const report = (status: SyncRunStatus, changes?: Changes, reason?: string): SyncReport => {
    const finishedAt = now();
    const resources: Partial<Record<SyncResource, ResourceCounts>> = {};
    for (const pull of pulls) {
      if (pull.outcome !== 'staged') continue;
      const c = changes?.[pull.resource];
      resources[pull.resource] = {
        fetched: pull.fetched,
        created: c?.created ?? 0,
        updated: c?.updated ?? 0,
        deleted: c?.deleted ?? 0,
        unchanged: c?.unchanged ?? 0,
        invalid: pull.invalid,
      };
    }
    return {
      runId,
      tenantId,
      mode,
      requestedMode: run.mode,
      status,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
      dryRun: run.dryRun,
      resources,
      ...(reason === undefined ? {} : { reason }),
      warnings: [...warnings],
      errors: [...errors],
    };
  };

  // Reports of runs that did not commit are stored on their own; a storage failure here must
  // not hide the run's real outcome, so it becomes a warning on the returned report.
  const record = async (final: SyncReport): Promise<SyncReport> => {
    try {
      await storage.recordRun(final);
      return final;
    } catch (error) {
      const { message } = summarizeError(error, undefined, false);
      return {
        ...final,
        warnings: [...final.warnings, `The report could not be stored: ${message}`],
      };
    }
  };

  const finish = (final: SyncReport): SyncReport => {
    for (const warning of final.warnings) logger?.warn({ runId, tenantId }, warning);
    logger?.info(
      {
        runId,
        tenantId,
        mode: final.mode,
        status: final.status,
        dryRun: final.dryRun,
        durationMs: final.durationMs,
        errors: final.errors.map((e) => e.code),
      },
      `sync run ${final.status}`,
    );
    emit({ type: 'run_finished', report: final });
    return final;
  };

  let lock: TenantLock | null;
  try {
    lock = await storage.acquireLock(tenantId, runId);
  } catch (error) {
    errors.push(summarizeError(error, undefined, false));
    return finish(
      report('failed', undefined, `Could not take the run lock: ${errors[0]?.message}`),
    );
  }
  if (!lock) throw new SyncLockedError(tenantId);

  let staged: StagedRun | undefined;
  let current: SyncResource | undefined;
  try {
    checkAborted(signal);
    const state = await storage.getState(tenantId);
    mode = run.mode === 'auto' ? autoMode(state, startedAt, options.fullSyncEvery) : run.mode;
    emit({
      type: 'run_started',
      mode,
      requestedMode: run.mode,
      dryRun: run.dryRun,
      resources: [...options.resources],
      startedAt: startedAt.toISOString(),
    });
    staged = await storage.beginRun(tenantId, runId);
    const ctx: PullContext = {
      options,
      staged,
      full: mode === 'full',
      signal,
      emit,
      scopedUsers:
        options.schools && options.resources.includes('demographics')
          ? { ids: new Set(), complete: false }
          : undefined,
    };
    for (const resource of options.resources) {
      current = resource;
      const since =
        mode === 'incremental'
          ? changesSince(state?.cursors[resource], options.lookbackMs)
          : undefined;
      const pull = await pullResource(ctx, resource, since);
      pulls.push(pull);
      warnings.push(...pull.warnings);
    }
    current = undefined;
    checkAborted(signal);

    const stagedPulls = pulls.filter((pull) => pull.outcome === 'staged');
    const input = {
      resources: stagedPulls.map((pull) => pull.resource),
      sweep: stagedPulls.filter((p) => p.sweepable && p.stable).map((p) => p.resource),
    };
    const changes = await staged.plan(input);
    emit({ type: 'planned', changes });

    const guard = options.shrinkGuard;
    const violations =
      mode === 'full' && guard !== false
        ? shrinkViolations(
            changes,
            input.sweep,
            Object.fromEntries(stagedPulls.map((pull) => [pull.resource, pull.fetched])),
            guard,
          )
        : [];
    if (violations.length > 0 && guard !== false) {
      const reason = describeViolations(violations, guard.maxDeleteShare);
      if (!run.force) {
        await staged.discard();
        // A refused dry run still shows what it would have changed; a real one changed nothing.
        const refused = report('refused', run.dryRun ? changes : undefined, reason);
        return finish(run.dryRun ? refused : await record(refused));
      }
      warnings.push(`Shrink guard overridden with force: ${reason}`);
    }

    if (run.dryRun) {
      await staged.discard();
      return finish(report('succeeded', changes));
    }

    checkAborted(signal);
    const final = report('succeeded', changes);
    const committed = await staged.commit({
      ...input,
      state: nextState(state, mode, runId, startedAt, stagedPulls, options.clockSkewMs),
      report: final,
    });
    if (JSON.stringify(committed) !== JSON.stringify(changes)) {
      // Cannot happen with a contract-abiding adapter under the lock; worth knowing if it does.
      logger?.warn({ runId, tenantId }, 'storage committed other counts than it planned');
    }
    return finish(final);
  } catch (error) {
    const aborted = signal?.aborted === true;
    errors.push(summarizeError(error, current, aborted));
    try {
      await staged?.discard();
    } catch (discardError) {
      warnings.push(
        `Discarding the staged records failed (the next run drops them): ${summarizeError(discardError, undefined, false).message}`,
      );
    }
    const what = current === undefined ? 'The run' : `Pulling ${current}`;
    const reason = aborted
      ? 'The run was aborted; nothing was changed'
      : `${what} failed: ${errors[errors.length - 1]?.message}; nothing was changed`;
    return finish(await record(report('failed', undefined, reason)));
  } finally {
    try {
      await lock.release();
    } catch (error) {
      logger?.warn(
        { runId, tenantId, error: summarizeError(error, undefined, false).message },
        'releasing the sync lock failed',
      );
    }
  }
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('The sync run was aborted', { cause: signal.reason });
}

function nextState(
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
    if (!pull.stable) continue;
    const previous = cursors[pull.resource];
    const cursor = nextCursor(previous, pull.maxSeenMs, startedAt.getTime(), clockSkewMs);
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
