/**
 * The SQLite schema, as an ordered list of migrations recorded in `schema_migrations`.
 *
 * Rules: a released migration is never edited (a test opens a file created by version 1 and
 * upgrades it); a change is a new migration appended to the list. Migrations run in one
 * `BEGIN IMMEDIATE` transaction, so two processes opening the same new file migrate it once:
 * the second waits for the first (busy timeout), then finds nothing left to do.
 *
 * Tables (all keyed by tenant):
 * - `records`: one row per (tenant, resource, sourcedId), live or tombstoned (`deleted_at`).
 *   Small columns first, JSON bodies last (see `COLUMNS_BEFORE_RAW` in `../sql/record-row.ts`).
 * - `sync_state`: the committed {@link SyncState} per tenant, as JSON.
 * - `runs`: run reports as JSON, with the columns they are listed by.
 * - `locks`: the per-tenant run lock (owner and lease; see `./lock`).
 * Staged rows are not here: each run stages into its own TEMP table (see `./staged-run`).
 *
 * @module
 */
import { StorageError } from '../../sync/errors';
import type { SqliteDatabase } from './driver';

/** One schema change. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. Append only. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE records (
        tenant_id TEXT NOT NULL,
        resource TEXT NOT NULL,
        sourced_id TEXT NOT NULL,
        status TEXT NOT NULL,
        date_last_modified TEXT NOT NULL,
        hash TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        run_id TEXT NOT NULL,
        deleted_at TEXT,
        data TEXT NOT NULL,
        raw TEXT NOT NULL,
        PRIMARY KEY (tenant_id, resource, sourced_id)
      ) STRICT;
      CREATE TABLE sync_state (
        tenant_id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        state TEXT NOT NULL
      ) STRICT;
      CREATE TABLE runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        status TEXT NOT NULL,
        mode TEXT NOT NULL,
        started_at TEXT NOT NULL,
        report TEXT NOT NULL,
        UNIQUE (tenant_id, run_id)
      ) STRICT;
      CREATE INDEX runs_newest_first ON runs (tenant_id, started_at DESC, seq DESC);
      CREATE TABLE locks (
        tenant_id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        pid_namespace TEXT,
        acquired_at TEXT NOT NULL,
        lease_expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'live-records-index',
    // count(), the plan's "before" and the sweep's anti-join read only live rows; without this
    // index each of them visits every row of the table (measured: see bench/sync).
    sql: `
      CREATE INDEX records_live ON records (tenant_id, resource, sourced_id)
        WHERE deleted_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'raw-same-as-data',
    // From this version `raw` may be '' (never a JSON text): the record arrived exactly as it is
    // normalised, and `data` holds that text too. Most records do (every field already in the
    // normalised shape), and storing the text once halves what staging, the commit and the WAL
    // write. Nothing to change in the rows: the version only keeps an older package, which would
    // read '' as a raw body, from opening the file.
    sql: 'SELECT 1;',
  },
];

/** The schema version this library writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Bring the database up to `target` (default: the latest version). Idempotent.
 *
 * @returns the version before and after.
 */
export function migrateSqlite(
  db: SqliteDatabase,
  target: number = SQLITE_SCHEMA_VERSION,
): { from: number; to: number } {
  // Up to date (the usual case): answered by a read, which in WAL mode never waits for another
  // process's write transaction, so opening the file does not queue behind a running commit.
  const current = readVersion(db);
  if (current !== null && current >= Math.min(target, SQLITE_SCHEMA_VERSION)) {
    if (current > SQLITE_SCHEMA_VERSION) throw newerSchema(current);
    return { from: current, to: current };
  }
  const migrate = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    };
    const from = row.version ?? 0;
    if (from > SQLITE_SCHEMA_VERSION) throw newerSchema(from);
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    let to = from;
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= from || migration.version > target) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      to = migration.version;
    }
    return { from, to };
  });
  return migrate.immediate();
}

function newerSchema(version: number): StorageError {
  return new StorageError(
    `sqlite: the database has schema version ${version}, newer than this version of ` +
      `@smartpass/oneroster supports (${SQLITE_SCHEMA_VERSION}); upgrade the package`,
  );
}

/** The applied version, or `null` when the file has no `schema_migrations` table yet. */
function readVersion(db: SqliteDatabase): number | null {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return null;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}
