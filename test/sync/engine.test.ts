/**
 * The engine's decisions, against a small fake client and MemoryStorage. The same semantics run
 * against the real client and mock server in the integration tests.
 */
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../src/errors';
import { SYNC_RESOURCES } from '../../src/models/types';
import { MemoryStorage } from '../../src/storage/memory';
import type { StorageAdapter } from '../../src/storage/types';
import { createSync, SyncLockedError, type SyncOptions } from '../../src/sync';
import {
  createFakeClient,
  type Dataset,
  demographics,
  district,
  enrollment,
  forbidden,
  klass,
  org,
  serverError,
  user,
} from './fake-client';
import { collectEvents, expectedSnapshot, manualClock, snapshot } from './helpers';

const TENANT = 'district-1';

/** A storage whose methods delegate to `storage` unless overridden (private fields need the real receiver). */
function wrap(storage: MemoryStorage, overrides: Partial<StorageAdapter>): StorageAdapter {
  return {
    kind: storage.kind,
    acquireLock: (t, r) => storage.acquireLock(t, r),
    getState: (t) => storage.getState(t),
    beginRun: (t, r) => storage.beginRun(t, r),
    recordRun: (report) => storage.recordRun(report),
    get: (resource, id, options) => storage.get(resource, id, options),
    list: (resource, options) => storage.list(resource, options),
    count: (resource, options) => storage.count(resource, options),
    runs: (options) => storage.runs(options),
    close: () => storage.close(),
    ...overrides,
  };
}

function setup(dataset: Dataset = district(), extra: Partial<SyncOptions> = {}) {
  const client = createFakeClient(dataset);
  const storage = new MemoryStorage();
  const clock = manualClock('2026-02-01T00:00:00.000Z');
  const { events, onEvent } = collectEvents();
  const sync = createSync({ client, storage, tenantId: TENANT, now: clock.now, onEvent, ...extra });
  return { client, storage, clock, events, sync };
}

describe('full sync', () => {
  it('stores exactly the server records and reports counts per resource', async () => {
    const { sync, storage, client } = setup();
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.mode).toBe('full');
    expect(report.errors).toEqual([]);
    expect(await snapshot(storage, TENANT)).toEqual(expectedSnapshot(client.data));
    expect(report.resources.users).toEqual({
      fetched: 20,
      created: 20,
      updated: 0,
      deleted: 0,
      unchanged: 0,
      invalid: 0,
    });
    expect(Object.keys(report.resources)).toEqual([...SYNC_RESOURCES]);
    // The report is stored with the commit.
    expect(await storage.runs({ tenantId: TENANT })).toEqual([report]);
  });

  it('pulls in dependency order', async () => {
    const { sync, client } = setup();
    await sync.run({ mode: 'full' });
    const order = [...new Set(client.requests.map((r) => r.path))];
    expect(order).toEqual(SYNC_RESOURCES.map((r) => `/${r}`));
  });

  it('tombstones records absent from a complete pull, and detects updates and unchanged', async () => {
    const { sync, storage, client } = setup();
    await sync.run({ mode: 'full' });
    client.data.users = client.data.users.filter(
      (u) => 'sourcedId' in u && u.sourcedId !== 'u-1-001',
    );
    const changed = client.data.users[0] as ReturnType<typeof user>;
    changed.givenName = 'Renamed';
    changed.dateLastModified = '2026-01-20T00:00:00.000Z';
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users).toMatchObject({
      fetched: 19,
      deleted: 1,
      updated: 1,
      unchanged: 18,
    });
    expect(await storage.get('users', 'u-1-001', { tenantId: TENANT })).toBeNull();
    const tomb = await storage.get('users', 'u-1-001', { tenantId: TENANT, includeDeleted: true });
    expect(tomb?.deletedAt).not.toBeNull();
    expect(await snapshot(storage, TENANT)).toEqual(expectedSnapshot(client.data));
  });

  it('stages in batches of batchSize and never stages a whole resource at once', async () => {
    const dataset = district(1, 25);
    const { storage } = setup(dataset);
    const sizes: number[] = [];
    const spying = wrap(storage, {
      beginRun: async (tenantId, runId) => {
        const run = await storage.beginRun(tenantId, runId);
        const stage = run.stage.bind(run);
        run.stage = async (resource, records) => {
          if (resource === 'users') sizes.push(records.length);
          return stage(resource, records);
        };
        return run;
      },
    });
    const sync = createSync({
      client: createFakeClient(dataset),
      storage: spying,
      tenantId: TENANT,
      batchSize: 10,
    });
    expect((await sync.run({ mode: 'full' })).status).toBe('succeeded');
    expect(sizes).toEqual([10, 10, 5]);
  });
});

