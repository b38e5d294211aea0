/**
 * The semantics of issue 4, end to end: the real OneRosterClient against the package's mock
 * server (injected fetch), syncing into MemoryStorage.
 */
import { describe, expect, it } from 'vitest';
import { SYNC_RESOURCES, type User } from '../../src/models/types';
import { MemoryStorage } from '../../src/storage/memory';
import { createSync, type SyncEvent, SyncLockedError } from '../../src/sync';
import {
  clientFor,
  expectStoreEqualsServer,
  mockServer,
  smallDistrict,
  tamperingFetch,
  withoutHrefs,
} from './mock-helpers';

const TENANT = 'district-7';

/** A later instant than anything in the dataset, for changes. */
function later(dataset: ReturnType<typeof smallDistrict>, ms = 60_000): string {
  const at = new Date(Date.parse(dataset.latestModified) + ms).toISOString();
  dataset.noteModified(at);
  return at;
}

describe.each(['1.1', '1.2'] as const)('OneRoster %s', (version) => {
  it('full sync stores exactly the server records, normalised, with the raw record kept', async () => {
    const dataset = smallDistrict();
    const mock = mockServer(version, dataset);
    const storage = new MemoryStorage();
    const sync = createSync({ client: clientFor(mock), storage, tenantId: TENANT });
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    for (const resource of SYNC_RESOURCES) {
      expect(report.resources[resource]?.created, resource).toBe(dataset.collection(resource).size);
    }
    await expectStoreEqualsServer(storage, TENANT, mock);
    // The normalised shape is the 1.2-like one in both versions.
    const student = (await storage.get('users', dataset.users.at(0)?.sourcedId ?? '', {
      tenantId: TENANT,
    })) as { data: User; raw: Record<string, unknown> };
    expect(Array.isArray(student.data.roles)).toBe(true);
    expect(typeof student.data.enabledUser).toBe('boolean');
    if (version === '1.1') expect(typeof student.raw.role).toBe('string');
    else expect(Array.isArray(student.raw.roles)).toBe(true);
    if (version === '1.2') {
      // 1.2 maps onto the normalised shape without loss: the store holds the dataset itself.
      for (const resource of SYNC_RESOURCES) {
        for await (const stored of storage.list(resource, { tenantId: TENANT })) {
          const original = dataset.collection(resource).get(stored.sourcedId);
          expect(withoutHrefs(stored.data), `${resource} ${stored.sourcedId}`).toEqual(
            JSON.parse(JSON.stringify(original)),
          );
        }
      }
    }
  });

  it('tombstones records that disappear from a complete pull and reports them', async () => {
    const dataset = smallDistrict();
    const mock = mockServer(version, dataset);
    const storage = new MemoryStorage();
    const sync = createSync({ client: clientFor(mock), storage, tenantId: TENANT });
    await sync.run({ mode: 'full' });
    const goneClass = dataset.classes.at(0)?.sourcedId ?? '';
    const goneEnrollments = dataset.enrollments
      .toArray()
      .filter((e) => e.class.sourcedId === goneClass)
      .map((e) => e.sourcedId);
    dataset.classes.delete(goneClass);
    for (const id of goneEnrollments) dataset.enrollments.delete(id);
    const report = await sync.run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.classes).toMatchObject({ deleted: 1, created: 0, updated: 0 });
    expect(report.resources.enrollments?.deleted).toBe(goneEnrollments.length);
    const tomb = await storage.get('classes', goneClass, {
      tenantId: TENANT,
      includeDeleted: true,
    });
    expect(tomb?.deletedAt).not.toBeNull();
    expect(tomb?.runId).toBe(report.runId);
    await expectStoreEqualsServer(storage, TENANT, mock);
  });

  it('incremental sync asks only for changes, applies updates and tobedeleted, and moves the cursor only on success', async () => {
    const dataset = smallDistrict();
    const mock = mockServer(version, dataset);
    const storage = new MemoryStorage();
    const sync = createSync({
      client: clientFor(mock),
      storage,
      tenantId: TENANT,
      lookbackMs: 1_000,
    });
    await sync.run({ mode: 'full' });
    const cursors = (await storage.getState(TENANT))?.cursors;

    const at = later(dataset);
    const renamed = {
      ...(dataset.users.at(1) as User),
      givenName: 'Renamed',
      dateLastModified: at,
    };
    const retired = {
      ...(dataset.users.at(2) as User),
      status: 'tobedeleted' as const,
      dateLastModified: at,
    };
    dataset.users.set(renamed);
    dataset.users.set(retired);
    mock.log.clear();

    const report = await sync.run({ mode: 'incremental' });
    expect(report.status).toBe('succeeded');
    const collectionRequests = mock.log.entries.filter((e) => e.method === 'GET');
    expect(collectionRequests.length).toBe(SYNC_RESOURCES.length);
    for (const entry of collectionRequests) {
      const url = new URL(entry.url);
      const resource = url.pathname.split('/').at(-1) as (typeof SYNC_RESOURCES)[number];
      const since = new Date(Date.parse(cursors?.[resource] ?? '') - 1_000).toISOString();
      expect(url.searchParams.get('filter')).toBe(`dateLastModified>='${since}'`);
    }
    // Records dated within the lookback of the old cursor come again, unchanged.
    const users = report.resources.users;
    expect(users).toMatchObject({ updated: 1, deleted: 1, created: 0 });
    expect(users?.unchanged).toBe((users?.fetched ?? 0) - 2);
    expect(users?.fetched).toBeLessThan(dataset.users.size / 2);
    expect(
      (await storage.get('users', renamed.sourcedId, { tenantId: TENANT }))?.data.givenName,
    ).toBe('Renamed');
    expect(await storage.get('users', retired.sourcedId, { tenantId: TENANT })).toBeNull();
    expect((await storage.getState(TENANT))?.cursors.users).toBe(at);
    await expectStoreEqualsServer(storage, TENANT, mock);

    // A failing incremental run keeps the cursor and the data.
    const stateBefore = await storage.getState(TENANT);
    dataset.users.set({ ...renamed, givenName: 'Again', dateLastModified: later(dataset) });
    const failing = createSync({
      client: clientFor(mock, {
        fetch: async (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          if (url.pathname.endsWith('/enrollments')) return new Response('down', { status: 503 });
          return mock.fetch(input, init);
        },
      }),
      storage,
      tenantId: TENANT,
    });
    const failed = await failing.run({ mode: 'incremental' });
    expect(failed.status).toBe('failed');
    expect(failed.errors[0]).toMatchObject({ code: 'server_error', resource: 'enrollments' });
    expect(await storage.getState(TENANT)).toEqual(stateBefore);
    expect(
      (await storage.get('users', renamed.sourcedId, { tenantId: TENANT }))?.data.givenName,
    ).toBe('Renamed');
    expect((await sync.run({ mode: 'incremental' })).status).toBe('succeeded');
    await expectStoreEqualsServer(storage, TENANT, mock);
  });
});

