/**
 * The storage adapter contract suite: every rule of `StorageAdapter` as a test, for any adapter,
 * ours or yours. Run it from your test runner by passing the runner's own functions, so this
 * module never imports a test framework (it works with vitest, jest and other jest-like runners).
 *
 * Each test creates a fresh adapter through `create()` and uses its own random tenant ids, so an
 * adapter backed by a shared database (one schema for the whole file) also works.
 *
 * @module
 */
import type { RecordStatus, SyncResource, User } from '../models/types';
import type {
  ChangeCounts,
  CommitPlanInput,
  StagedRecord,
  StagedRun,
  StorageAdapter,
  StoredRecord,
  SyncState,
} from '../storage/types';
import type { SyncReport, SyncRunStatus } from '../sync/report';

/** The subset of a jest-like `expect` the suite uses. */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeNull(): void;
  not: { toBe(expected: unknown): void; toBeNull(): void };
}

/** Options of {@link runStorageAdapterContract}. */
export interface StorageContractOptions {
  /** Shown in the suite title, e.g. `sqlite`. */
  name: string;
  /** A ready adapter. Called once per test. */
  create: () => Promise<StorageAdapter>;
  /** Tear an adapter down. @default (adapter) => adapter.close() */
  destroy?: (adapter: StorageAdapter) => Promise<void>;
  describe: (name: string, fn: () => void) => void;
  it: (name: string, fn: () => Promise<void>, timeout?: number) => void;
  expect: (actual: unknown) => ContractAssertion;
  /** When given with `afterEach`, adapters are created and destroyed in these hooks. */
  beforeEach?: (fn: () => Promise<void>, timeout?: number) => void;
  afterEach?: (fn: () => Promise<void>, timeout?: number) => void;
  /** Records in the large streaming test (one `stage()` call). @default 12_000 */
  largeCount?: number;
  /** Per-test timeout passed to `it`, in ms. @default 30_000 */
  timeoutMs?: number;
}

/** What each contract test receives. */
interface Context {
  storage: StorageAdapter;
  /** A tenant id unique to this test. */
  tenant: () => string;
  expect: (actual: unknown) => ContractAssertion;
}

const T0 = Date.parse('2026-03-01T00:00:00.000Z');

function randomId(): string {
  return globalThis.crypto.randomUUID().slice(0, 8);
}

/** A user record whose content (and therefore hash) is determined by `version`. */
function user(
  sourcedId: string,
  version = 1,
  status: RecordStatus = 'active',
): StagedRecord<'users'> {
  const dateLastModified = new Date(T0 + version * 60_000).toISOString();
  const data: User = {
    sourcedId,
    status,
    dateLastModified,
    enabledUser: true,
    // Quotes, backslashes, non-ASCII and astral characters catch escaping bugs in SQL adapters.
    givenName: `Zoë ${version}`,
    familyName: `O'Brien "the \\ second" 😀`,
    roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: 'school-1' } }],
    grades: ['09'],
    metadata: { nested: { list: [1, 'two', null, true] }, empty: {} },
    'ext:vendorField': 'kept',
  };
  const raw = {
    sourcedId,
    status,
    dateLastModified,
    enabledUser: 'true',
    givenName: data.givenName,
    familyName: data.familyName,
    role: 'student',
    orgs: [{ sourcedId: 'school-1', type: 'org', href: '/orgs/school-1' }],
    grades: ['09'],
  };
  return { sourcedId, status, dateLastModified, data, raw, hash: `user-${sourcedId}-v${version}` };
}

/** A class record; only identifiers matter for the tests that use it. */
function klass(sourcedId: string, version = 1): StagedRecord<'classes'> {
  const dateLastModified = new Date(T0 + version * 60_000).toISOString();
  return {
    sourcedId,
    status: 'active',
    dateLastModified,
    data: {
      sourcedId,
      status: 'active',
      dateLastModified,
      title: `Class ${sourcedId} v${version}`,
      school: { sourcedId: 'school-1' },
      terms: [{ sourcedId: 'term-1' }],
    },
    raw: { sourcedId, title: `Class ${sourcedId} v${version}` },
    hash: `class-${sourcedId}-v${version}`,
  };
}

