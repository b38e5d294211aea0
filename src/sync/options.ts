/**
 * Options of `createSync()` and `sync.run()`, and their validation. Every bad option throws a
 * {@link ConfigurationError} naming it, at `createSync()` time where possible.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import { SYNC_RESOURCES, type SyncResource, type ValidationMode } from '../models/types';
import type { Logger } from '../options';
import {
  checkFunction,
  checkInteger,
  checkSignal,
  checkValidationMode,
  describeType,
  isPlainObject,
} from '../resources/checks';
import type { StorageAdapter } from '../storage/types';
import type { SyncEvent } from './events';
import type { SyncMode } from './report';
import type { SyncClient } from './source';

/** Shrink guard settings (full runs only). */
export interface ShrinkGuardOptions {
  /**
   * Refuse a full run that would delete more than this share of a resource's stored records.
   * @default 0.5
   */
  maxDeleteShare?: number;
  /**
   * Resources with fewer stored records than this are exempt from the share rule (a 3-record
   * resource losing 2 is normal churn, not a misconfigured district). An empty pull over a
   * non-empty store is refused whatever the size.
   * @default 10
   */
  minRecords?: number;
}

/** When `mode: 'auto'` runs a full sync instead of an incremental one. */
export interface FullSyncSchedule {
  /** After this many successful incremental runs since the last full run. @default 7 */
  runs?: number;
  /** When the last full run is at least this many days old. @default 7 */
  days?: number;
}

/** Options of {@link createSync}. */
export interface SyncOptions {
  /** A `OneRosterClient` (or anything with the same collections, see {@link SyncClient}). */
  client: SyncClient;
  /** Where the records, cursors, lock and reports live. */
  storage: StorageAdapter;
  /** Whose data this is (a district); everything in storage is keyed by it. */
  tenantId: string;
  /** Resources to sync, in any order (they are always pulled in dependency order). @default all */
  resources?: readonly SyncResource[];
  /**
   * Sync only these schools (sourcedIds), as a district's data-sharing rules allow: classes,
   * courses, enrollments, students and teachers come from the schools' nested endpoints. See
   * docs/sync.md for what each resource pulls.
   */
  schools?: readonly string[];
  /** `false` turns the guard off (not recommended). */
  shrinkGuard?: ShrinkGuardOptions | false;
  /** Records per `stage()` call. @default 1000 */
  batchSize?: number;
  /**
   * Incremental runs ask for `dateLastModified >= cursor - lookbackMs`, so that changes the
   * provider timestamps late (replication lag, date-only precision) are not missed.
   * @default 3_600_000 (one hour)
   */
  lookbackMs?: number;
  /**
   * A new cursor is never later than the run's start minus this margin, so that records changed
   * while the run was reading (and clocks that disagree by up to this much) are read again next
   * time. @default 300_000 (five minutes)
   */
  clockSkewMs?: number;
  /** Validation of records. `lenient` skips invalid records and keeps their stored copy. @default 'lenient' */
  validation?: ValidationMode;
  /**
   * Ask the server to sort every listing by sourcedId (`sort=sourcedId&orderBy=asc`). Offset
   * paging is only stable over a stable order: without one, a server may return a record on two
   * pages and skip another (ClassLink advises pinning it). Records then also arrive in the
   * storage key's order, which keeps staging and commit sequential on disk. Turn it off for a
   * server that rejects or is slow to sort. @default true
   */
  sortBySourcedId?: boolean;
  /**
   * Resources that are skipped with a warning, instead of failing the run, when the server
   * answers their first request with 403 or 404: districts often do not share demographics.
   * @default ['demographics']
   */
  optionalResources?: readonly SyncResource[];
  /** Progress events. */
  onEvent?: (event: SyncEvent) => void;
  /** @default { runs: 7, days: 7 } */
  fullSyncEvery?: FullSyncSchedule;
  /** Clock (tests pin it). @default () => new Date() */
  now?: () => Date;
  /** Receives one `info` line per run and `warn` lines for warnings; never record contents. */
  logger?: Logger;
}

/** Options of `sync.run()`. */
export interface RunOptions {
  /** `auto` is full without state or when the schedule says so, else incremental. @default 'auto' */
  mode?: SyncMode | 'auto';
  /** Aborting fails the run promptly, leaving the store as it was. */
  signal?: AbortSignal;
  /** Apply even when the shrink guard would refuse. @default false */
  force?: boolean;
  /** Pull, stage and plan, report what would change, then discard. @default false */
  dryRun?: boolean;
}

/** {@link SyncOptions} after validation, with defaults applied. */
export interface ResolvedSyncOptions {
  client: SyncClient;
  storage: StorageAdapter;
  tenantId: string;
  /** In dependency order. */
  resources: SyncResource[];
  schools: string[] | undefined;
  shrinkGuard: Required<ShrinkGuardOptions> | false;
  batchSize: number;
  lookbackMs: number;
  clockSkewMs: number;
  validation: ValidationMode;
  sortBySourcedId: boolean;
  optionalResources: ReadonlySet<SyncResource>;
  onEvent: ((event: SyncEvent) => void) | undefined;
  fullSyncEvery: Required<FullSyncSchedule>;
  now: () => Date;
  logger: Logger | undefined;
}