describe('incremental sync', () => {
  it('asks only for dateLastModified >= cursor - lookback, applies changes and tobedeleted, and does not sweep', async () => {
    const { sync, storage, client, clock } = setup(district(), { lookbackMs: 60_000 });
    await sync.run({ mode: 'full' });
    const cursor = (await storage.getState(TENANT))?.cursors.users;
    // The newest record is dated 2026-01-10; the run started 2026-02-01.
    expect(cursor).toBe('2026-01-10T00:00:00.000Z');

    clock.advance(3_600_000);
    client.requests.length = 0;
    client.data.users = client.data.users.filter(
      (u) => 'sourcedId' in u && u.sourcedId !== 'u-2-010',
    );
    const gone = client.data.users[0] as ReturnType<typeof user>;
    gone.status = 'tobedeleted';
    gone.dateLastModified = '2026-01-31T00:00:00.000Z';
    client.data.users.push(
      user('u-new', 'school-1', { dateLastModified: '2026-01-31T12:00:00.000Z' }),
    );

    const report = await sync.run({ mode: 'incremental' });
    expect(report.status).toBe('succeeded');
    expect(report.mode).toBe('incremental');
    for (const request of client.requests) {
      expect(request.filter).toBe("dateLastModified>='2026-01-09T23:59:00.000Z'");
    }
    // Everything dated at the cursor is read again (>= and the lookback): harmless, unchanged.
    expect(report.resources.users).toMatchObject({
      fetched: 20,
      created: 1,
      deleted: 1,
      unchanged: 18,
    });
    expect(await storage.get('users', gone.sourcedId, { tenantId: TENANT })).toBeNull();
    expect(await storage.get('users', 'u-new', { tenantId: TENANT })).not.toBeNull();
    // A hard delete is invisible to a delta: the record stays until a full run.
    expect(await storage.get('users', 'u-2-010', { tenantId: TENANT })).not.toBeNull();
    const state = await storage.getState(TENANT);
    expect(state?.cursors.users).toBe('2026-01-31T12:00:00.000Z');
    expect(state?.incrementalRunsSinceFull).toBe(1);

    // The next delta starts from the new cursor: only u-new is at or after it.
    client.requests.length = 0;
    const next = await sync.run({ mode: 'incremental' });
    expect(client.requests.find((r) => r.path === '/users')?.filter).toBe(
      "dateLastModified>='2026-01-31T11:59:00.000Z'",
    );
    expect(next.resources.users).toMatchObject({ fetched: 1, unchanged: 1 });
  });

  it('never moves the cursor past the run start minus the skew margin, nor backwards', async () => {
    const { sync, storage, client } = setup(district(1, 3), { clockSkewMs: 600_000 });
    // A record stamped after the run started (a clock ahead of ours, or a change mid-run).
    (client.data.users[0] as ReturnType<typeof user>).dateLastModified = '2026-02-01T00:30:00.000Z';
    await sync.run({ mode: 'full' });
    expect((await storage.getState(TENANT))?.cursors.users).toBe('2026-01-31T23:50:00.000Z');
    // Only old records in the next delta: the cursor stays.
    await sync.run({ mode: 'incremental' });
    expect((await storage.getState(TENANT))?.cursors.users).toBe('2026-01-31T23:50:00.000Z');
  });

  it('pulls a resource without a cursor completely (and keeps upserting only)', async () => {
    const { sync, storage, client, events } = setup(district(1, 3), { resources: ['users'] });
    await sync.run({ mode: 'incremental' });
    expect(client.requests.every((r) => r.filter === undefined)).toBe(true);
    expect(await storage.count('users', { tenantId: TENANT })).toBe(3);
    expect(events.find((e) => e.type === 'resource_started')).toMatchObject({ pull: 'complete' });
  });

  it('does not advance the cursor when the run fails', async () => {
    const { sync, storage, client, clock } = setup();
    await sync.run({ mode: 'full' });
    const before = await storage.getState(TENANT);
    const data = await snapshot(storage, TENANT);
    clock.advance(86_400_000);
    client.data.users.push(
      user('u-late', 'school-1', { dateLastModified: '2026-01-30T00:00:00.000Z' }),
    );
    client.failOn.set('/enrollments', { error: serverError() });
    const failed = await sync.run({ mode: 'incremental' });
    expect(failed.status).toBe('failed');
    expect(await storage.getState(TENANT)).toEqual(before);
    expect(await snapshot(storage, TENANT)).toEqual(data);
    client.failOn.clear();
    const retried = await sync.run({ mode: 'incremental' });
    expect(retried.status).toBe('succeeded');
    expect(await storage.get('users', 'u-late', { tenantId: TENANT })).not.toBeNull();
  });
});