function state(runId: string, cursor: string, extra: Partial<SyncState> = {}): SyncState {
  return { cursors: { users: cursor }, incrementalRunsSinceFull: 0, runId, ...extra };
}

function report(
  tenantId: string,
  runId: string,
  startedAt: string,
  status: SyncRunStatus = 'succeeded',
): SyncReport {
  return {
    runId,
    tenantId,
    mode: 'full',
    requestedMode: 'auto',
    status,
    startedAt,
    finishedAt: new Date(Date.parse(startedAt) + 1_000).toISOString(),
    durationMs: 1_000,
    dryRun: false,
    resources: {
      users: { fetched: 1, created: 1, updated: 0, deleted: 0, unchanged: 0, invalid: 0 },
    },
    warnings: status === 'refused' ? ['a warning'] : [],
    errors:
      status === 'failed' ? [{ code: 'server_error', message: 'boom', resource: 'users' }] : [],
    ...(status === 'refused' ? { reason: 'users: would delete 9 of 10 records' } : {}),
  };
}

function counts(partial: Partial<ChangeCounts> = {}): ChangeCounts {
  return { created: 0, updated: 0, deleted: 0, unchanged: 0, before: 0, ...partial };
}

let runCounter = 0;

/** Begin a run, stage batches, and commit with a state and a report built from the run id. */
async function commitRun(
  storage: StorageAdapter,
  tenantId: string,
  stage: (run: StagedRun) => Promise<void>,
  plan: CommitPlanInput = { resources: ['users'], sweep: [] },
): Promise<{ runId: string; counts: Partial<Record<SyncResource, ChangeCounts>> }> {
  runCounter++;
  const runId = `run-${runCounter}-${randomId()}`;
  const run = await storage.beginRun(tenantId, runId);
  await stage(run);
  const startedAt = new Date(T0 + runCounter * 3_600_000).toISOString();
  const result = await run.commit({
    ...plan,
    state: state(runId, startedAt),
    report: report(tenantId, runId, startedAt),
  });
  return { runId, counts: result };
}

async function collect<R extends SyncResource>(
  iterable: AsyncIterable<StoredRecord<R>>,
): Promise<StoredRecord<R>[]> {
  const out: StoredRecord<R>[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error ?? new Error('rejected with nothing');
  }
  throw new Error('expected the call to reject, but it resolved');
}

