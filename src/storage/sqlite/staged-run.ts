/**
 * A SqliteStorage run in progress.
 *
 * Each run stages into its own TEMP table. SQLite keeps TEMP tables in a separate, private
 * database file of the connection (`temp_store = FILE`), so staging:
 * - goes to disk, not to the JavaScript heap, however large the district;
 * - does not take the main database's write lock: runs of other tenants (and readers) proceed
 *   while this one stages, and only `commit()` serialises with other writers;
 * - is invisible to every reader, this connection's included, until `commit()` copies it;
 * - vanishes by itself when the connection closes, including when the process is killed.
 *
 * `plan()` and `commit()` are set-based: one aggregate query, one `INSERT ... SELECT ... ON
 * CONFLICT DO UPDATE` and one anti-join `UPDATE` per resource, all inside SQLite. `commit()` is
 * one `BEGIN IMMEDIATE` transaction that also writes the state and the report and drops the
 * staging table, so it applies entirely or not at all, even if the process dies halfway.
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
import { type ReportRow, toReportRow, toStateJson } from '../sql/json-columns';
import { RunGate } from '../sql/run-gate';
import type { ChangeCounts, CommitPlanInput, StagedRecord, StagedRun, SyncState } from '../types';
import { type PlanScope, type StagedRow, toPlanScope, toStagedRows } from '../validate';
import type { SqliteDatabase, SqliteStatement } from './driver';

/** What a staged run needs from its storage. */
export interface SqliteRunContext {
  db: SqliteDatabase;
  now: () => Date;
  /** Whether this run may commit now (lock fencing). */
  checkCommit: (tenantId: string, runId: string) => CommitCheck;
  /** Crash-test hook; see `SqliteStorageOptions.testHooks`. */
  insideCommit?: ((run: { tenantId: string; runId: string }) => void) | undefined;
  /** Insert or replace a run report (the same statement `recordRun()` uses). */
  saveReport: (report: ReportRow) => void;
  /** Wraps driver errors. */
  wrap: (operation: string, error: unknown) => unknown;
  /** Called once when the run is committed or discarded. */
  onClosed: (run: SqliteStagedRun) => void;
}

type Counts = Partial<Record<SyncResource, ChangeCounts>>;

/**
 * Staged rows per INSERT statement. With one row per statement, crossing from JavaScript into
 * SQLite costs about as much as the insert. Measured on 490,000 enrollments: the inserts alone
 * 1.8 s with 1 row per statement, 1.2 s with 10 to 50; `stage()` as a whole 1.95 -> 1.77 s.
 */
const ROWS_PER_INSERT = 16;

/** The staged run of {@link SqliteStorage}. */
export class SqliteStagedRun implements StagedRun {
  readonly runId: string;
  readonly tenantId: string;
  readonly #ctx: SqliteRunContext;
  readonly #table: string;
  readonly #gate: RunGate;
  readonly #planned = new PlannedCounts<Counts>();
  /** Inserts {@link ROWS_PER_INSERT} staged rows; `#insertOne` the rest of a batch. */
  readonly #insertMany: SqliteStatement;
  readonly #insertOne: SqliteStatement;
  readonly #stagedCounts: SqliteStatement;
  readonly #sweptCount: SqliteStatement;
  readonly #liveCount: SqliteStatement;
  readonly #hasRows: SqliteStatement;
  readonly #pickWrites: SqliteStatement;
  readonly #insertAll: SqliteStatement;
  readonly #upsert: SqliteStatement;
  readonly #updateLive: SqliteStatement;
  readonly #sweep: SqliteStatement;
  readonly #saveState: SqliteStatement;

