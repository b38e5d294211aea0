/**
 * A PostgresStorage run in progress.
 *
 * Each run stages into its own UNLOGGED table (no WAL: staging costs half the I/O, and a
 * database crash merely empties it, which is fine for rows that were never committed),
 * registered in `staged_runs` so that the next `beginRun()` of the tenant drops what a killed
 * process left behind. Batches go in as multi-row parameterised INSERTs (see `stageSql`).
 *
 * `plan()` and `commit()` are set-based: one aggregate query, one `INSERT ... SELECT ... ON
 * CONFLICT DO UPDATE` and one anti-join `UPDATE` per resource. `commit()` is one transaction
 * that also writes the state and the report and drops the staging table.
 *
 * @module
 */
import type { SyncResource } from '../../models/types';
import { StorageError } from '../../sync/errors';
import type { SyncReport } from '../../sync/report';
import {
  type CommitCheck,
  PlannedCounts,
  type StagedCountsRow,
  toChangeCounts,
} from '../sql/counts';
import { toReportRow, toStateJson } from '../sql/json-columns';
import { RunGate } from '../sql/run-gate';
import type { ChangeCounts, CommitPlanInput, StagedRecord, StagedRun, SyncState } from '../types';
import { type PlanScope, type StagedRow, toPlanScope, toStagedRows } from '../validate';
import type { PgClientLike, PgPoolLike } from './driver';
import { withoutNul } from './pg-json';
import { StagingConnection } from './staging-connection';
import { inTransaction } from './transaction';

/** See `testHooks` in `PostgresStorageBaseOptions`. */
export type PostgresCommitHook = (run: { tenantId: string; runId: string }) => void | Promise<void>;

/** What a staged run needs from its storage. */
export interface PostgresRunContext {
  pool: PgPoolLike;
  /** The quoted schema name. */
  schema: string;
  now: () => Date;
  /** Rows per INSERT statement while staging. */
  stageChunkSize: number;
  /** Whether this run may commit now (lock fencing). */
  checkCommit: (client: PgClientLike, tenantId: string, runId: string) => Promise<CommitCheck>;
  /** Crash-test hook; see `PostgresStorageOptions.testHooks`. */
  insideCommit?: PostgresCommitHook | undefined;
  /** Wraps driver errors. */
  wrap: (operation: string, error: unknown) => unknown;
  /** Called once when the run is committed, discarded or replaced. */
  onClosed: (run: PostgresStagedRun) => void;
}

type Counts = Partial<Record<SyncResource, ChangeCounts>>;

/** SQLSTATE of "relation does not exist": the staging table was dropped by a newer run. */
const UNDEFINED_TABLE = '42P01';

/** Parameters per staged row in the multi-row INSERT. */
const PARAMS_PER_ROW = 6;

/**
 * `INSERT ... VALUES (...), (...)` for `rows` rows into `stage`; `$1` is the resource. Measured
 * against `json_to_recordset` (the server parses the whole batch as JSON) and `unnest` of arrays
 * (pg escapes every body into an array literal): plain parameters cost PostgreSQL the least.
 */
function stageSql(stage: string, rows: number): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    const p = 2 + row * PARAMS_PER_ROW;
    tuples.push(`($1, $${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`);
  }
  return `INSERT INTO ${stage} (resource, sourced_id, status, date_last_modified, hash, data, raw)
    VALUES ${tuples.join(', ')}
    ON CONFLICT (resource, sourced_id) DO UPDATE SET
      status = EXCLUDED.status, date_last_modified = EXCLUDED.date_last_modified,
      hash = EXCLUDED.hash, data = EXCLUDED.data, raw = EXCLUDED.raw`;
}

function stageParams(resource: SyncResource, rows: StagedRow[]): unknown[] {
  const params: unknown[] = [resource];
  for (const row of rows) {
    params.push(
      row.sourcedId,
      row.status,
      row.dateLastModified,
      row.hash,
      withoutNul(row.data),
      // '' (never a JSON text) when raw is the same text as data: stored once, see migration 3.
      row.raw === null ? '' : withoutNul(row.raw),
    );
  }
  return params;
}

