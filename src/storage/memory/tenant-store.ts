/**
 * The data MemoryStorage keeps per tenant. Record bodies are kept as JSON text, as the SQL
 * adapters keep them: reads return fresh objects a caller can mutate freely, and anything that
 * would not survive a real database (a `Date`, a symbol-keyed property, `undefined`) is lost
 * here too, so tests on MemoryStorage do not pass by accident.
 *
 * @module
 */
import type { RecordStatus, SyncResource } from '../../models/types';
import type { StoredRecord } from '../types';

/** One stored record. */
export interface Row {
  sourcedId: string;
  status: RecordStatus;
  dateLastModified: string;
  hash: string;
  /** `data` as JSON text. */
  data: string;
  /** `raw` as JSON text; `null` when it is the same text as `data`. */
  raw: string | null;
  syncedAt: string;
  runId: string;
  deletedAt: string | null;
}

/** Everything stored for one tenant. */
export interface TenantStore {
  readonly tenantId: string;
  readonly records: Map<SyncResource, Map<string, Row>>;
  /** The committed `SyncState` as JSON text. */
  state: string | null;
  /** Run reports as JSON text, oldest first. */
  readonly runs: string[];
  /** The run id holding the lock. */
  lockedBy: string | null;
  /** The run id of the newest `beginRun()`; older staged runs of the tenant are void. */
  currentRunId: string | null;
}

/** A fresh, empty tenant store. */
export function createTenantStore(tenantId: string): TenantStore {
  return {
    tenantId,
    records: new Map(),
    state: null,
    runs: [],
    lockedBy: null,
    currentRunId: null,
  };
}

/** The rows of one resource, created on first use. */
export function resourceRows(store: TenantStore, resource: SyncResource): Map<string, Row> {
  let rows = store.records.get(resource);
  if (!rows) {
    rows = new Map();
    store.records.set(resource, rows);
  }
  return rows;
}

/** Materialise a row for a reader. */
export function toStoredRecord<R extends SyncResource>(
  tenantId: string,
  resource: R,
  row: Row,
): StoredRecord<R> {
  return {
    tenantId,
    resource,
    sourcedId: row.sourcedId,
    status: row.status,
    dateLastModified: row.dateLastModified,
    data: JSON.parse(row.data),
    raw: JSON.parse(row.raw ?? row.data),
    hash: row.hash,
    syncedAt: row.syncedAt,
    runId: row.runId,
    deletedAt: row.deletedAt,
  };
}