/** {@link RunOptions} after validation. */
export interface ResolvedRunOptions {
  mode: SyncMode | 'auto';
  signal: AbortSignal | undefined;
  force: boolean;
  dryRun: boolean;
}

const SYNC_OPTION_KEYS = new Set([
  'client',
  'storage',
  'tenantId',
  'resources',
  'schools',
  'shrinkGuard',
  'batchSize',
  'lookbackMs',
  'clockSkewMs',
  'validation',
  'sortBySourcedId',
  'optionalResources',
  'onEvent',
  'fullSyncEvery',
  'now',
  'logger',
]);

function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigurationError(option, `must be a boolean, got ${describeType(value)}`);
  }
  return value;
}

function checkKeys(option: string, value: Record<string, unknown>, allowed: ReadonlySet<string>) {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new ConfigurationError(
        option ? `${option}.${key}` : key,
        `unknown option; expected one of ${[...allowed].join(', ')}`,
      );
    }
  }
}

function checkResources(option: string, value: unknown): SyncResource[] {
  if (!Array.isArray(value)) {
    throw new ConfigurationError(
      option,
      `must be an array of resources, got ${describeType(value)}`,
    );
  }
  for (const item of value) {
    if (!(SYNC_RESOURCES as readonly unknown[]).includes(item)) {
      throw new ConfigurationError(
        option,
        `unknown resource ${typeof item === 'string' ? JSON.stringify(item) : describeType(item)}; ` +
          `expected some of ${SYNC_RESOURCES.join(', ')}`,
      );
    }
  }
  // Dependency order, whatever order the caller wrote.
  return SYNC_RESOURCES.filter((resource) => value.includes(resource));
}

function checkNonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(option, `must be a non-empty string, got ${describeType(value)}`);
  }
  return value;
}

function checkShare(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigurationError(
      option,
      `must be a number from 0 to 1, got ${describeType(value)}`,
    );
  }
  return value;
}

function checkPositive(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(option, `must be a positive number, got ${describeType(value)}`);
  }
  return value;
}

function checkClient(value: unknown): SyncClient {
  if (!isPlainObjectLike(value)) {
    throw new ConfigurationError('client', `must be a OneRosterClient, got ${describeType(value)}`);
  }
  const client = value as Record<string, unknown>;
  for (const resource of SYNC_RESOURCES) {
    const collection = client[resource] as { list?: unknown; get?: unknown } | undefined;
    for (const method of ['list', 'get'] as const) {
      if (typeof collection?.[method] !== 'function') {
        throw new ConfigurationError(
          'client',
          `must be a OneRosterClient (no ${resource}.${method}())`,
        );
      }
    }
  }
  return value as unknown as SyncClient;
}

function checkStorage(value: unknown): StorageAdapter {
  const storage = value as Partial<Record<keyof StorageAdapter, unknown>> | null;
  const methods = ['acquireLock', 'getState', 'beginRun', 'recordRun', 'get'] as const;
  if (!isPlainObjectLike(storage) || methods.some((m) => typeof storage[m] !== 'function')) {
    throw new ConfigurationError(
      'storage',
      `must be a StorageAdapter (e.g. new MemoryStorage()), got ${describeType(value)}`,
    );
  }
  return value as StorageAdapter;
}

function checkLogger(value: unknown): Logger {
  const logger = value as Partial<Record<keyof Logger, unknown>> | null;
  if (
    !isPlainObjectLike(logger) ||
    (['debug', 'info', 'warn', 'error'] as const).some(
      (level) => typeof logger[level] !== 'function',
    )
  ) {
    throw new ConfigurationError(
      'logger',
      'must have debug, info, warn and error methods (pino-like)',
    );
  }
  return value as Logger;
}

/** Objects and class instances (a client is a class instance, not a plain object). */
function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validate {@link SyncOptions} and apply defaults.
 *
 * @throws {ConfigurationError} naming the first invalid option.
 */