describe('auto mode against the server', () => {
  it('runs full first, then deltas, then a full reconciliation that catches hard deletes', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.2', dataset);
    const storage = new MemoryStorage();
    const sync = createSync({
      client: clientFor(mock),
      storage,
      tenantId: TENANT,
      fullSyncEvery: { runs: 1 },
    });
    expect((await sync.run()).mode).toBe('full');
    const hardDeleted = dataset.demographics.at(0)?.sourcedId ?? '';
    dataset.demographics.delete(hardDeleted);
    mock.log.clear();
    const delta = await sync.run();
    expect(delta.mode).toBe('incremental');
    expect(mock.log.entries.every((e) => new URL(e.url).searchParams.has('filter'))).toBe(true);
    // Invisible to a delta.
    expect(await storage.get('demographics', hardDeleted, { tenantId: TENANT })).not.toBeNull();
    const full = await sync.run();
    expect(full.mode).toBe('full');
    expect(full.resources.demographics?.deleted).toBe(1);
    await expectStoreEqualsServer(storage, TENANT, mock);
  });
});

describe('failures against the server', () => {
  it('a late resource failing after earlier ones were staged leaves the previous state intact', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.1', dataset);
    const storage = new MemoryStorage();
    await createSync({ client: clientFor(mock), storage, tenantId: TENANT }).run();
    const before = await storage.getState(TENANT);
    const renamed = { ...(dataset.orgs.at(0) as NonNullable<ReturnType<typeof dataset.orgs.at>>) };
    dataset.orgs.set({ ...renamed, name: 'Renamed district', dateLastModified: later(dataset) });
    let enrollmentPages = 0;
    const client = clientFor(mock, {
      pageSize: 20,
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname.endsWith('/enrollments') && ++enrollmentPages > 2) {
          return new Response('<html>Bad gateway</html>', { status: 502 });
        }
        return mock.fetch(input, init);
      },
    });
    const events: SyncEvent[] = [];
    const report = await createSync({
      client,
      storage,
      tenantId: TENANT,
      onEvent: (e) => events.push(e),
    }).run({ mode: 'full' });
    expect(report.status).toBe('failed');
    expect(report.errors).toEqual([
      expect.objectContaining({ code: 'server_error', resource: 'enrollments' }),
    ]);
    // Orgs, sessions, courses, classes and users were pulled and staged before the failure.
    expect(report.resources.users?.fetched).toBe(dataset.users.size);
    expect(events.some((e) => e.type === 'page' && e.resource === 'enrollments')).toBe(true);
    expect(await storage.getState(TENANT)).toEqual(before);
    const stored = await storage.get('orgs', renamed.sourcedId, { tenantId: TENANT });
    expect(stored?.data.name).toBe(renamed.name);
    // The next run completes the job.
    const next = await createSync({ client: clientFor(mock), storage, tenantId: TENANT }).run();
    expect(next.status).toBe('succeeded');
    await expectStoreEqualsServer(storage, TENANT, mock);
  });

  it('aborts promptly mid-pull and changes nothing', async () => {
    const mock = mockServer('1.2', smallDistrict(), { latencyMs: 5 });
    const storage = new MemoryStorage();
    const controller = new AbortController();
    const sync = createSync({
      client: clientFor(mock),
      storage,
      tenantId: TENANT,
      onEvent: (e) => {
        if (e.type === 'page' && e.resource === 'classes') controller.abort();
      },
    });
    const report = await sync.run({ signal: controller.signal });
    expect(report.status).toBe('failed');
    expect(report.errors[0]?.code).toBe('aborted');
    const requestsAfterAbort = mock.log.entries.filter((e) =>
      ['/users', '/enrollments', '/demographics'].includes(e.path),
    );
    expect(requestsAfterAbort).toEqual([]);
    expect(await storage.count('orgs', { tenantId: TENANT })).toBe(0);
    expect(await storage.getState(TENANT)).toBeNull();
  });
});

