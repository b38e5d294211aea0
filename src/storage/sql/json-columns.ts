/**
 * The JSON documents the SQL adapters keep beside the records: the sync state and the run
 * reports. Both are written whole and read whole; the few columns beside them (`status`,
 * `started_at`) exist for ordering and for people querying the tables directly.
 *
 * @module
 */
import { StorageError } from '../../sync/errors';
import type { SyncReport } from '../../sync/report';
import type { SyncState } from '../types';
import { checkId, toJson } from '../validate';

/** A report ready to insert. */
export interface ReportRow {
  runId: string;
  tenantId: string;
  status: string;
  mode: string;
  /** `startedAt` normalised to UTC ISO text, so text order is time order. */
  startedAt: string;
  json: string;
}

/**
 * Check and serialise a report. Only what the tables index is checked: the rest of the report
 * is the engine's business and is kept as sent.
 */
export function toReportRow(report: SyncReport): ReportRow {
  if (report === null || typeof report !== 'object') {
    throw new StorageError('recordRun: the report must be an object');
  }
  checkId('report.runId', report.runId);
  checkId('report.tenantId', report.tenantId);
  const started = typeof report.startedAt === 'string' ? Date.parse(report.startedAt) : Number.NaN;
  if (Number.isNaN(started)) {
    throw new StorageError(`report of run ${report.runId}: startedAt is not an ISO 8601 instant`);
  }
  return {
    runId: report.runId,
    tenantId: report.tenantId,
    status: String(report.status),
    mode: String(report.mode),
    startedAt: new Date(started).toISOString(),
    json: toJson(report),
  };
}

/** Serialise the state committed with a run. */
export function toStateJson(state: SyncState): string {
  if (state === null || typeof state !== 'object') {
    throw new StorageError('commit: `state` must be an object');
  }
  return toJson(state);
}

function parseDocument(value: unknown, what: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new StorageError(`stored ${what} is not valid JSON (the database was edited by hand?)`, {
      cause: error,
    });
  }
}

/** Read a stored state document (JSON text, or an object from pg's `jsonb` parser). */
export function parseState(value: unknown): SyncState {
  return parseDocument(value, 'sync state') as SyncState;
}

/** Read a stored report document (JSON text, or an object from pg's `jsonb` parser). */
export function parseReport(value: unknown): SyncReport {
  return parseDocument(value, 'run report') as SyncReport;
}