function isIsoInstant(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

type ContractTest = [name: string, body: (ctx: Context) => Promise<void>];

function contractTests(largeCount: number): ContractTest[] {
  return [
    [
      'has a kind and starts empty',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        expect(typeof storage.kind === 'string' && storage.kind.length > 0).toBe(true);
        expect(await storage.getState(t)).toBeNull();
        expect(await storage.count('users', { tenantId: t })).toBe(0);
        expect(await storage.count('users', { tenantId: t, includeDeleted: true })).toBe(0);
        expect(await storage.get('users', 'u-1', { tenantId: t })).toBeNull();
        expect(await collect(storage.list('users', { tenantId: t }))).toEqual([]);
        expect(await storage.runs({ tenantId: t })).toEqual([]);
      },
    ],
    [
      'keeps staged records invisible to readers until commit',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const run = await storage.beginRun(t, `r-${randomId()}`);
        await run.stage('users', [user('u-1'), user('u-2')]);
        expect(await storage.get('users', 'u-1', { tenantId: t })).toBeNull();
        expect(await storage.get('users', 'u-1', { tenantId: t, includeDeleted: true })).toBeNull();
        expect(await storage.count('users', { tenantId: t })).toBe(0);
        expect(await collect(storage.list('users', { tenantId: t }))).toEqual([]);
        const planned = await run.plan({ resources: ['users'], sweep: ['users'] });
        expect(planned.users).toEqual(counts({ created: 2 }));
        // plan() changes nothing either.
        expect(await storage.count('users', { tenantId: t })).toBe(0);
        expect(await storage.getState(t)).toBeNull();
        await run.commit({
          resources: ['users'],
          sweep: ['users'],
          state: state(run.runId, '2026-03-01T00:00:00.000Z'),
          report: report(t, run.runId, '2026-03-01T00:00:00.000Z'),
        });
        expect(await storage.count('users', { tenantId: t })).toBe(2);
      },
    ],
    [
      'stores every field of a record and reads it back unchanged',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const staged = user('u-1');
        const { runId } = await commitRun(storage, t, (run) => run.stage('users', [staged]));
        const stored = await storage.get('users', 'u-1', { tenantId: t });
        expect(stored).not.toBeNull();
        const { syncedAt, ...rest } = stored as StoredRecord<'users'>;
        expect(rest).toEqual({
          ...staged,
          tenantId: t,
          resource: 'users',
          runId,
          deletedAt: null,
        });
        expect(isIsoInstant(syncedAt)).toBe(true);
        const listed = await collect(storage.list('users', { tenantId: t }));
        expect(listed).toEqual([stored]);
      },
    ],
    [
      'accepts the engine-serialised data (dataJson) and reads back the same record with or without it',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const plain = user('u-1');
        const serialised = { ...user('u-2'), dataJson: JSON.stringify(user('u-2').data) };
        await commitRun(storage, t, (run) => run.stage('users', [plain, serialised]));
        const [first, second] = await collect(storage.list('users', { tenantId: t }));
        expect(first?.data).toEqual(plain.data);
        expect(second?.data).toEqual(serialised.data);
        expect(second?.hash).toBe(serialised.hash);
        // A stored record never carries the staging-only field.
        expect(second !== undefined && 'dataJson' in second).toBe(false);
        const got = await storage.get('users', 'u-2', { tenantId: t });
        expect(got?.data).toEqual(serialised.data);
      },
    ],
    [
      'commits the state and the report with the records',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const run = await storage.beginRun(t, `r-${randomId()}`);
        await run.stage('users', [user('u-1')]);
        const s = state(run.runId, '2026-03-02T10:00:00.000Z', {
          lastFullSyncAt: '2026-03-02T09:00:00.000Z',
          incrementalRunsSinceFull: 3,
          cursors: { users: '2026-03-02T10:00:00.000Z', classes: '2026-03-01T00:00:00.000Z' },
        });
        const r = report(t, run.runId, '2026-03-02T09:00:00.000Z');
        await run.commit({ resources: ['users'], sweep: [], state: s, report: r });
        expect(await storage.getState(t)).toEqual(s);
        expect(await storage.runs({ tenantId: t })).toEqual([r]);
      },
    ],
    [
      'plan() predicts exactly what commit() does',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        await commitRun(storage, t, (run) =>
          run.stage('users', [user('u-1'), user('u-2'), user('u-3'), user('u-4')]),
        );
        const run = await storage.beginRun(t, `r-${randomId()}`);
        // u-1 unchanged, u-2 updated, u-3 tobedeleted, u-4 absent (swept), u-5 created.
        await run.stage('users', [user('u-1'), user('u-2', 2), user('u-3', 2, 'tobedeleted')]);
        await run.stage('users', [user('u-5')]);
        const input: CommitPlanInput = { resources: ['users'], sweep: ['users'] };
        const planned = await run.plan(input);
        const expected = counts({ created: 1, updated: 1, deleted: 2, unchanged: 1, before: 4 });
        expect(planned).toEqual({ users: expected });
        const committed = await run.commit({
          ...input,
          state: state(run.runId, '2026-03-03T00:00:00.000Z'),
          report: report(t, run.runId, '2026-03-03T00:00:00.000Z'),
        });
        expect(committed).toEqual(planned);
        expect(await storage.count('users', { tenantId: t })).toBe(3);
        expect(await storage.count('users', { tenantId: t, includeDeleted: true })).toBe(5);
      },
    ],
    [
      'upserts by tenant, resource and sourcedId',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        await commitRun(
          storage,
          t,
          async (run) => {
            await run.stage('users', [user('same-id')]);
            await run.stage('classes', [klass('same-id')]);
          },
          { resources: ['users', 'classes'], sweep: [] },
        );
        const second = await commitRun(storage, t, (run) =>
          run.stage('users', [user('same-id', 2)]),
        );
        expect(second.counts.users).toEqual(counts({ updated: 1, before: 1 }));
        const u = await storage.get('users', 'same-id', { tenantId: t });
        expect(u?.data.givenName).toBe('Zoë 2');
        expect(u?.runId).toBe(second.runId);
        const c = await storage.get('classes', 'same-id', { tenantId: t });
        expect(c?.data.title).toBe('Class same-id v1');
        expect(await storage.count('users', { tenantId: t, includeDeleted: true })).toBe(1);
        expect(await storage.count('classes', { tenantId: t })).toBe(1);
      },
    ],
    [
      'keeps the last staged copy of a record',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const { counts: c } = await commitRun(storage, t, async (run) => {
          await run.stage('users', [user('u-1', 1), user('u-2', 1), user('u-1', 2)]);
          await run.stage('users', [user('u-2', 3)]);
          await run.stage('users', [user('u-3', 1, 'tobedeleted')]);
          await run.stage('users', [user('u-3', 4)]);
        });
        expect(c.users).toEqual(counts({ created: 3 }));
        expect((await storage.get('users', 'u-1', { tenantId: t }))?.hash).toBe('user-u-1-v2');
        expect((await storage.get('users', 'u-2', { tenantId: t }))?.hash).toBe('user-u-2-v3');
        expect((await storage.get('users', 'u-3', { tenantId: t }))?.hash).toBe('user-u-3-v4');
      },
    ],
    [
      'detects unchanged records by hash and does not rewrite them',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const first = await commitRun(storage, t, (run) =>
          run.stage('users', [user('u-1'), user('u-2')]),
        );
        const before = await storage.get('users', 'u-1', { tenantId: t });
        const second = await commitRun(storage, t, (run) =>
          run.stage('users', [user('u-1'), user('u-2', 2)]),
        );
        expect(second.counts.users).toEqual(counts({ unchanged: 1, updated: 1, before: 2 }));
        const unchanged = await storage.get('users', 'u-1', { tenantId: t });
        // syncedAt and runId say when the record last changed, so an unchanged one keeps them.
        expect(unchanged?.runId).toBe(first.runId);
        expect(unchanged?.syncedAt).toBe(before?.syncedAt);
        const updated = await storage.get('users', 'u-2', { tenantId: t });
        expect(updated?.runId).toBe(second.runId);
        expect(updated?.hash).toBe('user-u-2-v2');
        expect(updated?.data).toEqual(user('u-2', 2).data);
        expect(updated?.raw).toEqual(user('u-2', 2).raw);
      },
    ],
    [
      'turns a tobedeleted record into a tombstone',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        await commitRun(storage, t, (run) => run.stage('users', [user('u-1'), user('u-2')]));
        const del = await commitRun(storage, t, (run) =>
          run.stage('users', [user('u-1', 2, 'tobedeleted')]),
        );
        expect(del.counts.users).toEqual(counts({ deleted: 1, before: 2 }));
        expect(await storage.get('users', 'u-1', { tenantId: t })).toBeNull();
        const tomb = await storage.get('users', 'u-1', { tenantId: t, includeDeleted: true });
        expect(tomb?.status).toBe('tobedeleted');
        expect(isIsoInstant(tomb?.deletedAt)).toBe(true);
        expect(tomb?.runId).toBe(del.runId);
        expect(await storage.count('users', { tenantId: t })).toBe(1);
        expect(await storage.count('users', { tenantId: t, includeDeleted: true })).toBe(2);
        const live = await collect(storage.list('users', { tenantId: t }));
        expect(live.map((r) => r.sourcedId)).toEqual(['u-2']);
        const all = await collect(storage.list('users', { tenantId: t, includeDeleted: true }));
        expect(all.map((r) => [r.sourcedId, r.deletedAt !== null])).toEqual([
          ['u-1', true],
          ['u-2', false],
        ]);
      },
    ],
    [
      'keeps a tobedeleted record that was never live as a tombstone without counting it',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const { counts: c } = await commitRun(storage, t, (run) =>
          run.stage('users', [user('ghost', 1, 'tobedeleted')]),
        );
        expect(c.users).toEqual(counts());
        expect(await storage.get('users', 'ghost', { tenantId: t })).toBeNull();
        const tomb = await storage.get('users', 'ghost', { tenantId: t, includeDeleted: true });
        expect(isIsoInstant(tomb?.deletedAt)).toBe(true);
        expect(await storage.count('users', { tenantId: t })).toBe(0);
        // Deleting a tombstone again changes no count either.
        const again = await commitRun(storage, t, (run) =>
          run.stage('users', [user('ghost', 2, 'tobedeleted')]),
        );
        expect(again.counts.users).toEqual(counts());
      },
    ],
    [
      'sweeps only the resources listed in `sweep`',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const both: CommitPlanInput = { resources: ['users', 'classes'], sweep: [] };
        await commitRun(
          storage,
          t,
          async (run) => {
            await run.stage('users', [user('u-1'), user('u-2'), user('u-3')]);
            await run.stage('classes', [klass('c-1'), klass('c-2')]);
          },
          both,
        );
        const swept = await commitRun(
          storage,
          t,
          async (run) => {
            await run.stage('users', [user('u-1')]);
            await run.stage('classes', [klass('c-1')]);
          },
          { resources: ['users', 'classes'], sweep: ['users'] },
        );
        expect(swept.counts).toEqual({
          users: counts({ unchanged: 1, deleted: 2, before: 3 }),
          classes: counts({ unchanged: 1, before: 2 }),
        });
        expect(await storage.get('users', 'u-2', { tenantId: t })).toBeNull();
        const tomb = await storage.get('users', 'u-3', { tenantId: t, includeDeleted: true });
        expect(isIsoInstant(tomb?.deletedAt)).toBe(true);
        expect(tomb?.data).toEqual(user('u-3').data);
        expect(await storage.count('classes', { tenantId: t })).toBe(2);
        // Upsert-only (incremental) runs never delete what they did not see.
        const upsertOnly = await commitRun(storage, t, (run) => run.stage('users', [user('u-9')]));
        expect(upsertOnly.counts.users).toEqual(counts({ created: 1, before: 1 }));
        expect(await storage.count('users', { tenantId: t })).toBe(2);
      },
    ],
    [
      'empties a swept resource when nothing was staged for it, and reports every listed resource',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        await commitRun(storage, t, (run) => run.stage('users', [user('u-1'), user('u-2')]));
        const run = await storage.beginRun(t, `r-${randomId()}`);
        const input: CommitPlanInput = { resources: ['users', 'orgs'], sweep: ['users', 'orgs'] };
        const planned = await run.plan(input);
        expect(planned).toEqual({ users: counts({ deleted: 2, before: 2 }), orgs: counts() });
        await run.commit({
          ...input,
          state: state(run.runId, '2026-03-04T00:00:00.000Z'),
          report: report(t, run.runId, '2026-03-04T00:00:00.000Z'),
        });
        expect(await storage.count('users', { tenantId: t })).toBe(0);
      },
    ],
    [
      'counts a revived tombstone as created, even with an unchanged hash',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        await commitRun(storage, t, (run) => run.stage('users', [user('u-1'), user('u-2')]));
        await commitRun(storage, t, (run) => run.stage('users', [user('u-2')]), {
          resources: ['users'],
          sweep: ['users'],
        });
        await commitRun(storage, t, (run) => run.stage('users', [user('u-2', 2, 'tobedeleted')]));
        expect(await storage.count('users', { tenantId: t })).toBe(0);
        const revived = await commitRun(storage, t, (run) =>
          run.stage('users', [user('u-1'), user('u-2', 3)]),
        );
        expect(revived.counts.users).toEqual(counts({ created: 2 }));
        const back = await storage.get('users', 'u-1', { tenantId: t });
        expect(back?.deletedAt).toBeNull();
        expect(back?.status).toBe('active');
        expect(back?.runId).toBe(revived.runId);
        expect(await storage.count('users', { tenantId: t })).toBe(2);
      },
    ],
    [
      'discard() leaves nothing behind',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const first = await commitRun(storage, t, (run) => run.stage('users', [user('u-1')]));
        const stateBefore = await storage.getState(t);
        const run = await storage.beginRun(t, `r-${randomId()}`);
        await run.stage('users', [user('u-1', 2), user('u-2')]);
        await run.discard();
        expect((await storage.get('users', 'u-1', { tenantId: t }))?.runId).toBe(first.runId);
        expect(await storage.get('users', 'u-2', { tenantId: t })).toBeNull();
        expect(await storage.getState(t)).toEqual(stateBefore);
        expect((await storage.runs({ tenantId: t })).length).toBe(1);
        // The next run sees none of the discarded staging, even when it sweeps.
        const next = await commitRun(storage, t, (r) => r.stage('users', [user('u-3')]), {
          resources: ['users'],
          sweep: ['users'],
        });
        expect(next.counts.users).toEqual(counts({ created: 1, deleted: 1, before: 1 }));
        expect(await storage.get('users', 'u-2', { tenantId: t, includeDeleted: true })).toBeNull();
      },
    ],
    [
      'drops the staging of an uncommitted run at the next beginRun() and refuses to commit it',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        await commitRun(storage, t, (run) => run.stage('users', [user('u-1')]));
        const abandoned = await storage.beginRun(t, `r-${randomId()}`);
        await abandoned.stage('users', [user('left-over'), user('u-1', 2)]);
        const next = await commitRun(storage, t, (run) => run.stage('users', [user('u-2')]));
        expect(next.counts.users).toEqual(counts({ created: 1, before: 1 }));
        expect(await storage.get('users', 'left-over', { tenantId: t })).toBeNull();
        expect((await storage.get('users', 'u-1', { tenantId: t }))?.hash).toBe('user-u-1-v1');
        // A replaced run must never commit: its staging is gone, so a sweep would empty the store.
        await rejection(
          abandoned.commit({
            resources: ['users'],
            sweep: ['users'],
            state: state(abandoned.runId, '2026-03-05T00:00:00.000Z'),
            report: report(t, abandoned.runId, '2026-03-05T00:00:00.000Z'),
          }),
        );
        expect(await storage.count('users', { tenantId: t })).toBe(2);
        expect((await storage.getState(t))?.runId).toBe(next.runId);
      },
    ],
    [
      'refuses to commit a run twice',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const run = await storage.beginRun(t, `r-${randomId()}`);
        await run.stage('users', [user('u-1')]);
        const input = {
          resources: ['users'] as SyncResource[],
          sweep: [] as SyncResource[],
          state: state(run.runId, '2026-03-06T00:00:00.000Z'),
          report: report(t, run.runId, '2026-03-06T00:00:00.000Z'),
        };
        await run.commit(input);
        await rejection(run.commit(input));
        expect((await storage.runs({ tenantId: t })).length).toBe(1);
        // discard() after commit is harmless: cleanup code calls it unconditionally.
        await run.discard();
        expect(await storage.count('users', { tenantId: t })).toBe(1);
      },
    ],
    [
      'isolates tenants',
      async ({ storage, tenant, expect }) => {
        const a = tenant();
        const b = tenant();
        const runA = await storage.beginRun(a, `ra-${randomId()}`);
        await runA.stage('users', [user('u-1'), user('u-2')]);
        // Beginning a run of tenant b must not drop tenant a's staging.
        const runB = await storage.beginRun(b, `rb-${randomId()}`);
        await runB.stage('users', [user('u-1', 2)]);
        const input: CommitPlanInput = { resources: ['users'], sweep: ['users'] };
        await Promise.all([
          runA.commit({
            ...input,
            state: state(runA.runId, '2026-03-07T00:00:00.000Z'),
            report: report(a, runA.runId, '2026-03-07T00:00:00.000Z'),
          }),
          runB.commit({
            ...input,
            state: state(runB.runId, '2026-03-08T00:00:00.000Z'),
            report: report(b, runB.runId, '2026-03-08T00:00:00.000Z'),
          }),
        ]);
        expect(await storage.count('users', { tenantId: a })).toBe(2);
        expect(await storage.count('users', { tenantId: b })).toBe(1);
        expect((await storage.get('users', 'u-1', { tenantId: a }))?.hash).toBe('user-u-1-v1');
        expect((await storage.get('users', 'u-1', { tenantId: b }))?.tenantId).toBe(b);
        expect((await storage.getState(a))?.runId).toBe(runA.runId);
        expect((await storage.getState(b))?.runId).toBe(runB.runId);
        expect((await storage.runs({ tenantId: a })).map((r) => r.runId)).toEqual([runA.runId]);
        // A sweep in one tenant leaves the other alone.
        await commitRun(storage, b, async () => {}, { resources: ['users'], sweep: ['users'] });
        expect(await storage.count('users', { tenantId: b })).toBe(0);
        expect(await storage.count('users', { tenantId: a })).toBe(2);
      },
    ],
    [
      'holds one lock per tenant until it is released',
      async ({ storage, tenant, expect }) => {
        const a = tenant();
        const b = tenant();
        const lock = await storage.acquireLock(a, 'run-a1');
        expect(lock).not.toBeNull();
        expect(await storage.acquireLock(a, 'run-a2')).toBeNull();
        const other = await storage.acquireLock(b, 'run-b1');
        expect(other).not.toBeNull();
        await lock?.release();
        const again = await storage.acquireLock(a, 'run-a3');
        expect(again).not.toBeNull();
        // Releasing twice is harmless and does not free the lock someone else now holds.
        await lock?.release();
        expect(await storage.acquireLock(a, 'run-a4')).toBeNull();
        await again?.release();
        await other?.release();
        const last = await storage.acquireLock(a, 'run-a5');
        expect(last).not.toBeNull();
        await last?.release();
      },
    ],
    [
      'replaces the state at each commit and leaves it alone otherwise',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const first = await commitRun(storage, t, (run) => run.stage('users', [user('u-1')]));
        const second = await commitRun(storage, t, (run) => run.stage('users', [user('u-2')]));
        const current = await storage.getState(t);
        expect(current?.runId).toBe(second.runId);
        expect(current?.runId).not.toBe(first.runId);
        await storage.recordRun(report(t, 'failed-run', '2026-06-01T00:00:00.000Z', 'failed'));
        const run = await storage.beginRun(t, `r-${randomId()}`);
        await run.stage('users', [user('u-3')]);
        await run.plan({ resources: ['users'], sweep: ['users'] });
        await run.discard();
        expect(await storage.getState(t)).toEqual(current);
        expect(await storage.count('users', { tenantId: t })).toBe(2);
      },
    ],
    [
      'lists run reports newest first, with a limit',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const refused = report(t, 'r-1', '2026-04-01T00:00:00.000Z', 'refused');
        await storage.recordRun(refused);
        const run = await storage.beginRun(t, 'r-2');
        const committed = report(t, 'r-2', '2026-04-02T00:00:00.000Z');
        await run.commit({
          resources: [],
          sweep: [],
          state: state('r-2', '2026-04-02T00:00:00.000Z'),
          report: committed,
        });
        const failed = report(t, 'r-3', '2026-04-03T00:00:00.000Z', 'failed');
        await storage.recordRun(failed);
        await storage.recordRun(report(tenant(), 'other-tenant', '2026-04-04T00:00:00.000Z'));
        expect(await storage.runs({ tenantId: t })).toEqual([failed, committed, refused]);
        expect(await storage.runs({ tenantId: t, limit: 2 })).toEqual([failed, committed]);
        expect(await storage.runs({ tenantId: t, limit: 0 })).toEqual([]);
      },
    ],
    [
      'lists records in sourcedId order by code point (the order of UTF-8 bytes)',
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        // Byte order, not a locale's: 'B' < 'a', 'a10' < 'a2', '~' < 'é' < 'ｚ' < '😀'.
        const ids = ['😀', 'b', 'a2', 'é', 'ｚ', 'B', 'a10', '~', 'a', '0', 'Z', '_'];
        const expected = ['0', 'B', 'Z', '_', 'a', 'a10', 'a2', 'b', '~', 'é', 'ｚ', '😀'];
        await commitRun(storage, t, (run) =>
          run.stage(
            'users',
            ids.map((id) => user(id)),
          ),
        );
        const listed = await collect(storage.list('users', { tenantId: t }));
        expect(listed.map((r) => r.sourcedId)).toEqual(expected);
      },
    ],
    [
      `stages ${largeCount} records in one call and streams them back in order`,
      async ({ storage, tenant, expect }) => {
        const t = tenant();
        const pad = String(largeCount).length;
        const id = (i: number) => `u-${String(i).padStart(pad, '0')}`;
        // Staged in reverse so that the adapter, not the input, provides the order.
        const records = Array.from({ length: largeCount }, (_, i) => user(id(largeCount - 1 - i)));
        const { counts: c } = await commitRun(storage, t, (run) => run.stage('users', records));
        expect(c.users).toEqual(counts({ created: largeCount }));
        expect(await storage.count('users', { tenantId: t })).toBe(largeCount);
        let seen = 0;
        let ordered = true;
        for await (const record of storage.list('users', { tenantId: t })) {
          if (record.sourcedId !== id(seen)) ordered = false;
          // Other calls must work while a listing is in progress (no connection held busy).
          if (seen === Math.floor(largeCount / 2)) {
            expect((await storage.get('users', id(0), { tenantId: t }))?.sourcedId).toBe(id(0));
            expect(await storage.count('users', { tenantId: t })).toBe(largeCount);
          }
          seen++;
        }
        expect(seen).toBe(largeCount);
        expect(ordered).toBe(true);
        // Leaving a listing early releases what it held: a run can still commit afterwards.
        for await (const _ of storage.list('users', { tenantId: t })) break;
        const after = await commitRun(storage, t, (run) => run.stage('users', [user(id(0), 2)]));
        expect(after.counts.users).toEqual(counts({ updated: 1, before: largeCount }));
      },
    ],
  ];
}

