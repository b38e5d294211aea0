/**
 * What a progress display knows about a run, folded from the sync engine's events. Both
 * displays (terminal redraw and plain lines) read this; neither keeps its own counts.
 *
 * @module
 */
import type { SyncResource } from '../../models/types';
import type { SyncEvent } from '../../sync/events';
import type { SyncMode } from '../../sync/report';

/** Progress of one resource in a run. */
export interface ResourceProgress {
  resource: SyncResource;
  phase: 'waiting' | 'running' | 'done' | 'skipped';
  /** Distinct records read so far. */
  records: number;
  /** The server's total (`X-Total-Count`), when it sends one. */
  total: number | undefined;
  /** Records per second since the resource started. */
  perSecond: number;
  /** `changes` for an incremental pull (since a cursor). */
  pull: 'complete' | 'changes' | undefined;
  invalid: number;
  retries: number;
  /** Time spent waiting because the server throttled (429 or rate-limit headers). */
  serverWaitMs: number;
  /** Time spent waiting on the client's own rate limit (normal pacing). */
  clientWaitMs: number;
  durationMs: number | undefined;
  /** Why the resource was skipped (an error code), when it was. */
  skipped: string | undefined;
}

/** Progress of one run. */
export interface RunProgress {
  tenantId: string;
  runId: string;
  mode: SyncMode | undefined;
  dryRun: boolean;
  resources: ResourceProgress[];
  finished: boolean;
}

/**
 * Fold one event into the run's progress (creating it on `run_started`). Returns the run the
 * event belonged to, or `undefined` for events of a run it has not seen start.
 *
 * @example
 * ```ts
 * const runs = new Map<string, RunProgress>();
 * const onEvent = (event: SyncEvent) => applyEvent(runs, event);
 * ```
 */
export function applyEvent(
  runs: Map<string, RunProgress>,
  event: SyncEvent,
): RunProgress | undefined {
  if (event.type === 'run_started') {
    const run: RunProgress = {
      tenantId: event.tenantId,
      runId: event.runId,
      mode: event.mode,
      dryRun: event.dryRun,
      resources: event.resources.map((resource) => ({
        resource,
        phase: 'waiting',
        records: 0,
        total: undefined,
        perSecond: 0,
        pull: undefined,
        invalid: 0,
        retries: 0,
        serverWaitMs: 0,
        clientWaitMs: 0,
        durationMs: undefined,
        skipped: undefined,
      })),
      finished: false,
    };
    runs.set(event.runId, run);
    return run;
  }
  const run = runs.get(event.runId);
  if (!run) return undefined;
  const find = (resource: SyncResource) => run.resources.find((r) => r.resource === resource);
  switch (event.type) {
    case 'resource_started': {
      const r = find(event.resource);
      if (r) {
        r.phase = 'running';
        r.pull = event.pull;
        r.total = event.total;
      }
      break;
    }
    case 'page': {
      const r = find(event.resource);
      if (r) {
        r.phase = 'running';
        r.records = event.records;
        r.total = event.total ?? r.total;
        r.perSecond = event.ratePerSecond;
      }
      break;
    }
    case 'retry': {
      const r = find(event.resource);
      if (r) r.retries++;
      break;
    }
    case 'rate_limit_wait': {
      const r = find(event.resource);
      if (r) {
        if (event.reason === 'client_limit') r.clientWaitMs += event.delayMs;
        else r.serverWaitMs += event.delayMs;
      }
      break;
    }
    case 'invalid_record': {
      const r = find(event.resource);
      if (r) r.invalid++;
      break;
    }
    case 'resource_finished': {
      const r = find(event.resource);
      if (r) {
        r.phase = event.skipped === undefined ? 'done' : 'skipped';
        r.skipped = event.skipped;
        r.records = event.fetched;
        r.invalid = event.invalid;
        r.durationMs = event.durationMs;
        if (event.durationMs > 0) r.perSecond = (event.fetched * 1000) / event.durationMs;
      }
      break;
    }
    case 'run_finished':
      run.finished = true;
      run.mode = event.report.mode;
      break;
    case 'planned':
      break;
  }
  return run;
}
