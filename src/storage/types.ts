/**
 * The storage contract. A storage adapter keeps, per tenant, the normalised records of every
 * synced resource, the sync state (cursors), a run lock, and the run reports.
 *
 * The contract is built so that a sync can never half-apply: the engine *stages* everything a
 * run fetched, asks for a *plan* (what would change, for the shrink guard and dry runs), and then
 * *commits* records, deletions, the new state and the report in one atomic step. A run that
 * fails or is killed before `commit()` leaves the live data and the state untouched; its staged
 * rows are discarded by the next `beginRun()` for the tenant.
 *
 * Writing an adapter for another database: implement this interface and run the shared contract
 * suite (`runStorageAdapterContract` from `@smartpass/oneroster/testing`) against it.
 * `src/storage/README.md` walks through it; `MemoryStorage` is the reference implementation.
 *
 * Rules the contract suite pins:
 * - Counting, per listed resource, over the staged records (the last staged copy of a sourcedId
 *   wins): an `active` record with no live stored row (absent, or a tombstone) is `created`; with
 *   a live row of equal `hash` it is `unchanged` and is NOT rewritten (its `syncedAt` and `runId`
 *   stay); otherwise `updated`. A `tobedeleted` record whose row is live is `deleted`; one whose
 *   row is absent or already a tombstone counts nowhere but is stored as a tombstone. In a swept
 *   resource, every live row not staged in the run is `deleted` (tombstoned, data kept).
 * - A tombstone has `deletedAt` set; reads skip it unless `includeDeleted`.
 * - `plan()` returns an entry for every resource in `resources` and `sweep`, equal to what
 *   `commit()` then returns.
 * - `beginRun()` voids every earlier uncommitted run of the tenant: its staging is dropped and its
 *   `StagedRun` must reject `stage`, `plan` and `commit` (a void run's sweep would otherwise
 *   delete everything). `commit()` twice rejects; `discard()` is idempotent.
 * - `list()` orders by sourcedId in code point order (UTF-8 byte order: SQLite `BINARY`,
 *   PostgreSQL `COLLATE "C"`), and other calls on the adapter work while a listing is open.
 * - `runs()` is ordered by `startedAt`, newest first. `release()` of a lock is idempotent.
 * - Adapters report failures as `StorageError` (`src/sync/errors.ts`, code `storage_error`).
 *
 * Additive change (performance): `StagedRecord.dataJson`, optional. The engine serialises each
 * normalised record once to hash it and hands that text along, so an adapter that stores JSON
 * text need not serialise `data` again. Adapters must work without it (records re-staged from
 * storage, other engines, hand-written tests do not set it).
 *
 * @module
 */
import type { RecordStatus, RecordTypes, SyncResource } from '../models/types';
import type { SyncReport } from '../sync/report';

/** A record as the engine hands it to storage. */
export interface StagedRecord<R extends SyncResource = SyncResource> {
  sourcedId: string;
  status: RecordStatus;
  dateLastModified: string;
  /** The normalised record. */
  data: RecordTypes[R];
  /** The record exactly as the server sent it (parsed JSON). */
  raw: unknown;
  /** Content hash of `data`, computed by the engine; equal hashes mean "unchanged". */
  hash: string;
  /**
   * `JSON.stringify(data)`, when the engine already has it (it hashes that text). An adapter that
   * keeps `data` as JSON text may store this instead of serialising `data` again; it must not
   * require it, and should not check it (that would cost what it saves).
   */
  dataJson?: string;
}

/** A record as storage returns it. */
export interface StoredRecord<R extends SyncResource = SyncResource>
  extends Omit<StagedRecord<R>, 'dataJson'> {
  tenantId: string;
  resource: R;
  /** ISO 8601: when this store last created or changed the record. */
  syncedAt: string;
  /** The run that last wrote the record. */
  runId: string;
  /** ISO 8601 when tombstoned (deleted); `null` for live records. */
  deletedAt: string | null;
}

/** Per-tenant sync state, committed atomically with the data it describes. */
export interface SyncState {
  /**
   * Per resource: the instant from which the next incremental run asks for changes
   * (`dateLastModified >= cursor - lookback`).
   */
  cursors: Partial<Record<SyncResource, string>>;
  /** ISO 8601 of the last successful full run. */
  lastFullSyncAt?: string;
  /** Successful incremental runs since the last full run. */
  incrementalRunsSinceFull: number;
  /** The run that wrote this state. */
  runId: string;
}

/** What a commit would do (or did) to one resource. */
export interface ChangeCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** Live (non-deleted) records before the run. */
  before: number;
}

/** Which resources to change and how. */
export interface CommitPlanInput {
  /**
   * Resources whose pull was complete and should be swept: live records not staged in this run
   * are tombstoned (full sync). Other staged resources are only upserted (incremental sync).
   */
  sweep: SyncResource[];
  /** Resources that were staged in this run (all of them are applied). */
  resources: SyncResource[];
}

/** A run in progress: staged writes, invisible to readers until `commit()`. */
export interface StagedRun {
  readonly runId: string;
  readonly tenantId: string;
  /**
   * Stage a batch of records. Staging the same sourcedId twice keeps the last one. A staged
   * record with status `tobedeleted` is a deletion.
   */
  stage<R extends SyncResource>(resource: R, records: StagedRecord<R>[]): Promise<void>;
  /** What `commit()` would do, without changing anything. */
  plan(input: CommitPlanInput): Promise<Partial<Record<SyncResource, ChangeCounts>>>;
  /**
   * Atomically apply the staged records (upserts and deletions), sweep, write `state` and
   * `report`, and drop the staging area. Either all of it happens or none of it.
   */
  commit(
    input: CommitPlanInput & { state: SyncState; report: SyncReport },
  ): Promise<Partial<Record<SyncResource, ChangeCounts>>>;
  /** Drop the staging area without applying anything. */
  discard(): Promise<void>;
}

/** A held per-tenant run lock. */
export interface TenantLock {
  release(): Promise<void>;
}

/** Read options shared by the read API. */
export interface ReadOptions {
  tenantId: string;
  /** Include tombstoned records. @default false */
  includeDeleted?: boolean;
}

/** The storage adapter contract. */
export interface StorageAdapter {
  /** Short name for logs and reports, e.g. `sqlite`. */
  readonly kind: string;

  /**
   * Take the tenant's run lock, or return `null` at once if another run (in this or another
   * process) holds it. A lock held by a process that died must not block forever.
   */
  acquireLock(tenantId: string, runId: string): Promise<TenantLock | null>;

  /** The committed state, or `null` before the first successful run. */
  getState(tenantId: string): Promise<SyncState | null>;

  /** Start staging a run; discards leftovers of earlier runs of this tenant that never committed. */
  beginRun(tenantId: string, runId: string): Promise<StagedRun>;

  /** Store the report of a run that did not commit (failed or refused). */
  recordRun(report: SyncReport): Promise<void>;

  /** One record, or `null`. */
  get<R extends SyncResource>(
    resource: R,
    sourcedId: string,
    options: ReadOptions,
  ): Promise<StoredRecord<R> | null>;
  /** All records of a resource, ordered by sourcedId, streamed. */
  list<R extends SyncResource>(resource: R, options: ReadOptions): AsyncIterable<StoredRecord<R>>;
  count(resource: SyncResource, options: ReadOptions): Promise<number>;
  /** Stored run reports, newest first. */
  runs(options: { tenantId: string; limit?: number }): Promise<SyncReport[]>;

  /** Release connections and file handles. */
  close(): Promise<void>;
}