describe('auto mode', () => {
  it('runs full without state, then incremental, then full every N runs or D days', async () => {
    const { sync, storage, clock } = setup(district(1, 2), { fullSyncEvery: { runs: 2, days: 3 } });
    const modes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const report = await sync.run();
      expect(report.requestedMode).toBe('auto');
      modes.push(report.mode);
      clock.advance(3_600_000);
    }
    expect(modes).toEqual(['full', 'incremental', 'incremental', 'full']);
    // Days: one incremental, then the last full run is 3 days old.
    expect((await sync.run()).mode).toBe('incremental');
    clock.advance(3 * 86_400_000);
    expect((await sync.run()).mode).toBe('full');
    expect((await storage.getState(TENANT))?.incrementalRunsSinceFull).toBe(0);
  });

  it('does not count failed runs towards the schedule', async () => {
    const { sync, client } = setup(district(1, 2), { fullSyncEvery: { runs: 1 } });
    expect((await sync.run()).mode).toBe('full');
    client.failOn.set('/users', { error: serverError() });
    expect((await sync.run()).status).toBe('failed');
    client.failOn.clear();
    expect((await sync.run()).mode).toBe('incremental');
    expect((await sync.run()).mode).toBe('full');
  });
});

describe('failures', () => {
  it('leaves the previous data intact when a late resource fails after earlier ones were staged', async () => {
    const { sync, storage, client, events } = setup();
    await sync.run({ mode: 'full' });
    const before = await snapshot(storage, TENANT, { includeDeleted: true });
    client.data.orgs.push(org('school-9'));
    client.data.users = [];
    client.failOn.set('/enrollments', { error: serverError(), page: 2 });
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([
      {
        code: 'server_error',
        message: expect.stringContaining('HTTP 503'),
        resource: 'enrollments',
      },
    ]);
    expect(report.reason).toMatch(/^Pulling enrollments failed: .*HTTP 503.*nothing was changed$/);
    expect(report.resources.orgs).toMatchObject({ fetched: 4, created: 0 });
    expect(await snapshot(storage, TENANT, { includeDeleted: true })).toEqual(before);
    expect((await storage.runs({ tenantId: TENANT }))[0]).toEqual(report);
    expect(events.at(-1)).toEqual({
      type: 'run_finished',
      runId: report.runId,
      tenantId: TENANT,
      report,
    });
    // The lock was released.
    expect((await sync.run({ mode: 'full', force: true })).status).toBe('failed');
  });

  it('fails cleanly when the commit itself fails, and the next run works', async () => {
    const { storage, client } = setup();
    let fail = true;
    const broken = wrap(storage, {
      beginRun: async (tenantId, runId) => {
        const run = await storage.beginRun(tenantId, runId);
        const commit = run.commit.bind(run);
        run.commit = async (input) => {
          if (fail) throw new Error('disk full');
          return commit(input);
        };
        return run;
      },
    });
    const sync = createSync({ client, storage: broken, tenantId: TENANT });
    const failed = await sync.run({ mode: 'full' });
    expect(failed.status).toBe('failed');
    expect(failed.errors[0]).toEqual({ code: 'sync_failed', message: 'Error: disk full' });
    expect(await storage.count('users', { tenantId: TENANT })).toBe(0);
    expect(await storage.getState(TENANT)).toBeNull();
    fail = false;
    expect((await sync.run({ mode: 'auto' })).mode).toBe('full');
    expect(await snapshot(storage, TENANT)).toEqual(expectedSnapshot(client.data));
  });

  it('aborts promptly with the same cleanup', async () => {
    const { storage, client } = setup(district(3, 40));
    const controller = new AbortController();
    let pages = 0;
    let requestsAtAbort = -1;
    const sync = createSync({
      client,
      storage,
      tenantId: TENANT,
      onEvent: (event) => {
        if (event.type === 'page' && ++pages === 3) {
          requestsAtAbort = client.requests.length;
          controller.abort();
        }
      },
    });
    const report = await sync.run({ mode: 'full', signal: controller.signal });
    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([expect.objectContaining({ code: 'aborted' })]);
    expect(report.reason).toBe('The run was aborted; nothing was changed');
    // Prompt: no request after the abort.
    expect(requestsAtAbort).toBeGreaterThan(0);
    expect(client.requests.length).toBe(requestsAtAbort);
    expect(await storage.count('orgs', { tenantId: TENANT })).toBe(0);
    expect((await sync.run({ mode: 'full' })).status).toBe('succeeded');
  });

  it('fails at once on an already aborted signal', async () => {
    const { sync, client } = setup();
    const report = await sync.run({ signal: AbortSignal.abort() });
    expect(report.status).toBe('failed');
    expect(report.errors[0]?.code).toBe('aborted');
    expect(client.requests).toEqual([]);
  });
});

