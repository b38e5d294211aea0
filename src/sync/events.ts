/**
 * Progress events of a sync run: enough for a CLI progress bar and for metrics. They carry
 * counts, identifiers and timings, never record contents.
 *
 * @module
 */

import type { SyncResource } from '../models/types';
import type { Logger } from '../options';
import type { ChangeCounts } from '../storage/types';
import type { SyncMode, SyncReport } from './report';

/**
 * One event of a sync run. Every event has the run's `runId` and `tenantId`.
 *
 * - `run_started`: the lock is held and the mode is decided.
 * - `resource_started`: the first page of a resource arrived (so `total` is the server's
 *   `X-Total-Count` when it sends one), or the resource ended without any page.
 * - `page`: after each page; `records` counts distinct records so far, `ratePerSecond` since the
 *   resource started.
 * - `retry`, `rate_limit_wait`: forwarded from the client while it fetches `resource`.
 * - `invalid_record`: a record failed validation and was skipped (its sourcedId when readable).
 * - `resource_finished`: the pull of a resource ended; `skipped` says why it was not synced.
 * - `planned`: what the commit will change per resource (before the shrink guard decides).
 * - `run_finished`: the final report, whatever the status.
 *
 * @example
 * ```ts
 * const onEvent = (event: SyncEvent) => {
 *   if (event.type === 'page') console.log(`${event.resource}: ${event.records}/${event.total ?? '?'}`);
 *   if (event.type === 'run_finished') console.log(event.report.status);
 * };
 * ```
 */
export type SyncEvent =
  | (RunEventBase & {
      type: 'run_started';
      mode: SyncMode;
      requestedMode: SyncMode | 'auto';
      dryRun: boolean;
      resources: SyncResource[];
      startedAt: string;
    })
  | (RunEventBase & {
      type: 'resource_started';
      resource: SyncResource;
      /** How this resource is pulled: completely, or changes since `since`. */
      pull: 'complete' | 'changes';
      /** The lower bound sent as `dateLastModified>=` (changes only). */
      since?: string;
      total?: number;
    })
  | (RunEventBase & {
      type: 'page';
      resource: SyncResource;
      records: number;
      total?: number;
      ratePerSecond: number;
    })
  | (RunEventBase & {
      type: 'retry';
      resource: SyncResource;
      attempt: number;
      delayMs: number;
      reason: string;
    })
  | (RunEventBase & {
      type: 'rate_limit_wait';
      resource: SyncResource;
      delayMs: number;
      reason: 'client_limit' | 'server_429' | 'server_headers';
    })
  | (RunEventBase & {
      type: 'invalid_record';
      resource: SyncResource;
      sourcedId: string | undefined;
    })
  | (RunEventBase & {
      type: 'resource_finished';
      resource: SyncResource;
      fetched: number;
      invalid: number;
      durationMs: number;
      /** Set when the resource was not synced, e.g. `permission_denied` for demographics. */
      skipped?: string;
    })
  | (RunEventBase & {
      type: 'planned';
      changes: Partial<Record<SyncResource, ChangeCounts>>;
    })
  | (RunEventBase & { type: 'run_finished'; report: SyncReport });

/** Fields every {@link SyncEvent} has. */
export interface RunEventBase {
  runId: string;
  tenantId: string;
}

/** The `type` of a {@link SyncEvent}. */
export type SyncEventType = SyncEvent['type'];

/** A {@link SyncEvent} without the fields the emitter adds. */
export type SyncEventInput = SyncEvent extends infer E
  ? E extends SyncEvent
    ? Omit<E, keyof RunEventBase>
    : never
  : never;

/**
 * Build the emitter of one run. A listener that throws must not fail a sync halfway, so its
 * error is logged (once per run) and ignored.
 */
export function createEmitter(
  base: RunEventBase,
  listener: ((event: SyncEvent) => void) | undefined,
  logger: Logger | undefined,
): (event: SyncEventInput) => void {
  let warned = false;
  return (event) => {
    if (!listener) return;
    try {
      listener({ ...base, ...event } as SyncEvent);
    } catch (error) {
      if (warned) return;
      warned = true;
      logger?.warn(
        {
          runId: base.runId,
          event: event.type,
          error: error instanceof Error ? error.message : String(error),
        },
        'sync onEvent listener threw; its errors are ignored (logged once per run)',
      );
    }
  };
}
