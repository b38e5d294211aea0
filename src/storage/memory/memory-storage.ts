/**
 * The in-memory storage adapter.
 *
 * @module
 */
import { ConfigurationError } from '../../errors';
import { SYNC_RESOURCES, type SyncResource } from '../../models/types';
import { StorageError } from '../../sync/errors';
import type { SyncReport } from '../../sync/report';
import type {
  ReadOptions,
  StagedRun,
  StorageAdapter,
  StoredRecord,
  SyncState,
  TenantLock,
} from '../types';
import { compareCodePoints } from './order';
import { MemoryStagedRun } from './staged-run';
import { createTenantStore, type TenantStore, toStoredRecord } from './tenant-store';

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /** Clock for `syncedAt` and `deletedAt` (tests pin it). @default () => new Date() */
  now?: () => Date;
}

const RESOURCES = new Set<string>(SYNC_RESOURCES);

/**
 * A {@link StorageAdapter} that keeps everything in process memory: for tests, examples and
 * short-lived scripts. It implements the whole contract (staging invisible until an atomic
 * commit, tombstones, a per-tenant lock, state and run history) and passes the shared contract
 * suite, so code tested against it behaves the same on SQLite or PostgreSQL. Data is gone when
 * the process exits, and the lock only excludes runs within this process.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from '@smartpass/oneroster/storage/memory';
 *
 * const storage = new MemoryStorage();
 * const user = await storage.get('users', 'u-1', { tenantId: 'district-1' });
 * for await (const cls of storage.list('classes', { tenantId: 'district-1' })) {
 *   console.log(cls.sourcedId, cls.data.title);
 * }
 * ```
 */
export class MemoryStorage implements StorageAdapter {
  readonly kind = 'memory';
  readonly #tenants = new Map<string, TenantStore>();
  readonly #now: () => Date;
  #closed = false;

  constructor(options: MemoryStorageOptions = {}) {
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new ConfigurationError('now', 'must be a function returning a Date');
    }
    this.#now = options.now ?? (() => new Date());
  }

  async acquireLock(tenantId: string, runId: string): Promise<TenantLock | null> {
    const store = this.#tenant(tenantId);
    checkId('runId', runId);
    if (store.lockedBy !== null) return null;
    store.lockedBy = runId;
    let held = true;
    return {
      release: async () => {
        // Idempotent, and never releases a lock taken later by another run.
        if (held && store.lockedBy === runId) store.lockedBy = null;
        held = false;
      },
    };
  }

  async getState(tenantId: string): Promise<SyncState | null> {
    const { state } = this.#tenant(tenantId);
    return state === null ? null : (JSON.parse(state) as SyncState);
  }

  async beginRun(tenantId: string, runId: string): Promise<StagedRun> {
    const store = this.#tenant(tenantId);
    checkId('runId', runId);
    // Leftovers of an earlier run that never committed are dropped: that run is void from now
    // on, and its StagedRun object refuses further use.
    store.currentRunId = runId;
    return new MemoryStagedRun(store, runId, this.#now);
  }

  async recordRun(report: SyncReport): Promise<void> {
    if (report === null || typeof report !== 'object') {
      throw new StorageError('recordRun: the report must be an object');
    }
    this.#tenant(report.tenantId).runs.push(JSON.stringify(report));
  }

  async get<R extends SyncResource>(
    resource: R,
    sourcedId: string,
    options: ReadOptions,
  ): Promise<StoredRecord<R> | null> {
    const store = this.#tenant(options?.tenantId);
    checkResource(resource);
    const row = store.records.get(resource)?.get(sourcedId);
    if (!row || (row.deletedAt !== null && options.includeDeleted !== true)) return null;
    return toStoredRecord(store.tenantId, resource, row);
  }

  async *list<R extends SyncResource>(
    resource: R,
    options: ReadOptions,
  ): AsyncIterable<StoredRecord<R>> {
    const store = this.#tenant(options?.tenantId);
    checkResource(resource);
    const includeDeleted = options.includeDeleted === true;
    // A snapshot of the rows at the start: rows are replaced, never mutated, so a commit that
    // happens while a caller iterates cannot tear a record.
    const rows = [...(store.records.get(resource)?.values() ?? [])]
      .filter((row) => includeDeleted || row.deletedAt === null)
      .sort((a, b) => compareCodePoints(a.sourcedId, b.sourcedId));
    for (const row of rows) yield toStoredRecord(store.tenantId, resource, row);
  }

  async count(resource: SyncResource, options: ReadOptions): Promise<number> {
    const store = this.#tenant(options?.tenantId);
    checkResource(resource);
    const rows = store.records.get(resource);
    if (!rows) return 0;
    if (options.includeDeleted === true) return rows.size;
    let live = 0;
    for (const row of rows.values()) if (row.deletedAt === null) live++;
    return live;
  }

  async runs(options: { tenantId: string; limit?: number }): Promise<SyncReport[]> {
    const store = this.#tenant(options?.tenantId);
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new ConfigurationError('limit', 'must be a non-negative integer');
    }
    const reports = store.runs.map((json) => JSON.parse(json) as SyncReport).reverse();
    // Stable sort after reversing: equal start times list the later-recorded run first.
    reports.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    return limit === undefined ? reports : reports.slice(0, limit);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#tenants.clear();
  }

  #tenant(tenantId: string | undefined): TenantStore {
    if (this.#closed) throw new StorageError('MemoryStorage is closed');
    checkId('tenantId', tenantId);
    let store = this.#tenants.get(tenantId);
    if (!store) {
      store = createTenantStore(tenantId);
      this.#tenants.set(tenantId, store);
    }
    return store;
  }
}

function checkId(option: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError(option, 'must be a non-empty string');
  }
}

function checkResource(resource: unknown): asserts resource is SyncResource {
  if (typeof resource !== 'string' || !RESOURCES.has(resource)) {
    throw new ConfigurationError(
      'resource',
      `unknown resource ${JSON.stringify(resource)}; expected one of ${SYNC_RESOURCES.join(', ')}`,
    );
  }
}
