import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION, SqliteStorage } from '../../src/storage/sqlite';
import { StorageError } from '../../src/sync/errors';
import { spawnTs } from '../crash/support/spawn-ts';

const dir = mkdtempSync(join(tmpdir(), 'oneroster-sqlite-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `db-${++files}.sqlite`);

/**
 * The schema as version 1 of this package created it, frozen here on purpose: if someone edits
 * migration 1 in place instead of appending a migration, files created by the released version
 * no longer match what the code expects, and this test is what notices.
 */
const V1_SCHEMA = `
  CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
  CREATE TABLE records (
    tenant_id TEXT NOT NULL, resource TEXT NOT NULL, sourced_id TEXT NOT NULL, status TEXT NOT NULL,
    date_last_modified TEXT NOT NULL, hash TEXT NOT NULL, synced_at TEXT NOT NULL, run_id TEXT NOT NULL,
    deleted_at TEXT, data TEXT NOT NULL, raw TEXT NOT NULL,
    PRIMARY KEY (tenant_id, resource, sourced_id)) STRICT;
  CREATE TABLE sync_state (tenant_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, updated_at TEXT NOT NULL, state TEXT NOT NULL) STRICT;
  CREATE TABLE runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, run_id TEXT NOT NULL,
    status TEXT NOT NULL, mode TEXT NOT NULL, started_at TEXT NOT NULL, report TEXT NOT NULL, UNIQUE (tenant_id, run_id)) STRICT;
  CREATE INDEX runs_newest_first ON runs (tenant_id, started_at DESC, seq DESC);
  CREATE TABLE locks (tenant_id TEXT PRIMARY KEY, run_id TEXT NOT NULL, token TEXT NOT NULL, pid INTEGER NOT NULL,
    hostname TEXT NOT NULL, pid_namespace TEXT, acquired_at TEXT NOT NULL, lease_expires_at INTEGER NOT NULL) STRICT;
  INSERT INTO schema_migrations VALUES (1, 'initial', '2026-01-01T00:00:00.000Z');
`;

function versions(path: string): Array<{ version: number; name: string }> {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
  db.close();
  return rows as Array<{ version: number; name: string }>;
}

function indexes(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
    .all() as Array<{ name: string }>;
  db.close();
  return rows.map((row) => row.name).sort();
}

const LATEST = [
  { version: 1, name: 'initial' },
  { version: 2, name: 'live-records-index' },
  { version: 3, name: 'raw-same-as-data' },
];

describe('SqliteStorage migrations', () => {
  it('creates the latest schema in a new file, and reopening changes nothing', async () => {
    const path = freshPath();
    await new SqliteStorage({ path }).close();
    expect(SQLITE_SCHEMA_VERSION).toBe(3);
    expect(versions(path)).toEqual(LATEST);
    expect(indexes(path)).toEqual(['records_live', 'runs_newest_first']);
    await new SqliteStorage({ path }).close();
    expect(versions(path)).toEqual(LATEST);
  });

  it('upgrades a file created by schema version 1 and keeps its data', async () => {
    const path = freshPath();
    const old = new Database(path);
    old.exec(V1_SCHEMA);
    const insert = old.prepare(`INSERT INTO records VALUES ('t', 'orgs', ?, 'active',
      '2026-01-01T00:00:00Z', ?, '2026-01-02T00:00:00.000Z', 'old-run', ?, ?, '{"raw":true}')`);
    insert.run('o-1', 'h1', null, '{"sourcedId":"o-1","name":"Old school"}');
    insert.run('o-2', 'h2', '2026-01-03T00:00:00.000Z', '{"sourcedId":"o-2"}');
    old
      .prepare("INSERT INTO sync_state VALUES ('t', 'old-run', '2026-01-02T00:00:00.000Z', ?)")
      .run(
        '{"cursors":{"orgs":"2026-01-01T00:00:00Z"},"incrementalRunsSinceFull":2,"runId":"old-run"}',
      );
    old
      .prepare(
        "INSERT INTO runs (tenant_id, run_id, status, mode, started_at, report) VALUES ('t', 'old-run', 'succeeded', 'full', '2026-01-02T00:00:00.000Z', ?)",
      )
      .run('{"runId":"old-run","tenantId":"t"}');
    old.close();

    const storage = new SqliteStorage({ path });
    expect(versions(path)).toEqual(LATEST);
    expect(indexes(path)).toContain('records_live');
    expect((await storage.get('orgs', 'o-1', { tenantId: 't' }))?.data).toEqual({
      sourcedId: 'o-1',
      name: 'Old school',
    });
    // Rows written before version 3 keep their own raw body.
    expect((await storage.get('orgs', 'o-1', { tenantId: 't' }))?.raw).toEqual({ raw: true });
    expect(await storage.count('orgs', { tenantId: 't' })).toBe(1);
    expect(await storage.count('orgs', { tenantId: 't', includeDeleted: true })).toBe(2);
    expect((await storage.getState('t'))?.incrementalRunsSinceFull).toBe(2);
    expect((await storage.runs({ tenantId: 't' }))[0]?.runId).toBe('old-run');
    // And it works as a current file: a sweep over the upgraded rows uses the new index.
    const run = await storage.beginRun('t', 'new-run');
    const counts = await run.plan({ resources: ['orgs'], sweep: ['orgs'] });
    expect(counts.orgs).toEqual({ created: 0, updated: 0, deleted: 1, unchanged: 0, before: 1 });
    await run.discard();
    await storage.close();
  });

  it('refuses a file written by a newer version of the package', () => {
    const path = freshPath();
    const db = new Database(path);
    db.exec(V1_SCHEMA);
    db.exec("INSERT INTO schema_migrations VALUES (99, 'from-the-future', '2030-01-01T00:00:00Z')");
    db.close();
    let error: unknown;
    try {
      new SqliteStorage({ path });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect(String(error)).toMatch(/schema version 99, newer than this version .* supports \(3\)/);
    // Nothing was applied to it.
    expect(versions(path).map((v) => v.version)).toEqual([1, 99]);
  });

  it('migrates a new file once when several processes open it at the same moment', async () => {
    const path = freshPath();
    const code = `
      import { SqliteStorage } from './src/storage/sqlite/index.ts';
      const storage = new SqliteStorage({ path: process.env.DB_PATH });
      await storage.close();
      console.log('opened');
    `;
    const children = Array.from({ length: 3 }, () => spawnTs({ code }, { DB_PATH: path }));
    const results = await Promise.all(children.map((child) => child.exited));
    for (const [i, child] of children.entries()) {
      expect(results[i], child.stderr()).toEqual({ code: 0, signal: null });
      expect(child.lines).toEqual(['opened']);
    }
    expect(versions(path)).toEqual(LATEST);
  });
});