describe('progress events against the server', () => {
  it('forwards retries and rate-limit waits with the resource being pulled', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.2', dataset, {
      faults: [
        { kind: 'status', status: 429, path: '/users', nth: [1, 2], retryAfter: 0, body: 'html' },
        { kind: 'status', status: 503, path: '/classes', nth: [1] },
      ],
    });
    const events: SyncEvent[] = [];
    const report = await createSync({
      client: clientFor(mock),
      storage: new MemoryStorage(),
      tenantId: TENANT,
      onEvent: (e) => events.push(e),
    }).run();
    expect(report.status).toBe('succeeded');
    const waits = events.filter((e) => e.type === 'retry' || e.type === 'rate_limit_wait');
    expect(waits.some((e) => 'resource' in e && e.resource === 'users')).toBe(true);
    expect(waits.some((e) => e.type === 'retry' && e.resource === 'classes')).toBe(true);
    const users = events.filter((e) => e.type === 'page' && e.resource === 'users');
    expect(users.at(-1)).toMatchObject({ records: dataset.users.size, total: dataset.users.size });
    // Nothing in any event names a record's content.
    const familyName = dataset.users.at(0)?.familyName ?? 'missing';
    expect(JSON.stringify(events)).not.toContain(familyName);
  });
});

describe('shrink guard against the server', () => {
  it('refuses a district that suddenly lost most of its users, then applies with force', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.2', dataset);
    const storage = new MemoryStorage();
    const sync = createSync({ client: clientFor(mock), storage, tenantId: TENANT });
    await sync.run();
    const users = dataset.users.toArray();
    for (const u of users.slice(0, Math.ceil(users.length * 0.6)))
      dataset.users.delete(u.sourcedId);
    const refused = await sync.run({ mode: 'full' });
    expect(refused.status).toBe('refused');
    expect(refused.reason).toMatch(
      new RegExp(
        `users would lose ${Math.ceil(users.length * 0.6)} of ${users.length} stored records`,
      ),
    );
    expect(await storage.count('users', { tenantId: TENANT })).toBe(users.length);
    expect((await storage.runs({ tenantId: TENANT }))[0]?.status).toBe('refused');
    const forced = await sync.run({ mode: 'full', force: true });
    expect(forced.status).toBe('succeeded');
    await expectStoreEqualsServer(storage, TENANT, mock);
  });
});