describe('shrink guard', () => {
  it('refuses a full run that would delete more than half of a resource, writing nothing but the report', async () => {
    const { sync, storage, client, events } = setup(district(2, 10));
    await sync.run({ mode: 'full' });
    const before = await snapshot(storage, TENANT, { includeDeleted: true });
    const stateBefore = await storage.getState(TENANT);
    // A district that stopped sharing school-2 and most of school-1.
    client.data.users = client.data.users.slice(0, 9);
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('refused');
    expect(report.reason).toBe(
      'Refused by the shrink guard: users would lose 11 of 20 stored records (55%, limit 50%). ' +
        "Nothing was changed; check the district's data sharing, then run again with force: true to apply",
    );
    expect(report.resources.users).toEqual({
      fetched: 9,
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: 0,
      invalid: 0,
    });
    expect(await snapshot(storage, TENANT, { includeDeleted: true })).toEqual(before);
    expect(await storage.getState(TENANT)).toEqual(stateBefore);
    expect((await storage.runs({ tenantId: TENANT }))[0]).toEqual(report);
    expect(events.findLast((e) => e.type === 'planned')).toMatchObject({
      changes: { users: { deleted: 11, before: 20 } },
    });

    const forced = await sync.run({ mode: 'full', force: true });
    expect(forced.status).toBe('succeeded');
    expect(forced.warnings[0]).toMatch(
      /^Shrink guard overridden with force: .*users would lose 11 of 20/,
    );
    expect(await storage.count('users', { tenantId: TENANT })).toBe(9);
  });

  it('refuses an empty pull over a non-empty store, whatever its size', async () => {
    const { sync, storage, client } = setup(district(1, 2));
    await sync.run({ mode: 'full' });
    client.data.courses = [];
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('refused');
    expect(report.reason).toContain('courses came back empty while 1 records are stored');
    expect(await storage.count('courses', { tenantId: TENANT })).toBe(1);
  });

  it('lets small resources shrink below the floor and respects custom settings', async () => {
    const { sync, client, storage } = setup(district(1, 3));
    await sync.run({ mode: 'full' });
    client.data.users = client.data.users.slice(0, 1);
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users?.deleted).toBe(2);

    const strict = createSync({
      client,
      storage,
      tenantId: TENANT,
      shrinkGuard: { maxDeleteShare: 0.1, minRecords: 0 },
    });
    client.data.enrollments = client.data.enrollments.slice(0, 2);
    expect((await strict.run({ mode: 'full' })).status).toBe('refused');
    const off = createSync({ client, storage, tenantId: TENANT, shrinkGuard: false });
    client.data.orgs = [];
    expect((await off.run({ mode: 'full' })).status).toBe('succeeded');
    expect(await storage.count('orgs', { tenantId: TENANT })).toBe(0);
  });

  it('does not guard incremental runs (deletions there are explicit tobedeleted records)', async () => {
    const { sync, client } = setup(district(1, 4));
    await sync.run({ mode: 'full' });
    for (const u of client.data.users as ReturnType<typeof user>[]) {
      u.status = 'tobedeleted';
      u.dateLastModified = '2026-01-20T00:00:00.000Z';
    }
    const report = await sync.run({ mode: 'incremental' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users?.deleted).toBe(4);
  });
});