/** The staged run of {@link PostgresStorage}. */
export class PostgresStagedRun implements StagedRun {
  readonly runId: string;
  readonly tenantId: string;
  readonly #ctx: PostgresRunContext;
  readonly #tableName: string;
  readonly #gate: RunGate;
  readonly #planned = new PlannedCounts<Counts>();
  readonly #sql: ReturnType<typeof buildSql>;
  /** `stageSql` of a full chunk, prepared on the staging connection. */
  readonly #fullChunkSql: string;
  readonly #staging: StagingConnection;

  /** Use {@link PostgresStagedRun.create}. */
  private constructor(ctx: PostgresRunContext, tenantId: string, runId: string, tableName: string) {
    this.#ctx = ctx;
    this.tenantId = tenantId;
    this.runId = runId;
    this.#tableName = tableName;
    this.#gate = new RunGate(runId, tenantId);
    this.#sql = buildSql(ctx.schema, `${ctx.schema}."${tableName}"`);
    this.#fullChunkSql = stageSql(this.#sql.stageTable, ctx.stageChunkSize);
    this.#staging = new StagingConnection(ctx.pool);
  }

  /**
   * Drop the tenant's leftover staging tables and create this run's, in one transaction.
   *
   * @param tableName - a safe identifier chosen by the storage.
   */
  static async create(
    ctx: PostgresRunContext,
    tenantId: string,
    runId: string,
    tableName: string,
  ): Promise<PostgresStagedRun> {
    const { schema } = ctx;
    await inTransaction(ctx.pool, async (client) => {
      // FOR UPDATE: two beginRun() of one tenant racing each drop the other's table at most
      // once, never a table created after they looked.
      const leftovers = await client.query<{ table_name: string }>(
        `SELECT table_name FROM ${schema}.staged_runs WHERE tenant_id = $1 FOR UPDATE`,
        [tenantId],
      );
      for (const { table_name } of leftovers.rows) {
        await client.query(`DROP TABLE IF EXISTS ${schema}."${table_name.replaceAll('"', '')}"`);
      }
      await client.query(`DELETE FROM ${schema}.staged_runs WHERE tenant_id = $1`, [tenantId]);
      await client.query(`CREATE UNLOGGED TABLE ${schema}."${tableName}" (
        resource text NOT NULL,
        sourced_id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        date_last_modified text NOT NULL,
        hash text NOT NULL,
        data text NOT NULL,
        raw text NOT NULL,
        PRIMARY KEY (resource, sourced_id)
      )`);
      await client.query(
        `INSERT INTO ${schema}.staged_runs (table_name, tenant_id, run_id) VALUES ($1, $2, $3)`,
        [tableName, tenantId, runId],
      );
    });
    return new PostgresStagedRun(ctx, tenantId, runId, tableName);
  }

