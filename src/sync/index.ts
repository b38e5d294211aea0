/**
 * `@smartpass/oneroster/sync`: the sync engine. Pulls a district from its OneRoster server into
 * a storage adapter (`./storage/memory`, `./storage/sqlite`, `./storage/postgres`, or your own),
 * full or incremental, atomically, with a shrink guard and one run per tenant at a time.
 *
 * @example
 * ```ts
 * import { createSync } from '@smartpass/oneroster/sync';
 * ```
 *
 * @module
 */

export type {
  ChangeCounts,
  CommitPlanInput,
  ReadOptions,
  StagedRecord,
  StagedRun,
  StorageAdapter,
  StoredRecord,
  SyncState,
  TenantLock,
} from '../storage/types';
export { createSync, type Sync } from './create-sync';
export { StorageError, SyncError, SyncLockedError } from './errors';
export type { RunEventBase, SyncEvent, SyncEventType } from './events';
export { recordHash, type SerializedRecord, serializeRecord } from './hash';
export type {
  FullSyncSchedule,
  RunOptions,
  ShrinkGuardOptions,
  SyncOptions,
} from './options';
export type { ResourceCounts, SyncMode, SyncReport, SyncRunStatus } from './report';
export type { SyncClient, SyncCollection, SyncNestedList, SyncPage, SyncPaginator } from './source';
