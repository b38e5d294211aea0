/**
 * What a run has done so far, and how it ends: the report, storing it, logging it and the
 * `run_finished` event.
 *
 * @module
 */
import type { SyncResource } from '../models/types';
import type { Logger } from '../options';
import type { ChangeCounts, StorageAdapter } from '../storage/types';
import { summarizeError } from './error-summary';
import type { SyncEventInput } from './events';
import type { PullResult } from './pull';
import type { ResourceCounts, SyncMode, SyncReport, SyncRunStatus } from './report';

/** Planned or committed changes per resource. */
export type Changes = Partial<Record<SyncResource, ChangeCounts>>;

/** Fixed facts of a run. */
export interface RunIdentity {
  runId: string;
  tenantId: string;
  requestedMode: SyncMode | 'auto';
  dryRun: boolean;
  startedAt: Date;
}

/** Collects a run's pulls, warnings and errors, and turns them into its report. */
export class RunRecorder {
  /** The mode being run; `auto` is resolved once the state is read. */
  mode: SyncMode;
  readonly pulls: PullResult[] = [];
  readonly warnings: string[] = [];
  readonly errors: SyncReport['errors'] = [];
  /** The run's fixed facts. */
  readonly identity: RunIdentity;
  readonly #now: () => Date;
  readonly #storage: StorageAdapter;
  readonly #logger: Logger | undefined;
  readonly #emit: (event: SyncEventInput) => void;

  constructor(
    run: RunIdentity,
    deps: {
      now: () => Date;
      storage: StorageAdapter;
      logger: Logger | undefined;
      emit: (event: SyncEventInput) => void;
    },
  ) {
    this.identity = run;
    this.#now = deps.now;
    this.#storage = deps.storage;
    this.#logger = deps.logger;
    this.#emit = deps.emit;
    this.mode = run.requestedMode === 'incremental' ? 'incremental' : 'full';
  }

  /** The pulls that staged records (not skipped). */
  get staged(): PullResult[] {
    return this.pulls.filter((pull) => pull.outcome === 'staged');
  }

  /**
   * The report as of now. `changes` are the counts to show: committed (or, for a dry run,
   * planned); without them the change counts are zero, because nothing happened.
   */
  report(status: SyncRunStatus, changes?: Changes, reason?: string): SyncReport {
    const { runId, tenantId, requestedMode, dryRun, startedAt } = this.identity;
    const finishedAt = this.#now();
    const resources: Partial<Record<SyncResource, ResourceCounts>> = {};
    for (const pull of this.staged) {
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
      mode: this.mode,
      requestedMode,
      status,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
      dryRun,
      resources,
      ...(reason === undefined ? {} : { reason }),
      warnings: [...this.warnings],
      errors: [...this.errors],
    };
  }

  /**
   * Store the report of a run that did not commit. A storage failure here must not hide the
   * run's real outcome, so it becomes a warning on the returned report.
   */
  async record(report: SyncReport): Promise<SyncReport> {
    try {
      await this.#storage.recordRun(report);
      return report;
    } catch (error) {
      const { message } = summarizeError(error, undefined, false);
      return {
        ...report,
        warnings: [...report.warnings, `The report could not be stored: ${message}`],
      };
    }
  }

  /** Log the outcome, emit `run_finished`, and hand the report back. */
  finish(report: SyncReport): SyncReport {
    const { runId, tenantId } = this.identity;
    for (const warning of report.warnings) this.#logger?.warn({ runId, tenantId }, warning);
    this.#logger?.info(
      {
        runId,
        tenantId,
        mode: report.mode,
        status: report.status,
        dryRun: report.dryRun,
        durationMs: report.durationMs,
        errors: report.errors.map((e) => e.code),
      },
      `sync run ${report.status}`,
    );
    this.#emit({ type: 'run_finished', report });
    return report;
  }
}
