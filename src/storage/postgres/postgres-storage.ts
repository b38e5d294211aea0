/**
 * The PostgreSQL storage adapter, on `pg`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '../../errors';
import type { SyncResource } from '../../models/types';
import { StorageError } from '../../sync/errors';
import type { SyncReport } from '../../sync/report';
import { toStorageError } from '../sql/driver-error';
import { parseReport, parseState, toReportRow } from '../sql/json-columns';
import { keysetScan } from '../sql/keyset';
import { POSTGRES_RECORD_COLUMNS, type RecordRow, toStoredRecord } from '../sql/record-row';
import type {
  ReadOptions,
  StagedRun,
  StorageAdapter,
  StoredRecord,
  SyncState,
  TenantLock,
} from '../types';
import { checkId, checkIntegerOption, checkLimit, checkResource } from '../validate';
import { isRetryablePgError, loadPg, type PgPoolLike } from './driver';
import { PostgresLocks } from './lock';
import { migratePostgres } from './migrations';
import { withoutRowValues } from './pg-error';
import { withoutNul } from './pg-json';
import { quoteSchema } from './sql-identifiers';
import { type PostgresCommitHook, PostgresStagedRun, saveReportSql } from './staged-run';

/** Options shared by both ways of connecting. */
export interface PostgresStorageBaseOptions {
  /** The schema holding the adapter's tables; created if missing. @default 'oneroster' */
  schema?: string;
  /** Rows read per query while `list()` streams. @default 500 */
  listPageSize?: number;
  /**
   * Records per INSERT statement while staging (at most 10,000: 6 parameters each). Measured:
   * 250-row prepared statements stage faster than 1,000-row ones. @default 250
   */
  stageChunkSize?: number;
  /** Clock for `syncedAt` and `deletedAt` (tests pin it). @default () => new Date() */
  now?: () => Date;
  /**
   * For crash tests only; inert unless set. `insideCommit` runs inside the commit transaction,
   * after every change is applied and before `COMMIT`, so a test can kill the process at
   * exactly that point.
   */
  testHooks?: { insideCommit?: PostgresCommitHook };
}

/** Connect with a connection string; the adapter creates and ends its own pool. */
export interface PostgresConnectionStringOptions extends PostgresStorageBaseOptions {
  /** e.g. `postgres://user@host:5432/db`. */
  connectionString: string;
  /**
   * Connections in the adapter's pool, at least 3: a running sync holds one for its lock and one
   * for staging. @default 4
   */
  poolSize?: number;
  pool?: never;
}

/** Use a pool the application already has; `close()` leaves it open. */
export interface PostgresPoolOptions extends PostgresStorageBaseOptions {
  /** A `pg.Pool` (or anything shaped like one), with room for at least 3 connections. */
  pool: PgPoolLike;
  connectionString?: never;
  poolSize?: never;
}

/** Options of {@link PostgresStorage}. */
export type PostgresStorageOptions = PostgresConnectionStringOptions | PostgresPoolOptions;

const DEFAULTS = { schema: 'oneroster', listPageSize: 500, stageChunkSize: 250, poolSize: 4 };

/** A running sync holds one connection for its lock and one for staging; reads need a third. */
const MIN_POOL_SIZE = 3;

/**
 * A {@link StorageAdapter} on PostgreSQL, for services that already run one. It owns a schema
 * (`oneroster` by default) whose tables it creates and upgrades itself (`schema_migrations`,
 * guarded by an advisory lock so that processes starting together migrate once).
 *
 * The tenant lock is a session advisory lock held on a dedicated connection for the run:
 * PostgreSQL frees it when that connection ends, so a killed process never blocks the next
 * run. Staging goes to a per-run UNLOGGED table; `commit()` applies the run in one transaction.
 * `list()` pages by key, holding no connection between pages.
 *
 * Needs the optional peer dependency `pg`.
 *
 * @example
 * ```ts
 * import { createSync } from '@smartpass/oneroster/sync';
 * import { PostgresStorage } from '@smartpass/oneroster/storage/postgres';
 *
 * const storage = await PostgresStorage.connect({ connectionString: process.env.DATABASE_URL! });
 * const sync = createSync({ client, storage, tenantId: 'district-1' });
 * await sync.run({ mode: 'auto' });
 * await storage.close();
 *
 * // Or share the application's pool (close() then leaves it open):
 * const shared = new PostgresStorage({ pool, schema: 'rosters' });
 * ```
 */
export class PostgresStorage implements StorageAdapter {
  readonly kind = 'postgres';
  /** The schema holding the tables. */
  readonly schema: string;
  readonly #quotedSchema: string;
  readonly #pool: PgPoolLike;
  readonly #ownsPool: boolean;
  readonly #now: () => Date;
  readonly #listPageSize: number;
  readonly #stageChunkSize: number;
  readonly #insideCommit: PostgresCommitHook | undefined;
  readonly #locks: PostgresLocks;
  /** The open staged run per tenant in this process (a newer `beginRun()` replaces it). */
  readonly #runs = new Map<string, PostgresStagedRun>();
  #ready: Promise<void> | null = null;
  #closed = false;