describe('locking', () => {
  it('fails fast with SyncLockedError for a second run of the same tenant', async () => {
    const { sync, storage } = setup(district(2, 20));
    const first = sync.run({ mode: 'full' });
    await expect(sync.run({ mode: 'full' })).rejects.toThrow(SyncLockedError);
    const error = await sync.run().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'sync_locked', tenantId: TENANT, retryable: true });
    expect((error as Error).message).toBe(
      `A sync run for tenant "${TENANT}" is already in progress (its lock is held); try again when it has finished`,
    );
    expect((await first).status).toBe('succeeded');
    // The locked-out attempts recorded nothing.
    expect(await storage.runs({ tenantId: TENANT })).toHaveLength(1);
    expect((await sync.run()).status).toBe('succeeded');
  });

  it('runs different tenants concurrently on one storage', async () => {
    const storage = new MemoryStorage();
    const a = createSync({ client: createFakeClient(district(1, 5)), storage, tenantId: 'a' });
    const b = createSync({ client: createFakeClient(district(2, 5)), storage, tenantId: 'b' });
    const [ra, rb] = await Promise.all([a.run(), b.run()]);
    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    expect(await storage.count('users', { tenantId: 'a' })).toBe(5);
    expect(await storage.count('users', { tenantId: 'b' })).toBe(10);
  });

  it('still returns the report, with a warning, when storing it or discarding fails', async () => {
    const { storage, client } = setup();
    const broken = wrap(storage, {
      recordRun: async () => {
        throw new Error('read-only database');
      },
      beginRun: async (tenantId, runId) => {
        const run = await storage.beginRun(tenantId, runId);
        run.discard = async () => {
          throw new Error('connection lost');
        };
        return run;
      },
    });
    client.failOn.set('/users', { error: serverError() });
    const report = await createSync({ client, storage: broken, tenantId: TENANT }).run();
    expect(report.status).toBe('failed');
    expect(report.warnings).toEqual([
      'Discarding the staged records failed (the next run drops them): Error: connection lost',
      'The report could not be stored: Error: read-only database',
    ]);
    // The lock was released all the same.
    expect(await storage.acquireLock(TENANT, 'next')).not.toBeNull();
  });

  it('reports a storage failure while taking the lock as a failed run', async () => {
    const { storage, client } = setup();
    const broken = wrap(storage, {
      acquireLock: async () => {
        throw new Error('connection refused');
      },
    });
    const report = await createSync({ client, storage: broken, tenantId: TENANT }).run();
    expect(report.status).toBe('failed');
    expect(report.reason).toBe('Could not take the run lock: Error: connection refused');
  });
});

describe('invalid records', () => {
  it('skips and counts them, and keeps the stored copy through a full sweep', async () => {
    const { sync, storage, client, events } = setup(district(1, 12));
    await sync.run({ mode: 'full' });
    const kept = client.data.users[3] as ReturnType<typeof user>;
    client.data.users[3] = { invalid: true, sourcedId: kept.sourcedId };
    client.data.users.push({ invalid: true, sourcedId: 'u-never-valid' });
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users).toMatchObject({ fetched: 11, invalid: 2, deleted: 0 });
    expect((await storage.get('users', kept.sourcedId, { tenantId: TENANT }))?.data).toEqual(kept);
    expect(await storage.get('users', 'u-never-valid', { tenantId: TENANT })).toBeNull();
    expect(events.filter((e) => e.type === 'invalid_record')).toEqual([
      expect.objectContaining({ resource: 'users', sourcedId: kept.sourcedId }),
      expect.objectContaining({ resource: 'users', sourcedId: 'u-never-valid' }),
    ]);
  });

  it('does not sweep a resource with an invalid record that has no readable sourcedId', async () => {
    const { sync, storage, client } = setup(district(1, 12));
    await sync.run({ mode: 'full' });
    client.data.users.splice(0, 2, { invalid: true, sourcedId: undefined });
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users).toMatchObject({ fetched: 10, invalid: 1, deleted: 0 });
    expect(report.warnings).toContain(
      'users: 1 invalid record(s) without a readable sourcedId; absent records were not deleted this run',
    );
    expect(await storage.count('users', { tenantId: TENANT })).toBe(12);
  });

  it('treats skipped records the client did not name as unreadable', async () => {
    const dataset = district(1, 3);
    const client = createFakeClient(dataset);
    const listUsers = client.users.list.bind(client.users);
    // A client that counts skipped records but emits no per-call events.
    client.users.list = (params, options) => listUsers(params, { ...options, onEvent: () => {} });
    client.data.users.push({ invalid: true, sourcedId: 'u-x' });
    const storage = new MemoryStorage();
    const report = await createSync({ client, storage, tenantId: TENANT }).run();
    expect(report.resources.users?.invalid).toBe(1);
    expect(report.warnings[0]).toMatch(/without a readable sourcedId/);
  });
});

describe('dry run', () => {
  it('reports what would change and writes nothing', async () => {
    const { sync, storage, client } = setup();
    await sync.run({ mode: 'full' });
    const before = await snapshot(storage, TENANT, { includeDeleted: true });
    const state = await storage.getState(TENANT);
    client.data.users.pop();
    client.data.users.push(user('u-new', 'school-1'));
    const report = await sync.run({ mode: 'full', dryRun: true });
    expect(report).toMatchObject({ status: 'succeeded', dryRun: true });
    expect(report.resources.users).toMatchObject({ created: 1, deleted: 1, unchanged: 19 });
    expect(await snapshot(storage, TENANT, { includeDeleted: true })).toEqual(before);
    expect(await storage.getState(TENANT)).toEqual(state);
    expect(await storage.runs({ tenantId: TENANT })).toHaveLength(1);
  });

  it('shows a refusal without recording it', async () => {
    const { sync, storage, client } = setup();
    await sync.run({ mode: 'full' });
    client.data.users = [];
    const report = await sync.run({ mode: 'full', dryRun: true });
    expect(report.status).toBe('refused');
    expect(report.resources.users).toMatchObject({ deleted: 20 });
    expect(await storage.runs({ tenantId: TENANT })).toHaveLength(1);
  });
});

