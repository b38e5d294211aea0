/**
 * Seeded fault schedules from the mock server (429 storms, 5xx, resets, truncated and clamped
 * pages, missing paging headers, data changing between pages), with the district changing
 * between runs. After every run, either the store equals the server's data (succeeded) or it
 * equals the previously committed state (failed or refused): nothing half-applied, ever.
 *
 * A run during which the data changed underneath cannot see a consistent snapshot; for those the
 * check is that nothing the server still has was deleted, and that a clean full run then
 * converges.
 */
import { describe, expect, it } from 'vitest';
import { type OneRosterVersion, SYNC_RESOURCES } from '../../src/models/types';
import { MemoryStorage } from '../../src/storage/memory';
import type { StoredRecord } from '../../src/storage/types';
import { createSync, type SyncReport } from '../../src/sync';
import {
  createMockOneRoster,
  generateDistrict,
  type MockFault,
  type MockOneRoster,
  mutate,
  type PagingHeaders,
} from '../../src/testing';
import { clientFor, expectStoreEqualsServer, serverRecords } from './mock-helpers';

const SCHEDULES = 30;
const TENANT = 'district-random';

/** mulberry32: a tiny seeded generator, so each schedule is reproducible from its number. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Schedule {
  version: OneRosterVersion;
  pagingHeaders: PagingHeaders;
  maxPageSize: number;
  maxConcurrent: number;
  faults: MockFault[];
}

function schedule(n: number): Schedule {
  const rng = random(1_000 + n);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
  const paths = ['/orgs', '/courses', '/classes', '/users', '/enrollments', '/demographics'];
  const catalogue: Array<() => MockFault> = [
    () => ({
      kind: 'status',
      status: 429,
      probability: 0.25,
      body: pick(['json', 'html'] as const),
      ...(rng() < 0.5 ? { retryAfter: 0 } : {}),
    }),
    // A storm: consecutive 429s on one collection; 6 outlast the client's 4 retries.
    () => {
      const start = 1 + Math.floor(rng() * 3);
      const length = pick([3, 6]);
      return {
        kind: 'status',
        status: 429,
        path: pick(paths),
        nth: Array.from({ length }, (_, i) => start + i),
        body: 'html',
      };
    },
    () => ({ kind: 'status', status: pick([500, 502, 503]), probability: 0.15 }),
    () => ({ kind: 'reset', probability: 0.1 }),
    () => ({ kind: 'truncate', probability: 0.1 }),
    () => ({ kind: 'clamp', limit: pick([7, 13]), probability: 0.3 }),
    () => ({ kind: 'slow', delayMs: 2, probability: 0.2 }),
    () => ({
      kind: pick(['insert-before', 'delete-before'] as const),
      path: pick(['/users', '/enrollments', '/classes']),
      nth: [2],
      count: 1,
    }),
  ];
  const faults = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pick(catalogue)());
  return {
    version: pick(['1.1', '1.2'] as const),
    pagingHeaders: pick(['both', 'total', 'link', 'none', 'classlink'] as const),
    maxPageSize: pick([10_000, 25, 17]),
    maxConcurrent: pick([1, 3]),
    faults,
  };
}

async function dump(storage: MemoryStorage) {
  const records: Record<string, StoredRecord[]> = {};
  for (const resource of SYNC_RESOURCES) {
    records[resource] = [];
    for await (const r of storage.list(resource, { tenantId: TENANT, includeDeleted: true })) {
      records[resource].push(r);
    }
  }
  return { records, state: await storage.getState(TENANT) };
}

/** Every record the server serves now that was live in the store before is still live. */
async function expectNoFalseDeletions(
  storage: MemoryStorage,
  mock: MockOneRoster,
  before: Awaited<ReturnType<typeof dump>>,
  context: string,
): Promise<void> {
  const server = await serverRecords(mock);
  for (const resource of SYNC_RESOURCES) {
    for (const record of before.records[resource] ?? []) {
      if (record.deletedAt !== null) continue;
      const wire = server[resource].get(record.sourcedId);
      if (wire?.status !== 'active') continue;
      const now = await storage.get(resource, record.sourcedId, { tenantId: TENANT });
      expect(now, `${context}: ${resource} ${record.sourcedId} wrongly deleted`).not.toBeNull();
    }
  }
}

describe('randomized fault schedules', () => {
  it.each(Array.from({ length: SCHEDULES }, (_, n) => n))(
    'schedule %i: every run ends in the server state or the previous state',
    async (n) => {
      const plan = schedule(n);
      const dataset = generateDistrict({
        seed: n + 1,
        schools: 2,
        studentsPerSchool: 12,
        teachersPerSchool: 2,
        classesPerSchool: 4,
        coursesPerSchool: 2,
        classesPerStudent: 2,
        adminsPerSchool: 1,
      });
      const mock = createMockOneRoster({
        dataset,
        version: plan.version,
        pagingHeaders: plan.pagingHeaders,
        maxPageSize: plan.maxPageSize,
        seed: n + 1,
      });
      const storage = new MemoryStorage();
      const client = clientFor(mock, {
        pageSize: 20,
        rateLimit: { maxConcurrent: plan.maxConcurrent, requestsPerSecond: 100_000 },
      });
      const sync = createSync({
        client,
        storage,
        tenantId: TENANT,
        lookbackMs: 0,
        clockSkewMs: 0,
        // Small districts churn by more than half on purpose here; the guard has its own tests.
        shrinkGuard: false,
      });
      const outcomes: string[] = [];
      let hardDeletesPending = false;

      const step = async (mode: 'full' | 'incremental' | 'auto', label: string) => {
        const context = `schedule ${n} ${JSON.stringify(plan)} step ${label}`;
        const before = await dump(storage);
        const logStart = mock.log.length;
        mock.faults.set(plan.faults);
        const report: SyncReport = await sync.run({ mode });
        mock.faults.clear();
        outcomes.push(`${label}:${report.mode}:${report.status}`);
        const dataChanged = mock.log.entries
          .slice(logStart)
          .some((e) => e.faults.some((f) => f === 'insert-before' || f === 'delete-before'));
        if (report.status !== 'succeeded') {
          expect(report.status, context).toBe('failed');
          expect(report.errors.length, context).toBeGreaterThan(0);
          expect(await dump(storage), `${context}: store changed by a failed run`).toEqual(before);
          return;
        }
        if (dataChanged) {
          await expectNoFalseDeletions(storage, mock, before, context);
          // A clean full run converges.
          const clean = await sync.run({ mode: 'full' });
          expect(clean.status, context).toBe('succeeded');
          hardDeletesPending = false;
          await expectStoreEqualsServer(storage, TENANT, mock);
          return;
        }
        if (report.mode === 'full') hardDeletesPending = false;
        if (!hardDeletesPending) await expectStoreEqualsServer(storage, TENANT, mock);
        else await expectNoFalseDeletions(storage, mock, before, context);
      };

      await step('full', 'initial');
      mutate(dataset, { seed: n, add: 2, update: 0.15, markToBeDeleted: 0.05 });
      await step('incremental', 'delta');
      mutate(dataset, { seed: n + 100, update: 0.1, hardDelete: 0.1 });
      hardDeletesPending = true;
      await step('auto', 'auto');
      await step('full', 'reconcile');
      // Whatever happened, a clean run ends in the server state.
      const final = await sync.run({ mode: 'full' });
      expect(final.status).toBe('succeeded');
      await expectStoreEqualsServer(storage, TENANT, mock);
      expect(outcomes).toHaveLength(4);
    },
  );
});