describe('locking against the server', () => {
  it('a second run of the same tenant fails fast; another tenant runs in parallel', async () => {
    const slow = mockServer('1.2', smallDistrict(), { latencyMs: 3 });
    const other = mockServer('1.1', smallDistrict(8));
    const storage = new MemoryStorage();
    const a = createSync({ client: clientFor(slow), storage, tenantId: 'a' });
    const a2 = createSync({ client: clientFor(slow), storage, tenantId: 'a' });
    const b = createSync({ client: clientFor(other), storage, tenantId: 'b' });
    const first = a.run();
    const started = performance.now();
    await expect(a2.run()).rejects.toBeInstanceOf(SyncLockedError);
    expect(performance.now() - started).toBeLessThan(1_000);
    const [ra, rb] = await Promise.all([first, b.run()]);
    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    await expectStoreEqualsServer(storage, 'a', slow);
    await expectStoreEqualsServer(storage, 'b', other);
  });
});

describe('invalid records against the server', () => {
  it('skips and counts them, and keeps the stored copy through the sweep', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.2', dataset);
    const storage = new MemoryStorage();
    await createSync({ client: clientFor(mock), storage, tenantId: TENANT }).run();
    const victim = dataset.users.at(3)?.sourcedId ?? '';
    const storedBefore = await storage.get('users', victim, { tenantId: TENANT });
    const client = clientFor(mock, {
      fetch: tamperingFetch(
        mock.fetch,
        (url) => url.pathname.endsWith('/users'),
        (body) => {
          for (const record of body.users as Array<Record<string, unknown>>) {
            if (record.sourcedId === victim) record.status = 'bogus';
            // An invalid record whose sourcedId is unreadable would stop the sweep; not here.
          }
        },
      ),
    });
    const events: SyncEvent[] = [];
    const report = await createSync({
      client,
      storage,
      tenantId: TENANT,
      onEvent: (e) => events.push(e),
    }).run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.users).toMatchObject({ invalid: 1, deleted: 0 });
    expect(report.resources.users?.fetched).toBe(dataset.users.size - 1);
    expect(await storage.get('users', victim, { tenantId: TENANT })).toEqual(storedBefore);
    const invalid = events.filter((e) => e.type === 'invalid_record');
    expect(invalid).toEqual([expect.objectContaining({ resource: 'users', sourcedId: victim })]);
    // Nothing of the record's content reaches events or the report.
    expect(JSON.stringify(events)).not.toContain('bogus');
    const familyName = (storedBefore?.data as User | undefined)?.familyName ?? 'missing';
    expect(JSON.stringify(report)).not.toContain(familyName);
  });

  it('does not sweep a resource when an invalid record has no readable sourcedId', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.1', dataset);
    const storage = new MemoryStorage();
    await createSync({ client: clientFor(mock), storage, tenantId: TENANT }).run();
    const gone = dataset.classes.at(0)?.sourcedId ?? '';
    dataset.classes.delete(gone);
    const client = clientFor(mock, {
      fetch: tamperingFetch(
        mock.fetch,
        (url) => url.pathname.endsWith('/classes'),
        (body) => {
          const first = (body.classes as Array<Record<string, unknown>>)[0];
          if (first) delete first.sourcedId;
        },
      ),
    });
    const report = await createSync({ client, storage, tenantId: TENANT }).run({ mode: 'full' });
    expect(report.status).toBe('succeeded');
    expect(report.resources.classes).toMatchObject({ invalid: 1, deleted: 0 });
    expect(report.warnings.join('\n')).toMatch(
      /classes: 1 invalid record\(s\) without a readable sourcedId/,
    );
    expect(await storage.get('classes', gone, { tenantId: TENANT })).not.toBeNull();
  });
});

describe('dry run against the server', () => {
  it('reports what would change and writes nothing', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.2', dataset);
    const storage = new MemoryStorage();
    const dry = await createSync({ client: clientFor(mock), storage, tenantId: TENANT }).run({
      dryRun: true,
    });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, mode: 'full' });
    expect(dry.resources.users?.created).toBe(dataset.users.size);
    expect(await storage.getState(TENANT)).toBeNull();
    expect(await storage.runs({ tenantId: TENANT })).toEqual([]);
    for (const resource of SYNC_RESOURCES) {
      expect(await storage.count(resource, { tenantId: TENANT, includeDeleted: true })).toBe(0);
    }
  });
});

