/**
 * The report of one sync run, returned by `sync.run()` and kept by every storage adapter
 * (`storage.runs()`). Plain JSON: safe to log, store and send to monitoring. It holds counts,
 * identifiers and reasons, never record contents.
 *
 * @module
 */
import type { SyncResource } from '../models/types';

export type SyncMode = 'full' | 'incremental';
export type SyncRunStatus = 'succeeded' | 'failed' | 'refused';

/** What happened to one resource in one run. */
export interface ResourceCounts {
  /** Records received from the server (after de-duplication). */
  fetched: number;
  created: number;
  updated: number;
  /** Removed: `tobedeleted` records, and in a full sync records absent from the complete pull. */
  deleted: number;
  unchanged: number;
  /** Records skipped because they failed validation (lenient mode). */
  invalid: number;
}

export interface SyncReport {
  runId: string;
  tenantId: string;
  /** The mode actually run (`auto` resolves to one of these). */
  mode: SyncMode;
  /** What was asked for. */
  requestedMode: SyncMode | 'auto';
  status: SyncRunStatus;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601. */
  finishedAt: string;
  durationMs: number;
  /** `true` when nothing was written (a dry run). */
  dryRun: boolean;
  resources: Partial<Record<SyncResource, ResourceCounts>>;
  /** Why a run was refused (shrink guard) or failed, in one sentence. */
  reason?: string;
  warnings: string[];
  /** Error summaries (code and message, already free of secrets). */
  errors: Array<{ code: string; message: string; resource?: SyncResource }>;
}