describe('optional resources', () => {
  it('skips demographics on 403 with a warning and keeps the stored records', async () => {
    const { sync, storage, client, events } = setup();
    await sync.run({ mode: 'full' });
    client.failOn.set('/demographics', { error: forbidden() });
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.demographics).toBeUndefined();
    expect(report.warnings).toEqual([
      'demographics skipped: the server refused /demographics (permission_denied); the stored records are kept as they are',
    ]);
    expect(await storage.count('demographics', { tenantId: TENANT })).toBe(20);
    const finished = events.findLast(
      (e) => e.type === 'resource_finished' && e.resource === 'demographics',
    );
    expect(finished).toMatchObject({
      skipped: 'permission_denied',
    });
    // The skipped resource keeps its cursor.
    expect((await storage.getState(TENANT))?.cursors.demographics).toBe('2026-01-10T00:00:00.000Z');
  });

  it('fails the run when demographics are required', async () => {
    const { client, storage } = setup();
    client.failOn.set('/demographics', { error: forbidden() });
    const sync = createSync({ client, storage, tenantId: TENANT, optionalResources: [] });
    const report = await sync.run();
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatchObject({ code: 'permission_denied', resource: 'demographics' });
    expect(await storage.count('users', { tenantId: TENANT })).toBe(0);
  });

  it('fails when the refusal comes after records were staged', async () => {
    const { sync, client } = setup();
    client.failOn.set('/demographics', { error: forbidden(), page: 1 });
    expect((await sync.run()).status).toBe('failed');
  });
});

describe('schools scoping', () => {
  function scopedDataset(): Dataset {
    const d = district(3, 4);
    // A teacher who works in school-1 and school-2, and an administrator (no scoped endpoint).
    d.users.push(
      user('t-shared', 'school-1', {
        roles: [
          { roleType: 'primary', role: 'teacher', org: { sourcedId: 'school-1' } },
          { roleType: 'secondary', role: 'teacher', org: { sourcedId: 'school-2' } },
        ],
      }),
      user('admin', 'district', {
        roles: [
          { roleType: 'primary', role: 'districtAdministrator', org: { sourcedId: 'district' } },
        ],
      }),
    );
    d.enrollments.push(enrollment('e-t', 't-shared', 'class-1', 'school-1'));
    d.demographics.push(demographics('t-shared'), demographics('admin'));
    d.classes.push(klass('class-other', 'school-3'));
    return d;
  }

  it('pulls through the nested endpoints of the shared schools only', async () => {
    const dataset = scopedDataset();
    const { sync, storage, client } = setup(dataset, { schools: ['school-1', 'school-2'] });
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    const paths = new Set(client.requests.map((r) => r.path));
    expect([...paths]).toEqual([
      '/orgs',
      '/academicSessions',
      '/schools/school-1/courses',
      '/schools/school-2/courses',
      '/schools/school-1/classes',
      '/schools/school-2/classes',
      '/schools/school-1/students',
      '/schools/school-1/teachers',
      '/schools/school-2/students',
      '/schools/school-2/teachers',
      '/schools/school-1/enrollments',
      '/schools/school-2/enrollments',
      '/demographics',
    ]);
    const ids = async (resource: 'orgs' | 'users' | 'classes' | 'demographics') => {
      const out: string[] = [];
      for await (const r of storage.list(resource, { tenantId: TENANT })) out.push(r.sourcedId);
      return out;
    };
    expect(await ids('orgs')).toEqual(['district', 'school-1', 'school-2']);
    expect(await ids('classes')).toEqual(['class-1', 'class-2']);
    const users = await ids('users');
    expect(users).toHaveLength(9);
    expect(users).toContain('t-shared');
    expect(users).not.toContain('admin');
    expect(report.resources.users).toMatchObject({ fetched: 9, created: 9 });
    expect(await ids('demographics')).toEqual(users);
  });

  it('sweeps within what was pulled when the scope shrinks (subject to the shrink guard)', async () => {
    const dataset = scopedDataset();
    const storage = new MemoryStorage();
    const client = createFakeClient(dataset);
    const all = ['school-1', 'school-2', 'school-3'];
    await createSync({ client, storage, tenantId: TENANT, schools: all }).run();
    expect(await storage.count('users', { tenantId: TENANT })).toBe(13);
    const narrower = createSync({ client, storage, tenantId: TENANT, schools: ['school-1'] });
    const refused = await narrower.run({ mode: 'full' });
    expect(refused.status).toBe('refused');
    expect(refused.reason).toContain('users would lose 8 of 13 stored records');
    const forced = await narrower.run({ mode: 'full', force: true });
    expect(forced.resources.classes).toMatchObject({ deleted: 3, unchanged: 1 });
    expect(await storage.count('users', { tenantId: TENANT })).toBe(5);
    // Orgs of the dropped schools are swept too; the district stays.
    expect((await storage.get('orgs', 'district', { tenantId: TENANT }))?.sourcedId).toBe(
      'district',
    );
    expect(await storage.get('orgs', 'school-2', { tenantId: TENANT })).toBeNull();
  });

  it('keeps demographics in scope on incremental runs through the stored users', async () => {
    const dataset = scopedDataset();
    const { sync, storage, client } = setup(dataset, { schools: ['school-1'] });
    await sync.run({ mode: 'full' });
    for (const d of client.data.demographics as ReturnType<typeof demographics>[]) {
      d.dateLastModified = '2026-01-25T00:00:00.000Z';
      d.sex = 'other';
    }
    const report = await sync.run({ mode: 'incremental' });
    expect(report.resources.demographics).toMatchObject({ fetched: 5, updated: 5 });
    expect(await storage.get('demographics', 'admin', { tenantId: TENANT })).toBeNull();
  });

  it('fails with a clear error when a shared school is not on the server', async () => {
    const { sync, storage } = setup(scopedDataset(), { schools: ['school-1', 'school-404'] });
    const report = await sync.run();
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toMatchObject({
      code: 'sync_failed',
      resource: 'orgs',
      message: expect.stringContaining('school "school-404" from the `schools` option not found'),
    });
    expect(await storage.count('orgs', { tenantId: TENANT })).toBe(0);
  });
});