describe('schools scoping against the server', () => {
  it('pulls the shared schools through nested endpoints, with users de-duplicated', async () => {
    const dataset = smallDistrict();
    const schools = dataset.orgs.toArray().filter((o) => o.type === 'school');
    const shared = schools[0]?.sourcedId ?? '';
    const mock = mockServer('1.2', dataset);
    const storage = new MemoryStorage();
    const report = await createSync({
      client: clientFor(mock),
      storage,
      tenantId: TENANT,
      schools: [shared],
    }).run();
    expect(report.status).toBe('succeeded');
    const paths = [...new Set(mock.log.entries.map((e) => e.path))];
    expect(paths).toEqual([
      '/orgs',
      '/academicSessions',
      `/schools/${shared}/courses`,
      `/schools/${shared}/classes`,
      `/schools/${shared}/students`,
      `/schools/${shared}/teachers`,
      `/schools/${shared}/enrollments`,
      '/demographics',
    ]);
    const district = dataset.orgs.toArray().find((o) => o.type === 'district')?.sourcedId;
    const orgs: string[] = [];
    for await (const o of storage.list('orgs', { tenantId: TENANT })) orgs.push(o.sourcedId);
    expect(orgs).toEqual([district, shared].sort());
    const inSchool = (refs: Array<{ sourcedId: string }>) =>
      refs.some((r) => r.sourcedId === shared);
    const expectedClasses = dataset.classes.toArray().filter((c) => c.school.sourcedId === shared);
    expect(await storage.count('classes', { tenantId: TENANT })).toBe(expectedClasses.length);
    const expectedUsers = dataset.users
      .toArray()
      .filter(
        (u) =>
          u.roles.some((r) => ['student', 'teacher'].includes(r.role)) &&
          inSchool(u.roles.map((r) => r.org)),
      );
    expect(report.resources.users?.fetched).toBe(expectedUsers.length);
    expect(await storage.count('users', { tenantId: TENANT })).toBe(expectedUsers.length);
    for await (const d of storage.list('demographics', { tenantId: TENANT })) {
      expect(await storage.get('users', d.sourcedId, { tenantId: TENANT })).not.toBeNull();
    }
    const first = await storage.get('users', expectedUsers[0]?.sourcedId ?? '', {
      tenantId: TENANT,
    });
    expect(withoutHrefs(first?.data)).toEqual(JSON.parse(JSON.stringify(expectedUsers[0])));
  });
});

describe('listing order', () => {
  const sorted = (url: string) => {
    const query = new URL(url).searchParams;
    return query.get('sort') === 'sourcedId' && query.get('orderBy') === 'asc';
  };

  it('pins sort=sourcedId on every listing of full, incremental and scoped runs', async () => {
    const dataset = smallDistrict();
    const mock = mockServer('1.1', dataset);
    const storage = new MemoryStorage();
    const sync = createSync({ client: clientFor(mock), storage, tenantId: TENANT });
    expect((await sync.run({ mode: 'full' })).status).toBe('succeeded');
    const lists = () => mock.log.entries.filter((e) => e.status === 200);
    expect(lists().length).toBeGreaterThan(SYNC_RESOURCES.length);
    expect(lists().filter((e) => !sorted(e.url))).toEqual([]);
    mock.log.clear();
    expect((await sync.run({ mode: 'incremental' })).status).toBe('succeeded');
    expect(lists().every((e) => sorted(e.url) && new URL(e.url).searchParams.has('filter'))).toBe(
      true,
    );

    const school = dataset.orgs.toArray().find((o) => o.type === 'school')?.sourcedId ?? '';
    mock.log.clear();
    const scoped = createSync({
      client: clientFor(mock),
      storage: new MemoryStorage(),
      tenantId: TENANT,
      schools: [school],
    });
    expect((await scoped.run()).status).toBe('succeeded');
    expect(lists().some((e) => e.path.startsWith(`/schools/${school}/`))).toBe(true);
    expect(lists().filter((e) => !sorted(e.url))).toEqual([]);
  });

  it('sends no sort with sortBySourcedId: false, and stores the same records', async () => {
    const mock = mockServer('1.2');
    const storage = new MemoryStorage();
    const report = await createSync({
      client: clientFor(mock),
      storage,
      tenantId: TENANT,
      sortBySourcedId: false,
    }).run();
    expect(report.status).toBe('succeeded');
    expect(mock.log.entries.some((e) => new URL(e.url).searchParams.has('sort'))).toBe(false);
    await expectStoreEqualsServer(storage, TENANT, mock);
  });
});
