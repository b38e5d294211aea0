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
import type { StagedRun, SyncState, TenantLock } from '../storage/types';
import { changesSince } from './cursor';
import { summarizeError } from './error-summary';
import { SyncLockedError } from './errors';
import { createEmitter } from './events';
import { IdSet } from './id-set';
import type { ResolvedRunOptions, ResolvedSyncOptions } from './options';
import { type PullContext, pullResource } from './pull';
import type { SyncReport } from './report';
import { RunRecorder } from './run-recorder';
import { autoMode } from './schedule';
import { describeViolations, shrinkViolations } from './shrink-guard';
import { nextState } from './state';

/**
 * Run one sync.
 *
 * @throws {SyncLockedError} when another run of the tenant holds the lock.
 */
export async function executeRun(
  options: ResolvedSyncOptions,
  run: ResolvedRunOptions,
): Promise<SyncReport> {
  const { storage, tenantId, logger } = options;
  const runId = randomUUID();
  const emit = createEmitter({ runId, tenantId }, options.onEvent, logger);
  const recorder = new RunRecorder(
    { runId, tenantId, requestedMode: run.mode, dryRun: run.dryRun, startedAt: options.now() },
    { now: options.now, storage, logger, emit },
  );

  let lock: TenantLock | null;
  try {
    lock = await storage.acquireLock(tenantId, runId);
  } catch (error) {
    const summary = summarizeError(error, undefined, false);
    recorder.errors.push(summary);
    return recorder.finish(
      recorder.report('failed', undefined, `Could not take the run lock: ${summary.message}`),
    );
  }
  if (!lock) throw new SyncLockedError(tenantId);

  const progress: { staged?: StagedRun; current?: SyncResource } = {};
  try {
    return await stagePlanCommit(options, run, recorder, emit, progress);
  } catch (error) {
    const aborted = run.signal?.aborted === true;
    const summary = summarizeError(error, progress.current, aborted);
    recorder.errors.push(summary);
    try {
      await progress.staged?.discard();
    } catch (discardError) {
      const { message } = summarizeError(discardError, undefined, false);
      recorder.warnings.push(
        `Discarding the staged records failed (the next run drops them): ${message}`,
      );
    }
    const what = progress.current === undefined ? 'The run' : `Pulling ${progress.current}`;
    const reason = aborted
      ? 'The run was aborted; nothing was changed'
      : `${what} failed: ${summary.message}; nothing was changed`;
    return recorder.finish(await recorder.record(recorder.report('failed', undefined, reason)));
  } finally {
    try {
      await lock.release();
    } catch (error) {
      const { message } = summarizeError(error, undefined, false);
      logger?.warn({ runId, tenantId, error: message }, 'releasing the sync lock failed');
    }
  }
}

/** The body of a run, under the lock. Throws on any failure; the caller cleans up. */
async function stagePlanCommit(
  options: ResolvedSyncOptions,
  run: ResolvedRunOptions,
  recorder: RunRecorder,
  emit: PullContext['emit'],
  progress: { staged?: StagedRun; current?: SyncResource },
): Promise<SyncReport> {
  const { storage, tenantId } = options;
  const { signal } = run;
  const { runId, startedAt } = recorder.identity;
  checkAborted(signal);
  const state: SyncState | null = await storage.getState(tenantId);
  const mode = run.mode === 'auto' ? autoMode(state, startedAt, options.fullSyncEvery) : run.mode;
  recorder.mode = mode;
  emit({
    type: 'run_started',
    mode,
    requestedMode: run.mode,
    dryRun: run.dryRun,
    resources: [...options.resources],
    startedAt: startedAt.toISOString(),
  });
  const staged = await storage.beginRun(tenantId, runId);
  progress.staged = staged;
  const ctx: PullContext = {
    options,
    staged,
    full: mode === 'full',
    signal,
    emit,
    scopedUsers:
      options.schools && options.resources.includes('demographics')
        ? { ids: new IdSet(), complete: false }
        : undefined,
  };
  for (const resource of options.resources) {
    progress.current = resource;
    const since =
      mode === 'incremental'
        ? changesSince(state?.cursors[resource], options.lookbackMs)
        : undefined;
    const pull = await pullResource(ctx, resource, since);
    recorder.pulls.push(pull);
    recorder.warnings.push(...pull.warnings);
  }
  delete progress.current;
  checkAborted(signal);

  const pulled = recorder.staged;
  const input = {
    resources: pulled.map((pull) => pull.resource),
    sweep: pulled.filter((pull) => pull.sweepable && pull.stable).map((pull) => pull.resource),
  };
  const changes = await staged.plan(input);
  emit({ type: 'planned', changes });

  const guard = options.shrinkGuard;
  if (mode === 'full' && guard !== false) {
    const fetched = Object.fromEntries(pulled.map((pull) => [pull.resource, pull.fetched]));
    const violations = shrinkViolations(changes, input.sweep, fetched, guard);
    if (violations.length > 0) {
      const reason = describeViolations(violations, guard.maxDeleteShare);
      if (!run.force) {
        await staged.discard();
        // A refused dry run still shows what it would have changed; a real one changed nothing.
        if (run.dryRun) return recorder.finish(recorder.report('refused', changes, reason));
        return recorder.finish(
          await recorder.record(recorder.report('refused', undefined, reason)),
        );
      }
      recorder.warnings.push(`Shrink guard overridden with force: ${reason}`);
    }
  }

  if (run.dryRun) {
    await staged.discard();
    return recorder.finish(recorder.report('succeeded', changes));
  }

  checkAborted(signal);
  const report = recorder.report('succeeded', changes);
  const committed = await staged.commit({
    ...input,
    state: nextState(state, mode, runId, startedAt, pulled, options.clockSkewMs),
    report,
  });
  if (JSON.stringify(committed) !== JSON.stringify(changes)) {
    // Cannot happen with a contract-abiding adapter under the lock; worth knowing if it does.
    options.logger?.warn({ runId, tenantId }, 'storage committed other counts than it planned');
  }
  return recorder.finish(report);
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('The sync run was aborted', { cause: signal.reason });
}