export function resolveSyncOptions(options: SyncOptions): ResolvedSyncOptions {
  if (!isPlainObject(options)) {
    throw new ConfigurationError('options', `must be an object, got ${describeType(options)}`);
  }
  checkKeys('', options as unknown as Record<string, unknown>, SYNC_OPTION_KEYS);
  const client = checkClient(options.client);
  const storage = checkStorage(options.storage);
  const tenantId = checkNonEmptyString('tenantId', options.tenantId);
  const resources =
    options.resources === undefined
      ? [...SYNC_RESOURCES]
      : checkResources('resources', options.resources);
  if (resources.length === 0) {
    throw new ConfigurationError('resources', 'must name at least one resource');
  }

  let schools: string[] | undefined;
  if (options.schools !== undefined) {
    if (!Array.isArray(options.schools) || options.schools.length === 0) {
      throw new ConfigurationError(
        'schools',
        'must be a non-empty array of school sourcedIds (omit it to sync the whole district)',
      );
    }
    schools = [
      ...new Set(options.schools.map((id, i) => checkNonEmptyString(`schools[${i}]`, id))),
    ];
    for (const method of [
      'listCourses',
      'listClasses',
      'listStudents',
      'listTeachers',
      'listEnrollments',
    ] as const) {
      if (typeof client.schools?.[method] !== 'function') {
        throw new ConfigurationError(
          'client',
          `must provide schools.${method}() to scope by school`,
        );
      }
    }
  }

  let shrinkGuard: Required<ShrinkGuardOptions> | false = { maxDeleteShare: 0.5, minRecords: 10 };
  if (options.shrinkGuard === false) shrinkGuard = false;
  else if (options.shrinkGuard !== undefined) {
    if (!isPlainObject(options.shrinkGuard)) {
      throw new ConfigurationError('shrinkGuard', 'must be an object or false');
    }
    checkKeys('shrinkGuard', options.shrinkGuard, new Set(['maxDeleteShare', 'minRecords']));
    const { maxDeleteShare, minRecords } = options.shrinkGuard;
    shrinkGuard = {
      maxDeleteShare:
        maxDeleteShare === undefined
          ? 0.5
          : checkShare('shrinkGuard.maxDeleteShare', maxDeleteShare),
      minRecords:
        minRecords === undefined ? 10 : checkInteger('shrinkGuard.minRecords', minRecords, 0),
    };
  }

  let fullSyncEvery: Required<FullSyncSchedule> = { runs: 7, days: 7 };
  if (options.fullSyncEvery !== undefined) {
    if (!isPlainObject(options.fullSyncEvery)) {
      throw new ConfigurationError('fullSyncEvery', 'must be an object like { runs: 7, days: 7 }');
    }
    checkKeys('fullSyncEvery', options.fullSyncEvery, new Set(['runs', 'days']));
    const { runs, days } = options.fullSyncEvery;
    fullSyncEvery = {
      runs: runs === undefined ? 7 : checkInteger('fullSyncEvery.runs', runs, 1),
      days: days === undefined ? 7 : checkPositive('fullSyncEvery.days', days),
    };
  }

  return {
    client,
    storage,
    tenantId,
    resources,
    schools,
    shrinkGuard,
    batchSize:
      options.batchSize === undefined ? 1000 : checkInteger('batchSize', options.batchSize, 1),
    lookbackMs:
      options.lookbackMs === undefined
        ? 3_600_000
        : checkInteger('lookbackMs', options.lookbackMs, 0),
    clockSkewMs:
      options.clockSkewMs === undefined
        ? 300_000
        : checkInteger('clockSkewMs', options.clockSkewMs, 0),
    validation:
      options.validation === undefined
        ? 'lenient'
        : checkValidationMode('validation', options.validation),
    sortBySourcedId:
      options.sortBySourcedId === undefined
        ? true
        : checkBoolean('sortBySourcedId', options.sortBySourcedId),
    optionalResources: new Set(
      options.optionalResources === undefined
        ? ['demographics']
        : checkResources('optionalResources', options.optionalResources),
    ),
    onEvent:
      options.onEvent === undefined
        ? undefined
        : checkFunction<(event: SyncEvent) => void>('onEvent', options.onEvent),
    fullSyncEvery,
    now:
      options.now === undefined ? () => new Date() : checkFunction<() => Date>('now', options.now),
    logger: options.logger === undefined ? undefined : checkLogger(options.logger),
  };
}

/**
 * Validate {@link RunOptions} and apply defaults.
 *
 * @throws {ConfigurationError} naming the first invalid option.
 */
export function resolveRunOptions(options: RunOptions | undefined): ResolvedRunOptions {
  if (options === undefined)
    return { mode: 'auto', signal: undefined, force: false, dryRun: false };
  if (!isPlainObject(options)) {
    throw new ConfigurationError('options', `must be an object, got ${describeType(options)}`);
  }
  checkKeys('', options as Record<string, unknown>, new Set(['mode', 'signal', 'force', 'dryRun']));
  const mode = options.mode ?? 'auto';
  if (mode !== 'full' && mode !== 'incremental' && mode !== 'auto') {
    throw new ConfigurationError(
      'mode',
      `must be 'full', 'incremental' or 'auto', got ${typeof mode === 'string' ? JSON.stringify(mode) : describeType(mode)}`,
    );
  }
  for (const flag of ['force', 'dryRun'] as const) {
    if (options[flag] !== undefined) checkBoolean(flag, options[flag]);
  }
  return {
    mode,
    signal: options.signal === undefined ? undefined : checkSignal('signal', options.signal),
    force: options.force === true,
    dryRun: options.dryRun === true,
  };
}
