import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { PostgresStorage } from '../../src/storage/postgres';
import { advisoryKey } from '../../src/storage/postgres/migrations';
import type { StagedRecord, SyncState } from '../../src/storage/types';
import { StorageError } from '../../src/sync/errors';
import type { SyncReport } from '../../src/sync/report';
import { runStorageAdapterContract } from '../../src/testing/storage-contract';
import { dropSchemas, PG_URL, pgQuery, probePostgres, uniqueSchema } from './postgres-test-env';

const available = await probePostgres();
const describePg = describe.skipIf(!available);

const schema = uniqueSchema('or_contract');
const specificSchema = uniqueSchema('or_pg');
afterAll(async () => {
  if (available) await dropSchemas(schema, specificSchema);
});

runStorageAdapterContract({
  name: 'postgres (connection string)',
  create: () => PostgresStorage.connect({ connectionString: PG_URL, schema }),
  describe: describePg,
  it,
  expect,
  beforeEach,
  afterEach,
});

// The same suite on an application-owned pool, which close() must leave open.
const sharedPool = available ? new pg.Pool({ connectionString: PG_URL, max: 4 }) : undefined;
afterAll(async () => {
  await sharedPool?.end();
});
runStorageAdapterContract({
  name: 'postgres (shared pool)',
  create: async () => new PostgresStorage({ pool: sharedPool as pg.Pool, schema }),
  destroy: async (storage) => {
    await storage.close();
    // Nothing leaked: every connection the adapter checked out is back and idle.
    expect(sharedPool?.totalCount).toBe(sharedPool?.idleCount);
  },
  describe: describePg,
  it,
  expect,
  largeCount: 2_000,
});

function org(sourcedId: string, hash = `h-${sourcedId}`): StagedRecord<'orgs'> {
  const dateLastModified = '2026-01-01T00:00:00.000Z';
  return {
    sourcedId,
    status: 'active',
    dateLastModified,
    data: { sourcedId, status: 'active', dateLastModified, name: 'School', type: 'school' },
    raw: { sourcedId, extra: 'kept "verbatim"', order: { z: 1, a: 2 } },
    hash,
  };
}

function commitInput(tenantId: string, runId: string) {
  const state: SyncState = { cursors: {}, incrementalRunsSinceFull: 0, runId };
  const report: SyncReport = {
    runId,
    tenantId,
    mode: 'full',
    requestedMode: 'full',
    status: 'succeeded',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 0,
    dryRun: false,
    resources: {},
    warnings: [],
    errors: [],
  };
  return { resources: ['orgs' as const], sweep: ['orgs' as const], state, report };
}

