/**
 * The PostgreSQL schema, as an ordered list of migrations recorded in
 * `<schema>.schema_migrations`.
 *
 * Rules: a released migration is never edited; a change is a new migration appended to the
 * list. All pending migrations run in one transaction that first takes a transaction-scoped
 * advisory lock keyed by the schema name, so processes starting together migrate once: the
 * others wait, then find nothing left to do.
 *
 * Tables (all keyed by tenant):
 * - `records`: one row per (tenant, resource, sourcedId), live or tombstoned (`deleted_at`).
 *   `sourced_id` uses `COLLATE "C"` (code-point order, as SQLite and MemoryStorage list it, and
 *   cheaper comparisons). `data` is `jsonb`, for queries; `raw` is `json`, which keeps the
 *   server's record verbatim (key order included).
 * - `sync_state`, `runs`: the committed state and the run reports, as `jsonb`.
 * - `staged_runs`: which per-run UNLOGGED staging table belongs to which tenant, so the next
 *   `beginRun()` of a tenant can drop what a killed process left behind.
 * The tenant lock is an advisory lock, not a table (see `./lock`).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { StorageError } from '../../sync/errors';
import type { PgClientLike, PgPoolLike } from './driver';
import { inTransaction } from './transaction';

/** One schema change; `sql` receives the quoted schema name. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: (schema: string) => string;
}

/** Every migration, oldest first. Append only. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: (s) => `
      CREATE TABLE ${s}.records (
        tenant_id text NOT NULL,
        resource text NOT NULL,
        sourced_id text COLLATE "C" NOT NULL,
        status text NOT NULL,
        date_last_modified text NOT NULL,
        hash text NOT NULL,
        synced_at timestamptz NOT NULL,
        run_id text NOT NULL,
        deleted_at timestamptz,
        data jsonb NOT NULL,
        raw json NOT NULL,
        PRIMARY KEY (tenant_id, resource, sourced_id)
      );
      CREATE TABLE ${s}.sync_state (
        tenant_id text PRIMARY KEY,
        run_id text NOT NULL,
        updated_at timestamptz NOT NULL,
        state jsonb NOT NULL
      );
      CREATE TABLE ${s}.runs (
        seq bigserial PRIMARY KEY,
        tenant_id text NOT NULL,
        run_id text NOT NULL,
        status text NOT NULL,
        mode text NOT NULL,
        started_at timestamptz NOT NULL,
        report jsonb NOT NULL,
        UNIQUE (tenant_id, run_id)
      );
      CREATE INDEX runs_newest_first ON ${s}.runs (tenant_id, started_at DESC, seq DESC);
      CREATE TABLE ${s}.staged_runs (
        table_name text PRIMARY KEY,
        tenant_id text NOT NULL,
        run_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX staged_runs_by_tenant ON ${s}.staged_runs (tenant_id);
    `,
  },
  {
    version: 2,
    name: 'live-records-index',
    // count(), the plan's "before" and the sweep's anti-join read only live rows: an
    // index-only scan of this partial index instead of visiting every row.
    sql: (s) => `
      CREATE INDEX records_live ON ${s}.records (tenant_id, resource, sourced_id)
        WHERE deleted_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'raw-same-as-data',
    // A NULL raw means the record arrived exactly as it is normalised (the same JSON text as
    // data), which is true of most records: the body is stored and parsed once, and reads
    // return `data` again as `raw`. Dropping NOT NULL only changes the catalogue.
    sql: (s) => `ALTER TABLE ${s}.records ALTER COLUMN raw DROP NOT NULL;`,
  },
];

/** The schema version this library writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;

/** A 64-bit advisory lock key (as decimal text, for a `bigint` parameter). */
export function advisoryKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest().readBigInt64BE(0).toString();
}

async function currentVersion(client: PgClientLike, schema: string): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>(
    `SELECT MAX(version) AS version FROM ${schema}.schema_migrations`,
  );
  return rows[0]?.version ?? 0;
}

/**
 * Create `schema` if needed and bring it up to `target` (default: the latest version).
 * Idempotent and safe to run from several processes at once.
 *
 * @param schemaName - the unquoted name (for the lock key and the existence check).
 * @param schema - the same name, quoted.
 */
export async function migratePostgres(
  pool: PgPoolLike,
  schemaName: string,
  schema: string,
  target: number = POSTGRES_SCHEMA_VERSION,
): Promise<{ from: number; to: number }> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [
      advisoryKey('oneroster-migrate', schemaName),
    ]);
    // Checked first so that a schema provisioned by an administrator needs no CREATE right
    // on the database.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      schemaName,
    ]);
    if (exists.rows.length === 0) await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const from = await currentVersion(client, schema);
    if (from > POSTGRES_SCHEMA_VERSION) {
      throw new StorageError(
        `postgres: schema ${schemaName} has version ${from}, newer than this version of ` +
          `@smartpass/oneroster supports (${POSTGRES_SCHEMA_VERSION}); upgrade the package`,
      );
    }
    let to = from;
    for (const migration of POSTGRES_MIGRATIONS) {
      if (migration.version <= from || migration.version > target) continue;
      await client.query(migration.sql(schema));
      await client.query(
        `INSERT INTO ${schema}.schema_migrations (version, name) VALUES ($1, $2)`,
        [migration.version, migration.name],
      );
      to = migration.version;
    }
    return { from, to };
  });
}