  /**
   * Check the options and set up the pool; connects lazily (see {@link PostgresStorage.connect}
   * to connect and migrate up front). Throws a `ConfigurationError` for bad options or a
   * missing `pg`.
   */
  constructor(options: PostgresStorageOptions) {
    if (options === null || typeof options !== 'object') {
      throw new ConfigurationError('options', 'expected { connectionString } or { pool }');
    }
    this.schema = options.schema ?? DEFAULTS.schema;
    this.#quotedSchema = quoteSchema(this.schema);
    this.#listPageSize =
      checkIntegerOption('listPageSize', options.listPageSize, 1) ?? DEFAULTS.listPageSize;
    this.#stageChunkSize =
      checkIntegerOption('stageChunkSize', options.stageChunkSize, 1) ?? DEFAULTS.stageChunkSize;
    // PostgreSQL accepts at most 65,535 parameters per statement.
    if (this.#stageChunkSize > 10_000) {
      throw new ConfigurationError('stageChunkSize', 'must be at most 10000');
    }
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new ConfigurationError('now', 'must be a function returning a Date');
    }
    this.#now = options.now ?? (() => new Date());
    this.#insideCommit = options.testHooks?.insideCommit;

    if (options.pool !== undefined) {
      if (options.connectionString !== undefined) {
        throw new ConfigurationError('pool', 'give either `pool` or `connectionString`, not both');
      }
      const { pool } = options;
      if (typeof pool?.connect !== 'function' || typeof pool.query !== 'function') {
        throw new ConfigurationError('pool', 'must be a pg.Pool');
      }
      const max = pool.options?.max;
      if (typeof max === 'number' && max < MIN_POOL_SIZE) {
        throw new ConfigurationError(
          'pool',
          `allows ${max} connection(s); at least ${MIN_POOL_SIZE} are needed (a running sync holds one for its lock and one for staging)`,
        );
      }
      this.#pool = pool;
      this.#ownsPool = false;
    } else {
      checkId('connectionString', options.connectionString);
      const poolSize =
        checkIntegerOption('poolSize', options.poolSize, MIN_POOL_SIZE) ?? DEFAULTS.poolSize;
      const { Pool } = loadPg();
      const pool = new Pool({
        connectionString: options.connectionString,
        max: poolSize,
        application_name: '@smartpass/oneroster',
      });
      // An idle connection that drops (server restart) is reported here; without a listener it
      // would crash the process. The next checkout simply opens a new connection.
      pool.on('error', () => undefined);
      this.#pool = pool;
      this.#ownsPool = true;
    }
    this.#locks = new PostgresLocks(this.#pool, this.schema);
  }

  /**
   * Create a storage, connect, and create or upgrade its schema, so that a wrong connection
   * string or missing rights fail here rather than at the first sync.
   *
   * @example
   * ```ts
   * const storage = await PostgresStorage.connect({
   *   connectionString: 'postgres://app@db.internal:5432/app',
   *   schema: 'oneroster',
   * });
   * ```
   */
  static async connect(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const storage = new PostgresStorage(options);
    try {
      await storage.ready();
    } catch (error) {
      await storage.close();
      throw error;
    }
    return storage;
  }

  /**
   * Connect and run pending migrations (once; every other method awaits it). A failure is not
   * cached: the next call tries again.
   */
  ready(): Promise<void> {
    this.#assertOpen();
    this.#ready ??= migratePostgres(this.#pool, this.schema, this.#quotedSchema).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = null;
        throw this.#wrap('migrate', error);
      },
    );
    return this.#ready;
  }

  async acquireLock(tenantId: string, runId: string): Promise<TenantLock | null> {
    checkId('tenantId', tenantId);
    checkId('runId', runId);
    await this.ready();
    return this.#guard('acquireLock', () => this.#locks.acquire(tenantId, runId));
  }

  async getState(tenantId: string): Promise<SyncState | null> {
    checkId('tenantId', tenantId);
    await this.ready();
    const { rows } = await this.#guard('getState', () =>
      this.#pool.query<{ state: unknown }>(
        `SELECT state FROM ${this.#quotedSchema}.sync_state WHERE tenant_id = $1`,
        [tenantId],
      ),
    );
    return rows[0] ? parseState(rows[0].state) : null;
  }

  async beginRun(tenantId: string, runId: string): Promise<StagedRun> {
    checkId('tenantId', tenantId);
    checkId('runId', runId);
    await this.ready();
    this.#runs.get(tenantId)?.replace();
    const tableName = `stage_${randomBytes(8).toString('hex')}`;
    const run = await this.#guard('beginRun', () =>
      PostgresStagedRun.create(
        {
          pool: this.#pool,
          schema: this.#quotedSchema,
          now: this.#now,
          stageChunkSize: this.#stageChunkSize,
          checkCommit: (client, tenant, id) => this.#locks.checkCommit(client, tenant, id),
          insideCommit: this.#insideCommit,
          wrap: (operation, error) => this.#wrap(operation, error),
          onClosed: (closed) => {
            if (this.#runs.get(closed.tenantId) === closed) this.#runs.delete(closed.tenantId);
          },
        },
        tenantId,
        runId,
        tableName,
      ),
    );
    this.#runs.set(tenantId, run);
    return run;
  }

  async recordRun(report: SyncReport): Promise<void> {
    const row = toReportRow(report);
    await this.ready();
    await this.#guard('recordRun', () =>
      this.#pool.query(saveReportSql(this.#quotedSchema), [
        row.tenantId,
        row.runId,
        row.status,
        row.mode,
        row.startedAt,
        withoutNul(row.json),
      ]),
    );
  }

  async get<R extends SyncResource>(
    resource: R,
    sourcedId: string,
    options: ReadOptions,
  ): Promise<StoredRecord<R> | null> {
    const tenantId = options?.tenantId;
    checkId('tenantId', tenantId);
    checkResource(resource);
    if (typeof sourcedId !== 'string')
      throw new ConfigurationError('sourcedId', 'must be a string');
    await this.ready();
    const live = options.includeDeleted === true ? '' : ' AND deleted_at IS NULL';
    const { rows } = await this.#guard('get', () =>
      this.#pool.query<RecordRow>(
        `SELECT ${POSTGRES_RECORD_COLUMNS} FROM ${this.#quotedSchema}.records
         WHERE tenant_id = $1 AND resource = $2 AND sourced_id = $3${live}`,
        [tenantId, resource, sourcedId],
      ),
    );
    return rows[0] ? toStoredRecord(tenantId, resource, rows[0]) : null;
  }

  async *list<R extends SyncResource>(
    resource: R,
    options: ReadOptions,
  ): AsyncIterable<StoredRecord<R>> {
    const tenantId = options?.tenantId;
    checkId('tenantId', tenantId);
    checkResource(resource);
    const live = options.includeDeleted === true ? '' : ' AND deleted_at IS NULL';
    const select = `SELECT ${POSTGRES_RECORD_COLUMNS} FROM ${this.#quotedSchema}.records
      WHERE tenant_id = $1 AND resource = $2${live}`;
    yield* keysetScan({
      fetchPage: async (after, limit) => {
        await this.ready();
        const { rows: page } = await this.#guard('list', () =>
          after === null
            ? this.#pool.query<RecordRow>(`${select} ORDER BY sourced_id LIMIT $3`, [
                tenantId,
                resource,
                limit,
              ])
            : this.#pool.query<RecordRow>(
                `${select} AND sourced_id > $3 ORDER BY sourced_id LIMIT $4`,
                [tenantId, resource, after, limit],
              ),
        );
        return page;
      },
      keyOf: (row) => row.sourced_id,
      map: (row) => toStoredRecord(tenantId, resource, row),
      pageSize: this.#listPageSize,
    });
  }

  async count(resource: SyncResource, options: ReadOptions): Promise<number> {
    const tenantId = options?.tenantId;
    checkId('tenantId', tenantId);
    checkResource(resource);
    await this.ready();
    const live = options.includeDeleted === true ? '' : ' AND deleted_at IS NULL';
    const { rows } = await this.#guard('count', () =>
      this.#pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${this.#quotedSchema}.records
         WHERE tenant_id = $1 AND resource = $2${live}`,
        [tenantId, resource],
      ),
    );
    return Number(rows[0]?.n ?? 0);
  }

  async runs(options: { tenantId: string; limit?: number }): Promise<SyncReport[]> {
    checkId('tenantId', options?.tenantId);
    checkLimit(options.limit);
    await this.ready();
    const { rows } = await this.#guard('runs', () =>
      this.#pool.query<{ report: unknown }>(
        `SELECT report FROM ${this.#quotedSchema}.runs WHERE tenant_id = $1
         ORDER BY started_at DESC, seq DESC LIMIT $2`,
        // LIMIT NULL is "no limit".
        [options.tenantId, options.limit ?? null],
      ),
    );
    return rows.map((row) => parseReport(row.report));
  }

  /**
   * Release held locks, drop this process's open staging tables and, if the adapter created
   * the pool, end it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#locks.releaseAll();
      await Promise.allSettled([...this.#runs.values()].map((run) => run.discard()));
    } finally {
      if (this.#ownsPool) await this.#pool.end();
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageError('PostgresStorage is closed');
  }

  #wrap(operation: string, error: unknown): unknown {
    return toStorageError('postgres', operation, withoutRowValues(error), isRetryablePgError);
  }

  async #guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#wrap(operation, error);
    }
  }
}
