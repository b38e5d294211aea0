/**
 * The `records` row as both SQL adapters select it, and its mapping to {@link StoredRecord}.
 *
 * @module
 */
import type { RecordStatus, RecordTypes, SyncResource } from '../../models/types';
import type { StoredRecord } from '../types';

/**
 * The columns every read selects, in the order the tables declare them, but for `raw`, which
 * each adapter selects its own way (below). Small columns come before the JSON bodies on
 * purpose: SQLite then reads `hash` and `deleted_at` during the plan's joins without touching the
 * bodies' overflow pages.
 */
const COLUMNS_BEFORE_RAW =
  'sourced_id, status, date_last_modified, hash, synced_at, run_id, deleted_at, data';

/**
 * The record columns for PostgreSQL, where a NULL `raw` means the same JSON as `data` (schema
 * version 3); `data::json` is parsed apart from `data`, so the two are separate objects.
 */
export const POSTGRES_RECORD_COLUMNS = `${COLUMNS_BEFORE_RAW}, COALESCE(raw, data::json) AS raw`;

/**
 * The record columns for SQLite, where `raw` is '' when the record arrived exactly as normalised
 * (the same text as `data`; schema version 3): the text is stored once and read twice, so `data`
 * and `raw` still come back as two separate objects.
 */
export const SQLITE_RECORD_COLUMNS = `${COLUMNS_BEFORE_RAW}, IIF(raw = '', data, raw) AS raw`;

/** A `records` row as a driver returns it. */
export interface RecordRow {
  sourced_id: string;
  status: string;
  date_last_modified: string;
  hash: string;
  /** ISO text (SQLite) or a `Date` (pg's `timestamptz` parser). */
  synced_at: string | Date;
  run_id: string;
  deleted_at: string | Date | null;
  /** JSON text (SQLite) or an already parsed value (pg's `jsonb` parser). */
  data: unknown;
  raw: unknown;
}

/** ISO 8601 text of a timestamp column, whichever type the driver returned. */
export function toIso(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  // SQLite holds what we wrote (already ISO); pg returns text when a user's pool overrides the
  // timestamptz parser.
  return /^\d{4}-\d\d-\d\dT/.test(value) && value.endsWith('Z')
    ? value
    : new Date(value).toISOString();
}

function fromJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** Materialise a row for a reader. */
export function toStoredRecord<R extends SyncResource>(
  tenantId: string,
  resource: R,
  row: RecordRow,
): StoredRecord<R> {
  return {
    tenantId,
    resource,
    sourcedId: row.sourced_id,
    status: row.status as RecordStatus,
    dateLastModified: row.date_last_modified,
    // Written by this adapter from a StagedRecord<R>, so the shape is the one staged.
    data: fromJson(row.data) as RecordTypes[R],
    raw: fromJson(row.raw),
    hash: row.hash,
    syncedAt: toIso(row.synced_at),
    runId: row.run_id,
    deletedAt: row.deleted_at === null ? null : toIso(row.deleted_at),
  };
}