  /** Creates the staging table; `table` must be a safe identifier chosen by the storage. */
  constructor(ctx: SqliteRunContext, tenantId: string, runId: string, table: string) {
    this.#ctx = ctx;
    this.tenantId = tenantId;
    this.runId = runId;
    this.#table = table;
    this.#gate = new RunGate(runId, tenantId);
    const { db } = ctx;
    const stage = `temp."${table}"`;
    const writes = `temp."${table}_writes"`;
    db.exec(
      `CREATE TEMP TABLE "${table}_writes" (id INTEGER PRIMARY KEY, deleted_at TEXT, stays_live INTEGER NOT NULL)`,
    );
    db.exec(`CREATE TEMP TABLE "${table}" (
      resource TEXT NOT NULL,
      sourced_id TEXT NOT NULL,
      status TEXT NOT NULL,
      date_last_modified TEXT NOT NULL,
      hash TEXT NOT NULL,
      data TEXT NOT NULL,
      raw TEXT NOT NULL,
      PRIMARY KEY (resource, sourced_id)
    )`);
    // SQLite applies the rows of one statement in order, so a sourcedId twice in a statement
    // also ends with the last copy.
    const insertRows = (rows: number) =>
      db.prepare(`
      INSERT INTO ${stage} (resource, sourced_id, status, date_last_modified, hash, data, raw)
      VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
      ON CONFLICT (resource, sourced_id) DO UPDATE SET
        status = excluded.status, date_last_modified = excluded.date_last_modified,
        hash = excluded.hash, data = excluded.data, raw = excluded.raw`);
    this.#insertMany = insertRows(ROWS_PER_INSERT);
    this.#insertOne = insertRows(1);
    const join = `${stage} s LEFT JOIN main.records r
      ON r.tenant_id = @tenantId AND r.resource = s.resource AND r.sourced_id = s.sourced_id`;
    // Counting rules (identical in every adapter; MemoryStorage is the reference):
    // active and not live -> created (a revived tombstone too); active, live, same hash ->
    // unchanged; active, live, other hash -> updated; tobedeleted and live -> deleted.
    this.#stagedCounts = db.prepare(`
      SELECT
        SUM(CASE WHEN s.status = 'active' AND (r.sourced_id IS NULL OR r.deleted_at IS NOT NULL) THEN 1 ELSE 0 END) AS created,
        SUM(CASE WHEN s.status = 'active' AND r.deleted_at IS NULL AND r.sourced_id IS NOT NULL AND r.hash <> s.hash THEN 1 ELSE 0 END) AS updated,
        SUM(CASE WHEN s.status = 'active' AND r.deleted_at IS NULL AND r.sourced_id IS NOT NULL AND r.hash = s.hash THEN 1 ELSE 0 END) AS unchanged,
        SUM(CASE WHEN s.status <> 'active' AND r.deleted_at IS NULL AND r.sourced_id IS NOT NULL THEN 1 ELSE 0 END) AS deleted
      FROM ${join}
      WHERE s.resource = @resource`);
    const notStaged = `NOT EXISTS (
      SELECT 1 FROM ${stage} s WHERE s.resource = records.resource AND s.sourced_id = records.sourced_id)`;
    this.#sweptCount = db.prepare(`
      SELECT COUNT(*) AS n FROM main.records
      WHERE tenant_id = @tenantId AND resource = @resource AND deleted_at IS NULL AND ${notStaged}`);
    this.#liveCount = db.prepare(`
      SELECT COUNT(*) AS n FROM main.records
      WHERE tenant_id = @tenantId AND resource = @resource AND deleted_at IS NULL`);
    // Applying is two steps. First the staged rows to write are picked (by rowid, with the
    // deletedAt they get) with a join on keys and hashes only; then those rows are copied with
    // a SELECT that does not read `records`. An INSERT whose SELECT reads its own target table
    // makes SQLite materialise the whole result, record bodies included, before inserting: as
    // costly as the insert itself.
    // Unchanged live records are not picked, so syncedAt/runId say when a record last changed;
    // a tobedeleted record is always (re)written as a tombstone, keeping the time of an earlier
    // deletion.
    this.#hasRows = db.prepare(
      'SELECT EXISTS (SELECT 1 FROM main.records WHERE tenant_id = @tenantId AND resource = @resource) AS any',
    );
    this.#pickWrites = db.prepare(`
      INSERT INTO ${writes} (id, deleted_at, stays_live)
      SELECT s.rowid, CASE WHEN s.status = 'active' THEN NULL ELSE COALESCE(r.deleted_at, @now) END,
        s.status = 'active' AND r.sourced_id IS NOT NULL AND r.deleted_at IS NULL
      FROM ${join}
      WHERE s.resource = @resource
        AND (s.status <> 'active' OR r.sourced_id IS NULL OR r.deleted_at IS NOT NULL OR r.hash <> s.hash)`);
    // Nothing stored yet for the resource (a first sync): every staged row is copied at once,
    // without picking (no conflict is possible: the commit holds the write lock). Measured on
    // 490,000 enrollments: 0.70 s against 0.86 s through the picked-rows table.
    this.#insertAll = db.prepare(`INSERT INTO main.records
        (tenant_id, resource, sourced_id, status, date_last_modified, hash, synced_at, run_id, deleted_at, data, raw)
      SELECT @tenantId, s.resource, s.sourced_id, s.status, s.date_last_modified, s.hash, @now, @runId,
        CASE WHEN s.status = 'active' THEN NULL ELSE @now END, s.data, s.raw
      FROM ${stage} s WHERE s.resource = @resource`);
    const insert = `INSERT INTO main.records
        (tenant_id, resource, sourced_id, status, date_last_modified, hash, synced_at, run_id, deleted_at, data, raw)
      SELECT @tenantId, s.resource, s.sourced_id, s.status, s.date_last_modified, s.hash, @now, @runId,
        w.deleted_at, s.data, s.raw
      FROM ${writes} w JOIN ${stage} s ON s.rowid = w.id`;
    const update = `status = excluded.status, date_last_modified = excluded.date_last_modified,
        hash = excluded.hash, synced_at = excluded.synced_at, run_id = excluded.run_id,
        data = excluded.data, raw = excluded.raw`;
    this.#upsert = db.prepare(`${insert}
      WHERE w.stays_live = 0
      ON CONFLICT (tenant_id, resource, sourced_id) DO UPDATE SET ${update},
        deleted_at = excluded.deleted_at`);
    // A live record that stays live keeps its deleted_at (NULL): not assigning it spares SQLite
    // rewriting the record's entry in the partial `records_live` index, about a third of the
    // pages an update writes.
    this.#updateLive = db.prepare(`${insert}
      WHERE w.stays_live = 1
      ON CONFLICT (tenant_id, resource, sourced_id) DO UPDATE SET ${update}`);
    this.#sweep = db.prepare(`
      UPDATE main.records SET deleted_at = @now, synced_at = @now, run_id = @runId
      WHERE tenant_id = @tenantId AND resource = @resource AND deleted_at IS NULL AND ${notStaged}`);
    this.#saveState = db.prepare(`
      INSERT INTO main.sync_state (tenant_id, run_id, updated_at, state) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET
        run_id = excluded.run_id, updated_at = excluded.updated_at, state = excluded.state`);
  }

  async stage<R extends SyncResource>(resource: R, records: StagedRecord<R>[]): Promise<void> {
    return this.#gate.run('stage', () => {
      this.#planned.forget();
      const batch = toStagedRows(resource, records);
      const insertAll = this.#ctx.db.transaction(() => {
        const { rows } = batch;
        const params: string[] = [];
        let at = 0;
        for (; at + ROWS_PER_INSERT <= rows.length; at += ROWS_PER_INSERT) {
          params.length = 0;
          for (let i = at; i < at + ROWS_PER_INSERT; i++)
            pushRow(params, batch.resource, rows[i] as StagedRow);
          this.#insertMany.run(params);
        }
        for (; at < rows.length; at++) {
          params.length = 0;
          pushRow(params, batch.resource, rows[at] as StagedRow);
          this.#insertOne.run(params);
        }
      });
      this.#guard('stage', insertAll);
    });
  }

  async plan(input: CommitPlanInput): Promise<Counts> {
    return this.#gate.run('plan', () => {
      const scope = toPlanScope(input);
      // One read transaction: every count sees the same snapshot.
      const counts = this.#guard(
        'plan',
        this.#ctx.db.transaction(() => this.#count(scope)),
      );
      this.#planned.remember(scope.key, counts);
      return counts;
    });
  }

  async commit(input: CommitPlanInput & { state: SyncState; report: SyncReport }): Promise<Counts> {
    return this.#gate.run('commit', () => {
      const scope = toPlanScope(input);
      const state = toStateJson(input.state);
      const report = toReportRow(input.report);
      const apply = this.#ctx.db.transaction(() => {
        const check = this.#ctx.checkCommit(this.tenantId, this.runId);
        if (!check.ok) throw new StorageError(`commit(): nothing was committed: ${check.reason}`);
        const counts = this.#planned.reusable(scope.key, check) ?? this.#count(scope);
        const now = this.#ctx.now().toISOString();
        const params = { tenantId: this.tenantId, runId: this.runId, now };
        for (const resource of scope.applied) {
          const empty = (this.#hasRows.get({ ...params, resource }) as { any: number }).any === 0;
          if (scope.sweep.has(resource) && !empty) this.#sweep.run({ ...params, resource });
          (empty ? this.#insertAll : this.#pickWrites).run({ ...params, resource });
        }
        this.#upsert.run(params);
        this.#updateLive.run(params);
        this.#saveState.run(this.tenantId, this.runId, now, state);
        this.#ctx.saveReport(report);
        this.#ctx.db.exec(
          `DROP TABLE temp."${this.#table}"; DROP TABLE temp."${this.#table}_writes"`,
        );
        this.#ctx.insideCommit?.({ tenantId: this.tenantId, runId: this.runId });
        return counts;
      });
      // IMMEDIATE takes the write lock before reading, so the counts cannot go stale between
      // the reads and the writes of this transaction.
      const counts = this.#guard('commit', () => apply.immediate());
      this.#close('committed');
      return counts;
    });
  }

  async discard(): Promise<void> {
    // Idempotent, and a no-op after commit: engines call it from cleanup paths.
    if (this.#gate.closed !== null) return;
    this.#dropTable();
    this.#close('discarded');
  }

  /** Drop the staging table because a newer run of the tenant began (or the storage closes). */
  replace(): void {
    if (this.#gate.closed !== null) return;
    this.#dropTable();
    this.#gate.close('replaced');
    this.#ctx.onClosed(this);
  }

  #count(scope: PlanScope): Counts {
    const counts: Counts = {};
    for (const resource of scope.applied) {
      const params = { tenantId: this.tenantId, resource };
      const staged = this.#stagedCounts.get(params) as StagedCountsRow | undefined;
      const swept = scope.sweep.has(resource)
        ? (this.#sweptCount.get(params) as { n: number }).n
        : 0;
      const before = (this.#liveCount.get(params) as { n: number }).n;
      counts[resource] = toChangeCounts(staged, swept, before);
    }
    return counts;
  }

  #dropTable(): void {
    if (!this.#ctx.db.open) return;
    this.#guard('discard', () =>
      this.#ctx.db.exec(
        `DROP TABLE IF EXISTS temp."${this.#table}"; DROP TABLE IF EXISTS temp."${this.#table}_writes"`,
      ),
    );
  }

  #close(reason: 'committed' | 'discarded'): void {
    this.#gate.close(reason);
    this.#ctx.onClosed(this);
  }

  #guard<T>(operation: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.#ctx.wrap(operation, error);
    }
  }
}

/** Append one staged row's parameters, in the column order of the staging INSERT. */
function pushRow(params: string[], resource: SyncResource, row: StagedRow): void {
  params.push(
    resource,
    row.sourcedId,
    row.status,
    row.dateLastModified,
    row.hash,
    row.data,
    // '' when raw is the same text as data: stored once (schema version 3; see
    // SQLITE_RECORD_COLUMNS).
    row.raw ?? '',
  );
}
