/**
 * Argument checks shared by the storage adapters (memory, SQLite, PostgreSQL): a bad argument of
 * the read API is a {@link ConfigurationError} naming the argument, a bad staged record or plan input
 * is a {@link StorageError}. Messages name identifiers only, never record contents (PII).
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import { SYNC_RESOURCES, type SyncResource } from '../models/types';
import { StorageError } from '../sync/errors';
import type { CommitPlanInput, StagedRecord } from './types';

const RESOURCES = new Set<string>(SYNC_RESOURCES);

/**
 * An optional integer option of an adapter: `undefined` when absent, else the value, or a
 * {@link ConfigurationError} naming the option when it is not an integer `>= min`.
 */
export function checkIntegerOption(
  option: string,
  value: unknown,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(option, `must be an integer >= ${min}`);
  }
  return value;
}

/** Throw a {@link ConfigurationError} unless `value` is a non-empty string. */
export function checkId(option: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError(option, 'must be a non-empty string');
  }
}

/** Throw a {@link ConfigurationError} unless `resource` is one of {@link SYNC_RESOURCES}. */
export function checkResource(resource: unknown): asserts resource is SyncResource {
  if (typeof resource !== 'string' || !RESOURCES.has(resource)) {
    throw new ConfigurationError('resource', unknownResource(resource));
  }
}

/** Throw a {@link ConfigurationError} unless `limit` is absent or a non-negative integer. */
export function checkLimit(limit: unknown): asserts limit is number | undefined {
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)) {
    throw new ConfigurationError('limit', 'must be a non-negative integer');
  }
}

function unknownResource(resource: unknown): string {
  return `unknown resource ${JSON.stringify(resource)}; expected one of ${SYNC_RESOURCES.join(', ')}`;
}

function stagedResource(resource: unknown, where: string): SyncResource {
  if (typeof resource !== 'string' || !RESOURCES.has(resource)) {
    throw new StorageError(`${where}: ${unknownResource(resource)}`);
  }
  return resource as SyncResource;
}

/** A staged record as the adapters keep it: bodies already serialised to JSON text. */
export interface StagedRow {
  sourcedId: string;
  status: 'active' | 'tobedeleted';
  dateLastModified: string;
  hash: string;
  data: string;
  /**
   * `null` when the raw body is the same JSON text as `data` (a record that arrived exactly as
   * it is normalised, as most do): adapters store the text once and read `data` back as `raw`.
   */
  raw: string | null;
}

/** `JSON.stringify` that never returns `undefined` (an `undefined` raw body is stored as null). */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/**
 * Check and serialise a batch for `stage()`. The whole batch is converted before anything is
 * written, so one bad record rejects the batch. Duplicates within the batch keep the last copy
 * (the contract's "last staged wins"), which also keeps `INSERT ... ON CONFLICT DO UPDATE`
 * from touching one row twice in a statement (PostgreSQL refuses that).
 */
export function toStagedRows(
  resource: unknown,
  records: unknown,
): {
  resource: SyncResource;
  rows: StagedRow[];
} {
  const checked = stagedResource(resource, 'stage');
  if (!Array.isArray(records)) {
    throw new StorageError(`stage(${checked}): records must be an array`);
  }
  const rows: StagedRow[] = [];
  const seen = new Map<string, number>();
  records.forEach((record: StagedRecord, index) => {
    const row = toStagedRow(checked, record, index);
    const previous = seen.get(row.sourcedId);
    if (previous === undefined) {
      seen.set(row.sourcedId, rows.length);
      rows.push(row);
    } else {
      rows[previous] = row;
    }
  });
  return { resource: checked, rows };
}

function toStagedRow(resource: SyncResource, record: StagedRecord, index: number): StagedRow {
  const where = `stage(${resource}) record #${index}`;
  if (record === null || typeof record !== 'object') {
    throw new StorageError(`${where} is not an object`);
  }
  const { sourcedId, status, dateLastModified, hash } = record;
  if (typeof sourcedId !== 'string' || sourcedId === '') {
    throw new StorageError(`${where} has no sourcedId`);
  }
  if (status !== 'active' && status !== 'tobedeleted') {
    throw new StorageError(`${where} (${sourcedId}) has an invalid status`);
  }
  if (typeof dateLastModified !== 'string' || typeof hash !== 'string' || hash === '') {
    throw new StorageError(`${where} (${sourcedId}) needs a dateLastModified and a hash`);
  }
  // The engine's serialisation of `data`, when it sent one (`StagedRecord.dataJson`).
  const data = typeof record.dataJson === 'string' ? record.dataJson : toJson(record.data);
  const raw = toJson(record.raw);
  return { sourcedId, status, dateLastModified, hash, data, raw: raw === data ? null : raw };
}

/** The resources a plan or commit touches. */
export interface PlanScope {
  /** Every resource to count and apply, in the order given (resources first, then sweep). */
  applied: SyncResource[];
  /** Resources whose live records absent from staging are tombstoned. */
  sweep: ReadonlySet<SyncResource>;
  /** Identifies the scope, to tell whether a commit asks what a plan asked. */
  key: string;
}

/**
 * Check a {@link CommitPlanInput}. A resource listed only in `sweep` is applied too: a complete
 * pull that returned nothing staged nothing, and still has to be swept.
 */
export function toPlanScope(input: CommitPlanInput): PlanScope {
  if (
    input === null ||
    typeof input !== 'object' ||
    !Array.isArray(input.resources) ||
    !Array.isArray(input.sweep)
  ) {
    throw new StorageError('plan/commit: `resources` and `sweep` must be arrays of resources');
  }
  const sweep = new Set(input.sweep.map((r) => stagedResource(r, 'sweep')));
  const applied = new Set([
    ...input.resources.map((r) => stagedResource(r, 'resources')),
    ...sweep,
  ]);
  return {
    applied: [...applied],
    sweep,
    key: JSON.stringify([[...applied].sort(), [...sweep].sort()]),
  };
}