const opened: PostgresStorage[] = [];
async function connect(options: { tenantSchema?: string; pool?: pg.Pool } = {}) {
  const s = options.pool
    ? new PostgresStorage({ pool: options.pool, schema: options.tenantSchema ?? specificSchema })
    : await PostgresStorage.connect({
        connectionString: PG_URL,
        schema: options.tenantSchema ?? specificSchema,
      });
  opened.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
let tenants = 0;
const tenant = () => `t-${process.pid}-${++tenants}`;

/**
 * End the session holding `tenantId`'s lock in `specificSchema` (and only that one: other test
 * files and benchmarks may hold locks on the same server). Returns how many sessions ended.
 */
async function terminateLockHolder(tenantId: string): Promise<number> {
  const key = BigInt.asUintN(64, BigInt(advisoryKey('oneroster-tenant', specificSchema, tenantId)));
  const rows = await pgQuery<{ ended: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND classid = $1::oid AND objid = $2::oid AND objsubid = 1`,
    [String(key >> 32n), String(key & 0xffffffffn)],
  );
  return rows.filter((row) => row.ended).length;
}

describe('PostgresStorage options', () => {
  it('rejects bad options with a ConfigurationError naming the option', () => {
    const pool = { connect: async () => ({}), query: async () => ({}), end: async () => {} };
    const bad: Array<[unknown, string]> = [
      [undefined, 'options'],
      [{}, 'connectionString'],
      [{ connectionString: '' }, 'connectionString'],
      [{ connectionString: PG_URL, schema: 'Robert"; DROP TABLE x;--' }, 'schema'],
      [{ connectionString: PG_URL, schema: '1abc' }, 'schema'],
      [{ connectionString: PG_URL, poolSize: 2 }, 'poolSize'],
      [{ connectionString: PG_URL, listPageSize: 0 }, 'listPageSize'],
      [{ connectionString: PG_URL, stageChunkSize: -5 }, 'stageChunkSize'],
      [{ connectionString: PG_URL, stageChunkSize: 20_000 }, 'stageChunkSize'],
      [{ connectionString: PG_URL, now: 5 }, 'now'],
      [{ pool: {} }, 'pool'],
      [{ pool, connectionString: PG_URL }, 'pool'],
      [{ pool: { ...pool, options: { max: 2 } } }, 'pool'],
    ];
    for (const [options, option] of bad) {
      let error: unknown;
      try {
        new PostgresStorage(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe(option);
    }
  });

  it('fails connect() on an unreachable server with a retryable StorageError and no password', async () => {
    const error = (await PostgresStorage.connect({
      connectionString: 'postgres://app:hunter2@127.0.0.1:1/db',
    }).catch((e: unknown) => e)) as StorageError;
    expect(error).toBeInstanceOf(StorageError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^postgres: migrate failed: .*ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
  });
});

describePg('PostgresStorage specifics', () => {
  it('keeps raw verbatim (json) and data queryable (jsonb), and orders sourcedId by code point', async () => {
    const s = await connect();
    const t = tenant();
    const run = await s.beginRun(t, 'r-1');
    await run.stage('orgs', [org('b'), org('B'), org('a')]);
    await run.commit(commitInput(t, 'r-1'));
    const rows = await pgQuery<{ raw: string; name: string }>(
      `SELECT raw::text AS raw, data->>'name' AS name FROM "${specificSchema}".records
       WHERE tenant_id = $1 AND sourced_id = 'a'`,
      [t],
    );
    expect(rows).toEqual([
      {
        raw: '{"sourcedId":"a","extra":"kept \\"verbatim\\"","order":{"z":1,"a":2}}',
        name: 'School',
      },
    ]);
    const ids: string[] = [];
    for await (const r of s.list('orgs', { tenantId: t })) ids.push(r.sourcedId);
    expect(ids).toEqual(['B', 'a', 'b']);
  });

  it('stores a raw body that is the same text as data once (NULL raw) and reads it back apart', async () => {
    const s = await connect();
    const t = tenant();
    const same = org('same');
    same.raw = JSON.parse(JSON.stringify(same.data));
    const run = await s.beginRun(t, 'r-1');
    await run.stage('orgs', [same, org('other')]);
    await run.commit(commitInput(t, 'r-1'));
    const rows = await pgQuery<{ sourced_id: string; raw: string | null }>(
      `SELECT sourced_id, raw::text AS raw FROM "${specificSchema}".records
       WHERE tenant_id = $1 ORDER BY sourced_id`,
      [t],
    );
    expect(rows).toEqual([
      {
        sourced_id: 'other',
        raw: '{"sourcedId":"other","extra":"kept \\"verbatim\\"","order":{"z":1,"a":2}}',
      },
      { sourced_id: 'same', raw: null },
    ]);
    const read = await s.get('orgs', 'same', { tenantId: t });
    expect(read?.raw).toEqual(same.data);
    expect(read?.raw).not.toBe(read?.data);
    const listed: Record<string, unknown> = {};
    for await (const r of s.list('orgs', { tenantId: t })) listed[r.sourcedId] = r.raw;
    expect(listed).toEqual({ other: org('other').raw, same: same.data });
  });

  it('drops its staging table on commit and discard, and the leftovers of a killed run on the next beginRun', async () => {
    const s = await connect();
    const t = tenant();
    const stagingTables = async () =>
      (
        await pgQuery<{ n: string }>(
          `SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'stage\\_%'`,
          [specificSchema],
        )
      )[0]?.n;
    const before = Number(await stagingTables());
    const committed = await s.beginRun(t, 'r-1');
    await committed.stage('orgs', [org('o-1')]);
    expect(Number(await stagingTables())).toBe(before + 1);
    await committed.commit(commitInput(t, 'r-1'));
    const discarded = await s.beginRun(t, 'r-2');
    await discarded.discard();
    expect(Number(await stagingTables())).toBe(before);

    // A "killed" process: its run staged, then its connections died without discard().
    const appName = uniqueSchema('doomed');
    const doomedPool = new pg.Pool({ connectionString: PG_URL, max: 3, application_name: appName });
    const doomed = new PostgresStorage({ pool: doomedPool, schema: specificSchema });
    const killed = await doomed.beginRun(t, 'killed-run');
    await killed.stage('orgs', [org('left-over')]);
    await pgQuery(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [appName],
    );
    doomedPool.on('error', () => undefined);
    await doomedPool.end();
    expect(Number(await stagingTables())).toBe(before + 1);
    const next = await s.beginRun(t, 'r-3');
    expect(Number(await stagingTables())).toBe(before + 1);
    const counts = await next.commit(commitInput(t, 'r-3'));
    expect(counts.orgs).toEqual({ created: 0, updated: 0, deleted: 1, unchanged: 0, before: 1 });
    expect(await s.get('orgs', 'left-over', { tenantId: t, includeDeleted: true })).toBeNull();
    expect(Number(await stagingTables())).toBe(before);
  });

  it('commits the counts it planned under the lock, and recounts when staging changed after plan()', async () => {
    const s = await connect();
    const t = tenant();
    const lock = await s.acquireLock(t, 'r-1');
    const run = await s.beginRun(t, 'r-1');
    await run.stage('orgs', [org('o-1')]);
    expect((await run.plan({ resources: ['orgs'], sweep: [] })).orgs?.created).toBe(1);
    await run.stage('orgs', [org('o-2')]);
    const { state, report } = commitInput(t, 'r-1');
    const committed = await run.commit({ resources: ['orgs'], sweep: [], state, report });
    expect(committed.orgs?.created).toBe(2);
    await lock?.release();
  });

  it('stages a batch larger than stageChunkSize in several statements, the last copy winning', async () => {
    const s = opened[
      opened.push(
        await PostgresStorage.connect({
          connectionString: PG_URL,
          schema: specificSchema,
          stageChunkSize: 3,
        }),
      ) - 1
    ] as PostgresStorage;
    const t = tenant();
    const run = await s.beginRun(t, 'r-1');
    const batch = Array.from({ length: 10 }, (_, i) => org(`o-${i}`));
    await run.stage('orgs', [...batch, org('o-1', 'second'), org('o-8', 'second')]);
    const counts = await run.commit(commitInput(t, 'r-1'));
    expect(counts.orgs?.created).toBe(10);
    expect((await s.get('orgs', 'o-1', { tenantId: t }))?.hash).toBe('second');
    expect((await s.get('orgs', 'o-8', { tenantId: t }))?.hash).toBe('second');
    expect((await s.get('orgs', 'o-9', { tenantId: t }))?.hash).toBe('h-o-9');
  });

  it("voids a run when another process's beginRun() of the tenant replaced it", async () => {
    const a = await connect();
    const b = await connect();
    const t = tenant();
    const first = await a.beginRun(t, 'r-a');
    await first.stage('orgs', [org('o-1')]);
    const second = await b.beginRun(t, 'r-b');
    await expect(first.stage('orgs', [org('o-2')])).rejects.toThrow(
      /stage\(\): staged run r-a was replaced by a newer run/,
    );
    await expect(first.commit(commitInput(t, 'r-a'))).rejects.toThrow(/was replaced/);
    await second.stage('orgs', [org('o-3')]);
    await second.commit(commitInput(t, 'r-b'));
    expect(await b.count('orgs', { tenantId: t })).toBe(1);
  });

  it('holds the tenant lock in a session: another session is refused, and a dead session frees it', async () => {
    const a = await connect();
    const b = await connect();
    const t = tenant();
    const lock = await a.acquireLock(t, 'run-a');
    expect(lock).not.toBeNull();
    expect(await b.acquireLock(t, 'run-b')).toBeNull();
    // The holder's connection dies (as when its process is killed): PostgreSQL frees the lock.
    expect(await terminateLockHolder(t)).toBe(1);
    const taken = await b.acquireLock(t, 'run-b');
    expect(taken).not.toBeNull();
    await taken?.release();
    // Releasing the dead lock is harmless.
    await lock?.release();
  });

  it('fences a run whose lock session died out of commit', async () => {
    const s = await connect();
    const t = tenant();
    const lock = await s.acquireLock(t, 'run-1');
    const run = await s.beginRun(t, 'run-1');
    await run.stage('orgs', [org('o-1')]);
    expect(await terminateLockHolder(t)).toBe(1);
    await expect(run.commit(commitInput(t, 'run-1'))).rejects.toThrow(
      /nothing was committed: the tenant lock of run run-1 was lost/,
    );
    expect(await s.count('orgs', { tenantId: t })).toBe(0);
    await lock?.release();
  });

  it('creates its schema once when several processes connect at the same moment, and upgrades an old one', async () => {
    const fresh = uniqueSchema('or_migrate');
    try {
      await Promise.all(Array.from({ length: 4 }, () => connect({ tenantSchema: fresh })));
      const versions = await pgQuery(
        `SELECT version, name FROM "${fresh}".schema_migrations ORDER BY 1`,
      );
      expect(versions).toEqual([
        { version: 1, name: 'initial' },
        { version: 2, name: 'live-records-index' },
        { version: 3, name: 'raw-same-as-data' },
      ]);
      // Back to version 1 (undo what 2 and 3 did), with a row written then; connect upgrades it.
      await pgQuery(
        `DROP INDEX "${fresh}".records_live; ALTER TABLE "${fresh}".records ALTER COLUMN raw SET NOT NULL;
         DELETE FROM "${fresh}".schema_migrations WHERE version IN (2, 3)`,
      );
      await pgQuery(
        `INSERT INTO "${fresh}".records VALUES ('t', 'orgs', 'o-1', 'active', '2026-01-01', 'h',
           now(), 'old-run', NULL, '{"name":"Old"}', '{"raw":1}')`,
      );
      const upgraded = await connect({ tenantSchema: fresh });
      expect(await upgraded.get('orgs', 'o-1', { tenantId: 't' })).toMatchObject({
        data: { name: 'Old' },
        raw: { raw: 1 },
      });
      const indexes = await pgQuery(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname = 'records_live'`,
        [fresh],
      );
      expect(indexes).toHaveLength(1);
      await pgQuery(
        `INSERT INTO "${fresh}".schema_migrations (version, name) VALUES (99, 'future')`,
      );
      await expect(connect({ tenantSchema: fresh })).rejects.toThrow(/version 99, newer than/);
    } finally {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await dropSchemas(fresh);
    }
  });

  it('returns every connection to a shared pool, also after failures, and leaves the pool open on close()', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 3 });
    try {
      const s = await connect({ pool });
      const t = tenant();
      const lock = await s.acquireLock(t, 'r-1');
      const run = await s.beginRun(t, 'r-1');
      await run.stage('orgs', [org('o-1')]);
      await expect(run.stage('orgs', [{ ...org('o-2'), status: 'gone' as never }])).rejects.toThrow(
        StorageError,
      );
      await expect(
        run.commit({
          ...commitInput(t, 'r-1'),
          report: { ...commitInput(t, 'r-1').report, startedAt: 'never' },
        }),
      ).rejects.toThrow(StorageError);
      await run.commit(commitInput(t, 'r-1'));
      for await (const _ of s.list('orgs', { tenantId: t })) break;
      // The lock's connection is the only one checked out.
      expect(pool.totalCount - pool.idleCount).toBe(1);
      await lock?.release();
      expect(pool.totalCount).toBe(pool.idleCount);
      await s.close();
      expect((await pool.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('maps a database error to a StorageError whose message and cause quote no row values', async () => {
    const guarded = uniqueSchema('or_check');
    try {
      const s = await connect({ tenantSchema: guarded });
      await pgQuery(
        `ALTER TABLE "${guarded}".records ADD CONSTRAINT no_secrets CHECK (data->>'secret' IS NULL)`,
      );
      const t = tenant();
      const run = await s.beginRun(t, 'r-1');
      await run.stage('orgs', [{ ...org('o-1'), data: { secret: 'pii-value' } as never }]);
      const error = (await run.commit(commitInput(t, 'r-1')).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(StorageError);
      expect(error.message).toMatch(
        /^postgres: commit failed: .*violates check constraint "no_secrets"/,
      );
      // PostgreSQL's own error says "Failing row contains (...)" in `detail`: it must not travel.
      expect(JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause))).not.toContain(
        'pii-value',
      );
      expect((error.cause as { code?: string }).code).toBe('23514');
      expect(await s.count('orgs', { tenantId: t, includeDeleted: true })).toBe(0);
    } finally {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await dropSchemas(guarded);
    }
  });

  it('stores U+0000 (which PostgreSQL cannot hold in JSON) as U+FFFD instead of failing the run', async () => {
    const s = await connect();
    const t = tenant();
    const run = await s.beginRun(t, 'r-1');
    // A NUL, and (to be kept as is) the six characters backslash-u-0-0-0-0.
    const data = { sourcedId: 'o-1', name: 'bad\u0000byte', literal: 'back\\u0000slash' };
    await run.stage('orgs', [{ ...org('o-1'), data: data as never, raw: { n: '\u0000' } }]);
    await run.commit(commitInput(t, 'r-1'));
    const stored = await s.get('orgs', 'o-1', { tenantId: t });
    expect(stored?.data).toEqual({ ...data, name: 'bad\ufffdbyte' });
    expect(stored?.raw).toEqual({ n: '\ufffd' });
  });
});

describe('withoutNul', () => {
  it('replaces escaped NULs only, never a literal backslash followed by u0000', async () => {
    const { withoutNul } = await import('../../src/storage/postgres/pg-json');
    const json = JSON.stringify({ a: 'x\u0000y', b: '\\u0000', c: '\\\u0000', d: 'plain' });
    expect(JSON.parse(withoutNul(json))).toEqual({
      a: 'x\ufffdy',
      b: '\\u0000',
      c: '\\\ufffd',
      d: 'plain',
    });
    const clean = JSON.stringify({ d: 'plain' });
    expect(withoutNul(clean)).toBe(clean);
  });
});