/**
 * Register the storage adapter contract tests with a jest-like runner. Every built-in adapter
 * passes it; run it against your own adapter to know it is safe to sync into.
 *
 * @example
 * ```ts
 * import { afterEach, beforeEach, describe, expect, it } from 'vitest';
 * import { runStorageAdapterContract } from '@smartpass/oneroster/testing';
 * import { MemoryStorage } from '@smartpass/oneroster/storage/memory';
 *
 * runStorageAdapterContract({
 *   name: 'memory',
 *   create: async () => new MemoryStorage(),
 *   describe,
 *   it,
 *   expect,
 *   beforeEach,
 *   afterEach,
 * });
 * ```
 */
export function runStorageAdapterContract(options: StorageContractOptions): void {
  const { name, create, describe, it, expect } = options;
  const destroy = options.destroy ?? ((adapter: StorageAdapter) => adapter.close());
  const timeout = options.timeoutMs ?? 30_000;
  const tests = contractTests(options.largeCount ?? 12_000);
  const suiteId = randomId();
  let tenants = 0;
  const tenant = () => `contract-${suiteId}-${++tenants}`;

  describe(`storage adapter contract: ${name}`, () => {
    const { beforeEach, afterEach } = options;
    if (beforeEach && afterEach) {
      let storage: StorageAdapter | undefined;
      beforeEach(async () => {
        storage = await create();
      }, timeout);
      afterEach(async () => {
        const current = storage;
        storage = undefined;
        if (current) await destroy(current);
      }, timeout);
      for (const [title, body] of tests) {
        it(
          title,
          async () => {
            if (!storage) throw new Error('the adapter was not created by beforeEach');
            await body({ storage, tenant, expect });
          },
          timeout,
        );
      }
      return;
    }
    for (const [title, body] of tests) {
      it(
        title,
        async () => {
          const storage = await create();
          try {
            await body({ storage, tenant, expect });
          } finally {
            await destroy(storage);
          }
        },
        timeout,
      );
    }
  });
}