describe('collections that change while they are read', () => {
  it('does not sweep or move the cursor when a deletion shifted a record past the reader', async () => {
    const { sync, storage, client } = setup(district(1, 12));
    await sync.run({ mode: 'full' });
    const cursorBefore = (await storage.getState(TENANT))?.cursors.users;
    const users = client.data.users as ReturnType<typeof user>[];
    // A record modified since, that the shift will hide.
    const hidden = users[4] as ReturnType<typeof user>;
    hidden.givenName = 'Changed';
    hidden.dateLastModified = '2026-01-20T00:00:00.000Z';
    client.afterPage = (path, page) => {
      // After the first page (4 users), the first user is hard-deleted: everything shifts left
      // and the user at position 4 is never served.
      if (path === '/users' && page === 0) client.data.users.splice(0, 1);
    };
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users).toMatchObject({ fetched: 11, deleted: 0 });
    expect(report.warnings).toEqual([
      "users changed while it was being read (/users: the server's total changed from 12 to 11 " +
        'while it was read); absent records were not deleted and its cursor was kept, so the next ' +
        'run reads the changes again',
    ]);
    expect(await storage.get('users', hidden.sourcedId, { tenantId: TENANT })).not.toBeNull();
    expect((await storage.getState(TENANT))?.cursors.users).toBe(cursorBefore);
    // The next run (an incremental one even) reads the hidden change: the cursor stayed behind it.
    client.afterPage = undefined;
    await sync.run({ mode: 'incremental' });
    expect(
      (await storage.get('users', hidden.sourcedId, { tenantId: TENANT }))?.data.givenName,
    ).toBe('Changed');
    // And the next full run sweeps the deleted user.
    const full = await sync.run({ mode: 'full' });
    expect(full.resources.users?.deleted).toBe(1);
    expect(await snapshot(storage, TENANT)).toEqual(expectedSnapshot(client.data));
  });

  it('notices an insertion shift without totals through the duplicate it causes', async () => {
    const { sync, storage, client } = setup(district(1, 12));
    client.sendTotals = false;
    client.afterPage = (path, page) => {
      if (path === '/users' && page === 0) client.data.users.unshift(user('u-0-new', 'school-1'));
    };
    const report = await sync.run({ mode: 'full' });
    expect(report.warnings[0]).toMatch(
      /users changed while it was being read \(\/users: 1 record\(s\) came twice/,
    );
    expect((await storage.getState(TENANT))?.cursors.users).toBeUndefined();
    client.afterPage = undefined;
    await sync.run({ mode: 'incremental' });
    expect(await snapshot(storage, TENANT)).toEqual(expectedSnapshot(client.data));
  });
});