  async stage<R extends SyncResource>(resource: R, records: StagedRecord<R>[]): Promise<void> {
    return this.#gate.run('stage', async () => {
      this.#planned.forget();
      const batch = toStagedRows(resource, records);
      const size = this.#ctx.stageChunkSize;
      await this.#guard('stage', async () => {
        for (let start = 0; start < batch.rows.length; start += size) {
          const chunk = batch.rows.slice(start, start + size);
          const values = stageParams(batch.resource, chunk);
          // Full chunks (nearly all) use the prepared statement; a batch's last, shorter chunk
          // is sent unnamed rather than preparing a statement per length.
          await this.#staging.query(
            chunk.length === size
              ? { name: `${this.#tableName}_${size}`, text: this.#fullChunkSql, values }
              : { text: stageSql(this.#sql.stageTable, chunk.length), values },
          );
        }
      });
    });
  }

  async plan(input: CommitPlanInput): Promise<Counts> {
    return this.#gate.run('plan', async () => {
      const scope = toPlanScope(input);
      // REPEATABLE READ: every count sees the same snapshot.
      const counts = await this.#guard('plan', () =>
        inTransaction(this.#ctx.pool, async (client) => {
          await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
          return this.#count(client, scope);
        }),
      );
      this.#planned.remember(scope.key, counts);
      return counts;
    });
  }

  async commit(input: CommitPlanInput & { state: SyncState; report: SyncReport }): Promise<Counts> {
    return this.#gate.run('commit', async () => {
      const scope = toPlanScope(input);
      const state = toStateJson(input.state);
      const report = toReportRow(input.report);
      const sql = this.#sql;
      const counts = await this.#guard('commit', () =>
        inTransaction(this.#ctx.pool, async (client) => {
          // Claiming the registry row first serialises with a concurrent beginRun() of the
          // tenant, and tells us if one already replaced this run.
          const claimed = await client.query(sql.unregister, [this.#tableName]);
          if (claimed.rowCount === 0) throw this.#replaced('commit');
          const check = await this.#ctx.checkCommit(client, this.tenantId, this.runId);
          if (!check.ok) {
            throw new StorageError(`commit(): nothing was committed: ${check.reason}`);
          }
          const counts =
            this.#planned.reusable(scope.key, check) ?? (await this.#count(client, scope));
          const now = this.#ctx.now().toISOString();
          for (const resource of scope.applied) {
            const params = [this.tenantId, resource, now, this.runId];
            if (scope.sweep.has(resource)) await client.query(sql.sweep, params);
            await client.query(sql.upsert, params);
          }
          await client.query(sql.saveState, [this.tenantId, this.runId, now, withoutNul(state)]);
          await client.query(sql.saveReport, [
            this.tenantId,
            report.runId,
            report.status,
            report.mode,
            report.startedAt,
            withoutNul(report.json),
          ]);
          await client.query(sql.dropStage);
          await this.#ctx.insideCommit?.({ tenantId: this.tenantId, runId: this.runId });
          return counts;
        }),
      );
      this.#close('committed');
      return counts;
    });
  }

  async discard(): Promise<void> {
    // Idempotent, and a no-op after commit: engines call it from cleanup paths.
    if (this.#gate.closed !== null) return;
    this.#close('discarded');
    await this.#guard('discard', () =>
      inTransaction(this.#ctx.pool, async (client) => {
        const claimed = await client.query(this.#sql.unregister, [this.#tableName]);
        // Not ours any more: a newer run of the tenant already dropped the table.
        if (claimed.rowCount !== 0) await client.query(this.#sql.dropStageIfExists);
      }),
    );
  }

  /** Mark the run void because a newer run of the tenant began in this process. */
  replace(): void {
    if (this.#gate.closed !== null) return;
    this.#gate.close('replaced');
    this.#staging.end();
    this.#ctx.onClosed(this);
  }

  async #count(client: PgClientLike, scope: PlanScope): Promise<Counts> {
    const counts: Counts = {};
    for (const resource of scope.applied) {
      const params = [this.tenantId, resource];
      const staged = await client.query<StagedCountsRow>(this.#sql.stagedCounts, params);
      const swept = scope.sweep.has(resource)
        ? (await client.query<{ n: string }>(this.#sql.sweptCount, params)).rows[0]?.n
        : 0;
      const before = (await client.query<{ n: string }>(this.#sql.liveCount, params)).rows[0]?.n;
      counts[resource] = toChangeCounts(staged.rows[0], swept, before);
    }
    return counts;
  }

  #replaced(operation: string): StorageError {
    this.#gate.close('replaced');
    this.#staging.end();
    this.#ctx.onClosed(this);
    return new StorageError(
      `${operation}(): staged run ${this.runId} was replaced by a newer run of tenant "${this.tenantId}"`,
    );
  }

  #close(reason: 'committed' | 'discarded'): void {
    this.#gate.close(reason);
    this.#staging.end();
    this.#ctx.onClosed(this);
  }

  async #guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      // Another process's beginRun() of this tenant dropped our table.
      if ((error as { code?: unknown } | null)?.code === UNDEFINED_TABLE) {
        throw this.#replaced(operation);
      }
      throw this.#ctx.wrap(operation, error);
    }
  }
}

/**
 * The statements of one run. `$1` tenant, `$2` resource, `$3` now, `$4` run id throughout.
 * Counting rules are those of every adapter (MemoryStorage is the reference): active and not
 * live -> created (a revived tombstone too); active, live, same hash -> unchanged; active,
 * live, other hash -> updated; tobedeleted and live -> deleted.
 */
function buildSql(schema: string, stage: string) {
  const records = `${schema}.records`;
  const join = `${stage} s LEFT JOIN ${records} r
    ON r.tenant_id = $1 AND r.resource = s.resource AND r.sourced_id = s.sourced_id`;
  const notStaged = `NOT EXISTS (
    SELECT 1 FROM ${stage} s WHERE s.resource = r.resource AND s.sourced_id = r.sourced_id)`;
  return {
    stageTable: stage,
    stagedCounts: `
      SELECT
        count(*) FILTER (WHERE s.status = 'active' AND (r.sourced_id IS NULL OR r.deleted_at IS NOT NULL)) AS created,
        count(*) FILTER (WHERE s.status = 'active' AND r.deleted_at IS NULL AND r.sourced_id IS NOT NULL AND r.hash <> s.hash) AS updated,
        count(*) FILTER (WHERE s.status = 'active' AND r.deleted_at IS NULL AND r.sourced_id IS NOT NULL AND r.hash = s.hash) AS unchanged,
        count(*) FILTER (WHERE s.status <> 'active' AND r.deleted_at IS NULL AND r.sourced_id IS NOT NULL) AS deleted
      FROM ${join}
      WHERE s.resource = $2`,
    sweptCount: `
      SELECT count(*) AS n FROM ${records} r
      WHERE r.tenant_id = $1 AND r.resource = $2 AND r.deleted_at IS NULL AND ${notStaged}`,
    liveCount: `
      SELECT count(*) AS n FROM ${records}
      WHERE tenant_id = $1 AND resource = $2 AND deleted_at IS NULL`,
    // Unchanged live records are not rewritten, so syncedAt/runId say when a record last
    // changed; a tobedeleted record is always (re)written as a tombstone, keeping the time of
    // an earlier deletion.
    upsert: `
      INSERT INTO ${records}
        (tenant_id, resource, sourced_id, status, date_last_modified, hash, synced_at, run_id, deleted_at, data, raw)
      SELECT $1, s.resource, s.sourced_id, s.status, s.date_last_modified, s.hash, $3::timestamptz, $4,
        CASE WHEN s.status = 'active' THEN NULL ELSE COALESCE(r.deleted_at, $3::timestamptz) END,
        s.data::jsonb, NULLIF(s.raw, '')::json
      FROM ${join}
      WHERE s.resource = $2
        AND (s.status <> 'active' OR r.sourced_id IS NULL OR r.deleted_at IS NOT NULL OR r.hash <> s.hash)
      ON CONFLICT (tenant_id, resource, sourced_id) DO UPDATE SET
        status = EXCLUDED.status, date_last_modified = EXCLUDED.date_last_modified,
        hash = EXCLUDED.hash, synced_at = EXCLUDED.synced_at, run_id = EXCLUDED.run_id,
        deleted_at = EXCLUDED.deleted_at, data = EXCLUDED.data, raw = EXCLUDED.raw`,
    sweep: `
      UPDATE ${records} r SET deleted_at = $3::timestamptz, synced_at = $3::timestamptz, run_id = $4
      WHERE r.tenant_id = $1 AND r.resource = $2 AND r.deleted_at IS NULL AND ${notStaged}`,
    saveState: `
      INSERT INTO ${schema}.sync_state (tenant_id, run_id, updated_at, state) VALUES ($1, $2, $3, $4)
      ON CONFLICT (tenant_id) DO UPDATE SET
        run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state`,
    saveReport: saveReportSql(schema),
    unregister: `DELETE FROM ${schema}.staged_runs WHERE table_name = $1`,
    dropStage: `DROP TABLE ${stage}`,
    dropStageIfExists: `DROP TABLE IF EXISTS ${stage}`,
  };
}

/** Insert or replace a run report. `$1` tenant, `$2` run, `$3` status, `$4` mode, `$5` start, `$6` JSON. */
export function saveReportSql(schema: string): string {
  return `
    INSERT INTO ${schema}.runs (tenant_id, run_id, status, mode, started_at, report)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (tenant_id, run_id) DO UPDATE SET
      status = EXCLUDED.status, mode = EXCLUDED.mode, started_at = EXCLUDED.started_at,
      report = EXCLUDED.report`;
}
