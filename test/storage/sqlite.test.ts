import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { loadOptionalPeer } from '../../src/storage/sql/optional-peer';
import { SqliteStorage } from '../../src/storage/sqlite';
import type { StagedRecord, SyncState } from '../../src/storage/types';
import { StorageError } from '../../src/sync/errors';
import type { SyncReport } from '../../src/sync/report';
import { runStorageAdapterContract } from '../../src/testing/storage-contract';

const dir = mkdtempSync(join(tmpdir(), 'oneroster-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `db-${++files}.sqlite`);

// One file for the whole suite: the contract uses a fresh tenant per test, and a shared file is
// what production looks like (every test opens its own connection to it).
const sharedPath = freshPath();
runStorageAdapterContract({
  name: 'sqlite (file)',
  create: async () => new SqliteStorage({ path: sharedPath }),
  describe,
  it,
  expect,
  beforeEach,
  afterEach,
});

runStorageAdapterContract({
  name: 'sqlite (:memory:)',
  create: async () => new SqliteStorage({ path: ':memory:' }),
  describe,
  it,
  expect,
  largeCount: 500,
});

function org(sourcedId: string, hash = `h-${sourcedId}`): StagedRecord<'orgs'> {
  const dateLastModified = '2026-01-01T00:00:00.000Z';
  return {
    sourcedId,
    status: 'active',
    dateLastModified,
    data: { sourcedId, status: 'active', dateLastModified, name: 'School', type: 'school' },
    raw: { sourcedId },
    hash,
  };
}

function commitInput(tenantId: string, runId: string, startedAt = '2026-01-01T00:00:00.000Z') {
  const state: SyncState = { cursors: {}, incrementalRunsSinceFull: 0, runId };
  const report: SyncReport = {
    runId,
    tenantId,
    mode: 'full',
    requestedMode: 'full',
    status: 'succeeded',
    startedAt,
    finishedAt: startedAt,
    durationMs: 0,
    dryRun: false,
    resources: {},
    warnings: [],
    errors: [],
  };
  return { resources: ['orgs' as const], sweep: ['orgs' as const], state, report };
}

describe('SqliteStorage options and errors', () => {
  it('rejects bad options with a ConfigurationError naming the option', () => {
    const bad: Array<[unknown, string]> = [
      [undefined, 'options'],
      [{}, 'path'],
      [{ path: '' }, 'path'],
      [{ path: freshPath(), busyTimeoutMs: -1 }, 'busyTimeoutMs'],
      [{ path: freshPath(), lockLeaseMs: 10 }, 'lockLeaseMs'],
      [{ path: freshPath(), listPageSize: 0 }, 'listPageSize'],
      [{ path: freshPath(), synchronous: 'off' }, 'synchronous'],
      [{ path: freshPath(), now: 'yesterday' }, 'now'],
      [{ path: join(dir, 'missing-dir', 'x.db') }, 'path'],
    ];
    for (const [options, option] of bad) {
      let error: unknown;
      try {
        new SqliteStorage(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(error, option).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe(option);
    }
  });

  it('explains how to install a missing driver', () => {
    expect(() => loadOptionalPeer('@smartpass/no-such-driver', 'SqliteStorage')).toThrow(
      /SqliteStorage needs the optional peer dependency "@smartpass\/no-such-driver"; install it with `npm install @smartpass\/no-such-driver`/,
    );
  });

  it('opens the file in WAL mode with 16 KB pages, and SqliteStorage.open() is the same as new', async () => {
    const path = freshPath();
    const storage = SqliteStorage.open(path, { synchronous: 'full' });
    expect(storage.kind).toBe('sqlite');
    expect(storage.path).toBe(path);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('page_size', { simple: true })).toBe(16_384);
    db.close();
    await storage.close();
  });

  it('fails with a StorageError on a file that is not a database', () => {
    const path = freshPath();
    writeFileSync(path, 'this is not a database '.repeat(100));
    expect(() => new SqliteStorage({ path })).toThrow(StorageError);
    expect(() => new SqliteStorage({ path })).toThrow(
      /sqlite: open failed: file is not a database/,
    );
  });

  it('rejects every call once closed, and close() is idempotent', async () => {
    const storage = new SqliteStorage({ path: freshPath() });
    await storage.close();
    await storage.close();
    await expect(storage.getState('t')).rejects.toThrow(/SqliteStorage is closed/);
    await expect(storage.count('orgs', { tenantId: 't' })).rejects.toBeInstanceOf(StorageError);
    await expect(storage.beginRun('t', 'r')).rejects.toBeInstanceOf(StorageError);
    const listing = storage.list('orgs', { tenantId: 't' })[Symbol.asyncIterator]();
    await expect(listing.next()).rejects.toBeInstanceOf(StorageError);
  });

  it('rejects a report without a usable runId or startedAt', async () => {
    const storage = new SqliteStorage({ path: freshPath() });
    const { report } = commitInput('t', 'r-1');
    await expect(storage.recordRun({ ...report, runId: '' })).rejects.toThrow(/report\.runId/);
    await expect(storage.recordRun({ ...report, startedAt: 'yesterday' })).rejects.toThrow(
      /startedAt is not an ISO 8601 instant/,
    );
    expect(await storage.runs({ tenantId: 't' })).toEqual([]);
    await storage.close();
  });

  it('reports a state edited into invalid JSON as a StorageError, without its content', async () => {
    const path = freshPath();
    const storage = new SqliteStorage({ path });
    const run = await storage.beginRun('t', 'r-1');
    await run.commit(commitInput('t', 'r-1'));
    const db = new Database(path);
    db.prepare("UPDATE sync_state SET state = '{\"secret\": ' WHERE tenant_id = 't'").run();
    db.close();
    const error = await storage.getState('t').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect(String(error)).not.toContain('secret');
    await storage.close();
  });

  it('fails a commit blocked by another writer with a retryable StorageError, changing nothing', async () => {
    const path = freshPath();
    const storage = new SqliteStorage({ path, busyTimeoutMs: 50 });
    const run = await storage.beginRun('t', 'r-1');
    await run.stage('orgs', [org('o-1')]);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const error = (await run
      .commit(commitInput('t', 'r-1'))
      .catch((e: unknown) => e)) as StorageError;
    other.exec('ROLLBACK');
    other.close();
    expect(error).toBeInstanceOf(StorageError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/sqlite: commit failed: database is locked/);
    expect(await storage.count('orgs', { tenantId: 't' })).toBe(0);
    expect(await storage.getState('t')).toBeNull();
    // The run is still usable once the other writer is gone.
    expect((await run.commit(commitInput('t', 'r-1'))).orgs?.created).toBe(1);
    await storage.close();
  });
});

describe('SqliteStorage staging and reads', () => {
  it('stages into a per-run TEMP table that commit drops and other connections never see', async () => {
    const path = freshPath();
    const storage = new SqliteStorage({ path });
    const run = await storage.beginRun('t', 'r-1');
    await run.stage('orgs', [org('o-1'), org('o-2')]);
    const reader = new Database(path, { readonly: true });
    const tables = () =>
      (
        reader.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map((t) => t.name);
    // Nothing staged reaches the main database file before commit.
    expect(tables().some((name) => name.startsWith('stage'))).toBe(false);
    expect(reader.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 0 });
    await run.commit(commitInput('t', 'r-1'));
    expect(reader.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 2 });
    reader.close();
    await storage.close();
  });

  it('stores a raw body once when it is the same text as data, and reads both back apart', async () => {
    const path = freshPath();
    const storage = new SqliteStorage({ path });
    const same = org('o-same');
    // Keys in another order than data's: the text differs, so raw is kept as sent.
    const wire = { name: 'School', sourcedId: 'o-same', status: 'active', type: 'school' };
    same.raw = JSON.parse(JSON.stringify(same.data));
    const reordered = { ...org('o-reordered'), raw: { ...wire, sourcedId: 'o-reordered' } };
    const withDataJson = {
      ...org('o-json'),
      dataJson: '{"sourcedId":"o-json","x":1}',
      raw: { sourcedId: 'o-json', x: 1 },
    };
    const run = await storage.beginRun('t', 'r-1');
    await run.stage('orgs', [same, reordered, withDataJson, org('o-other')]);
    await run.commit(commitInput('t', 'r-1'));

    const reader = new Database(path, { readonly: true });
    const stored = Object.fromEntries(
      (
        reader.prepare('SELECT sourced_id, raw FROM records ORDER BY sourced_id').all() as Array<{
          sourced_id: string;
          raw: string;
        }>
      ).map((row) => [row.sourced_id, row.raw]),
    );
    reader.close();
    expect(stored['o-same']).toBe('');
    expect(stored['o-json']).toBe('');
    expect(stored['o-reordered']).toBe(JSON.stringify(reordered.raw));
    expect(stored['o-other']).toBe('{"sourcedId":"o-other"}');

    const read = await storage.get('orgs', 'o-same', { tenantId: 't' });
    expect(read?.raw).toEqual(same.data);
    // Two objects, in the order the server sent the keys.
    expect(read?.raw).not.toBe(read?.data);
    expect(JSON.stringify(read?.raw)).toBe(JSON.stringify(same.raw));
    expect((await storage.get('orgs', 'o-json', { tenantId: 't' }))?.raw).toEqual({
      sourcedId: 'o-json',
      x: 1,
    });
    const listed: Record<string, unknown> = {};
    for await (const record of storage.list('orgs', { tenantId: 't' }))
      listed[record.sourcedId] = record.raw;
    expect(listed).toEqual({
      'o-json': { sourcedId: 'o-json', x: 1 },
      'o-other': { sourcedId: 'o-other' },
      'o-reordered': reordered.raw,
      'o-same': same.data,
    });
    await storage.close();
  });

  it('lets runs of other tenants stage and commit while one run is staged', async () => {
    const path = freshPath();
    const a = new SqliteStorage({ path });
    const b = new SqliteStorage({ path, busyTimeoutMs: 0 });
    const runA = await a.beginRun('tenant-a', 'ra');
    await runA.stage('orgs', [org('o-1')]);
    // busyTimeoutMs 0: this would fail at once if A's staging held the file's write lock.
    const runB = await b.beginRun('tenant-b', 'rb');
    await runB.stage('orgs', [org('o-2')]);
    await runB.commit(commitInput('tenant-b', 'rb'));
    await runA.commit(commitInput('tenant-a', 'ra'));
    expect(await b.count('orgs', { tenantId: 'tenant-a' })).toBe(1);
    expect(await a.count('orgs', { tenantId: 'tenant-b' })).toBe(1);
    await a.close();
    await b.close();
  });

  it('streams list() page by page and sees a commit made between pages, without duplicates', async () => {
    const storage = new SqliteStorage({ path: freshPath(), listPageSize: 3 });
    const ids = Array.from({ length: 10 }, (_, i) => `o-${i}`);
    const first = await storage.beginRun('t', 'r-1');
    await first.stage(
      'orgs',
      ids.map((id) => org(id)),
    );
    await first.commit({ ...commitInput('t', 'r-1'), sweep: [] });
    const seen: string[] = [];
    for await (const record of storage.list('orgs', { tenantId: 't' })) {
      seen.push(record.sourcedId);
      if (seen.length === 4) {
        // Between pages: o-9 is updated, o-0 (already returned) deleted, o-95 created.
        const run = await storage.beginRun('t', 'r-2');
        await run.stage('orgs', [
          org('o-9', 'changed'),
          org('o-95'),
          { ...org('o-0'), status: 'tobedeleted' },
        ]);
        await run.commit({ ...commitInput('t', 'r-2'), sweep: [] });
      }
    }
    expect(seen).toEqual([...ids, 'o-95']);
    expect((await storage.get('orgs', 'o-9', { tenantId: 't' }))?.hash).toBe('changed');
    await storage.close();
  });

  it('commits the counts it planned under the lock, and recounts when staging changed after plan()', async () => {
    const storage = new SqliteStorage({ path: freshPath() });
    const lock = await storage.acquireLock('t', 'r-1');
    const run = await storage.beginRun('t', 'r-1');
    await run.stage('orgs', [org('o-1')]);
    const planned = await run.plan({ resources: ['orgs'], sweep: [] });
    expect(planned.orgs?.created).toBe(1);
    // Staged after plan(): the commit must count it, not reuse the plan.
    await run.stage('orgs', [org('o-2')]);
    const { state, report } = commitInput('t', 'r-1');
    const committed = await run.commit({ resources: ['orgs'], sweep: [], state, report });
    expect(committed.orgs?.created).toBe(2);
    await lock?.release();

    const lock2 = await storage.acquireLock('t', 'r-2');
    const run2 = await storage.beginRun('t', 'r-2');
    await run2.stage('orgs', [org('o-1', 'changed')]);
    expect((await run2.plan({ resources: ['orgs'], sweep: [] })).orgs).toEqual({
      created: 0,
      updated: 1,
      deleted: 0,
      unchanged: 0,
      before: 2,
    });
    // Another scope than planned (now sweeping): counted afresh.
    const swept = await run2.commit({
      ...commitInput('t', 'r-2'),
      resources: ['orgs'],
      sweep: ['orgs'],
    });
    expect(swept.orgs).toEqual({ created: 0, updated: 1, deleted: 1, unchanged: 0, before: 2 });
    await lock2?.release();
    await storage.close();
  });

  it('writes syncedAt and deletedAt from the injected clock', async () => {
    const now = new Date('2030-05-05T05:05:05.005Z');
    const storage = new SqliteStorage({ path: freshPath(), now: () => now });
    const run = await storage.beginRun('t', 'r-1');
    await run.stage('orgs', [org('o-1'), { ...org('o-2'), status: 'tobedeleted' }]);
    await run.commit(commitInput('t', 'r-1'));
    expect((await storage.get('orgs', 'o-1', { tenantId: 't' }))?.syncedAt).toBe(now.toISOString());
    const tomb = await storage.get('orgs', 'o-2', { tenantId: 't', includeDeleted: true });
    expect(tomb?.deletedAt).toBe(now.toISOString());
    await storage.close();
  });

  it('rejects bad arguments with typed errors naming the problem', async () => {
    const storage = new SqliteStorage({ path: freshPath() });
    await expect(storage.getState('')).rejects.toBeInstanceOf(ConfigurationError);
    await expect(storage.count('pets' as never, { tenantId: 't' })).rejects.toThrow(
      /unknown resource "pets"/,
    );
    await expect(storage.get('orgs', 42 as never, { tenantId: 't' })).rejects.toThrow(/sourcedId/);
    await expect(storage.runs({ tenantId: 't', limit: 1.5 })).rejects.toThrow(/limit/);
    const run = await storage.beginRun('t', 'r1');
    await expect(run.stage('orgs', [org('o-0'), { ...org('o-1'), sourcedId: '' }])).rejects.toThrow(
      /stage\(orgs\) record #1 has no sourcedId/,
    );
    await expect(run.stage('pets' as never, [])).rejects.toBeInstanceOf(StorageError);
    await expect(run.plan({ resources: 'orgs' as never, sweep: [] })).rejects.toThrow(
      /must be arrays/,
    );
    // A rejected batch keeps nothing of itself.
    expect((await run.plan({ resources: ['orgs'], sweep: [] })).orgs?.created).toBe(0);
    await storage.close();
  });
});