describe('deletions a read without totals cannot prove', () => {
  it('asks for each absent record by id and keeps the ones the server still has', async () => {
    const { sync, storage, client } = setup(district(1, 12));
    client.sendTotals = false;
    await sync.run({ mode: 'full' });
    const users = client.data.users as ReturnType<typeof user>[];
    const shifted = users[4]?.sourcedId ?? '';
    const deleted = users[0]?.sourcedId ?? '';
    client.afterPage = (path, page) => {
      if (path === '/users' && page === 0) client.data.users.splice(0, 1);
    };
    client.requests.length = 0;
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.warnings).toEqual([]);
    // The deleted user was read before it went; the shifted one was never served: asked for.
    expect(client.requests.filter((r) => r.path.startsWith('/users/')).map((r) => r.path)).toEqual([
      `/users/${shifted}`,
    ]);
    expect(report.resources.users).toMatchObject({ fetched: 12, deleted: 0 });
    expect(await storage.get('users', shifted, { tenantId: TENANT })).not.toBeNull();
    client.afterPage = undefined;
    const next = await sync.run({ mode: 'full' });
    expect(next.resources.users).toMatchObject({ fetched: 11, deleted: 1 });
    expect(await storage.get('users', deleted, { tenantId: TENANT })).toBeNull();
    expect(await snapshot(storage, TENANT)).toEqual(expectedSnapshot(client.data));
  });

  it('keeps an absent record that exists but is invalid, and fails when the check fails', async () => {
    const { sync, storage, client } = setup(district(1, 12));
    client.sendTotals = false;
    await sync.run({ mode: 'full' });
    const victim = client.data.users[2] as ReturnType<typeof user>;
    client.data.users.splice(2, 1);
    const getUser = client.users.get.bind(client.users);
    client.users.get = async (id, params, options) => {
      if (id !== victim.sourcedId) return getUser(id, params, options);
      throw new ValidationError({ resource: 'users', sourcedId: id, issues: [] });
    };
    const kept = await sync.run({ mode: 'full' });
    expect(kept.status).toBe('succeeded');
    expect(kept.resources.users?.deleted).toBe(0);
    expect((await storage.get('users', victim.sourcedId, { tenantId: TENANT }))?.data).toEqual(
      victim,
    );

    client.users.get = async () => {
      throw serverError();
    };
    const failed = await sync.run({ mode: 'full' });
    expect(failed.status).toBe('failed');
    expect(failed.errors[0]).toMatchObject({ code: 'server_error', resource: 'users' });
    expect(await storage.get('users', victim.sourcedId, { tenantId: TENANT })).not.toBeNull();
  });

  it('sweeps unverified, with a warning, above the verification limit', async () => {
    const { storage, client } = setup(district(1, 250));
    client.sendTotals = false;
    client.pageSize = 100;
    const sync = createSync({ client, storage, tenantId: TENANT, shrinkGuard: false });
    await sync.run({ mode: 'full' });
    client.data.users = client.data.users.slice(0, 40);
    client.requests.length = 0;
    const report = await sync.run({ mode: 'full' });
    expect(report.resources.users?.deleted).toBe(210);
    expect(report.warnings).toEqual([
      'users: more than 200 stored records were absent from a read without a total count; ' +
        'they were deleted without confirming each one',
    ]);
    expect(client.requests.some((r) => r.path.startsWith('/users/'))).toBe(false);
  });
});

describe('events', () => {
  it('emits run, resource, page and finish events with totals and counts', async () => {
    const { sync, events } = setup(district(1, 5));
    const report = await sync.run({ mode: 'full' });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run_started');
    expect(types.at(-2)).toBe('planned');
    expect(types.at(-1)).toBe('run_finished');
    expect(events.every((e) => e.runId === report.runId && e.tenantId === TENANT)).toBe(true);
    const users = events.filter((e) => 'resource' in e && e.resource === 'users');
    expect(users.map((e) => e.type)).toEqual([
      'resource_started',
      'page',
      'page',
      'resource_finished',
    ]);
    expect(users[0]).toMatchObject({ total: 5, pull: 'complete' });
    expect(users[1]).toMatchObject({ records: 4, total: 5 });
    expect(users[2]).toMatchObject({ records: 5, total: 5 });
    expect(users[3]).toMatchObject({ fetched: 5, invalid: 0 });
  });

  it('survives a listener that throws, and logs it once', async () => {
    const warn = vi.fn();
    const logger = { debug: vi.fn(), info: vi.fn(), warn, error: vi.fn() };
    const { client, storage } = setup(district(1, 5));
    const sync = createSync({
      client,
      storage,
      tenantId: TENANT,
      logger,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect((await sync.run()).status).toBe('succeeded');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'succeeded', tenantId: TENANT }),
      'sync run succeeded',
    );
  });
});
