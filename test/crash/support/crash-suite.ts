/**
 * The kill -9 scenarios, run against each SQL adapter: a sync process is SIGKILLed during the
 * pull, during staging and inside the commit transaction; afterwards the store must be exactly
 * what the last committed run left (records with their bookkeeping, cursors, reports), and the
 * next run must take over the lock and leave the store equal to the server's dataset.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../../../src/storage/types';
import { SyncLockedError } from '../../../src/sync';
import type { MockListener } from '../../../src/testing';
import { createMockOneRoster, type Dataset, generateDistrict } from '../../../src/testing';
import {
  type CrashTarget,
  changeDistrict,
  expectStoreMatchesDataset,
  runSync,
  runSyncOnceUnlocked,
  SYNC_CHILD,
  snapshot,
} from './crash-harness';
import { spawnTs, type TsChild } from './spawn-ts';

/** Where a run is killed. */
interface KillPoint {
  name: string;
  mode: 'full' | 'incremental';
  /** The progress line at which the child is killed. */
  at: RegExp;
  batchSize: number;
  pauseInCommit?: boolean;
}

const KILL_POINTS: KillPoint[] = [
  // Big batches: users are still being fetched, not yet staged, when the kill lands.
  { name: 'during the pull', mode: 'full', at: /^page users 100$/, batchSize: 5_000 },
  { name: 'during staging', mode: 'full', at: /^staged enrollments 300$/, batchSize: 100 },
  {
    name: 'inside the commit transaction',
    mode: 'full',
    at: /^commit-paused$/,
    batchSize: 1_000,
    pauseInCommit: true,
  },
  {
    name: 'during staging of an incremental run',
    mode: 'incremental',
    at: /^staged users \d+$/,
    batchSize: 10,
  },
];

// About 380 users and 1,250 enrollments: dozens of 50-record pages, so every kill point is
// reached well before the run could finish.
const DISTRICT = {
  schools: 2,
  studentsPerSchool: 120,
  teachersPerSchool: 6,
  classesPerSchool: 16,
  coursesPerSchool: 8,
  classesPerStudent: 5,
};

/** Register the crash scenarios for one adapter. */
export function defineCrashSuite(title: string, target: () => CrashTarget, skip = false): void {
  describe.skipIf(skip)(title, () => {
    let storage: StorageAdapter;
    let dataset: Dataset;
    let server: MockListener;
    let children: TsChild[] = [];
    let tenants = 0;
    let crash: CrashTarget;

    beforeEach(async () => {
      crash = target();
      storage = await crash.open();
      dataset = generateDistrict({ seed: 20_260_301 + tenants, ...DISTRICT });
      // Latency per page keeps the child's run going for a second or so (about 40 pages of 50),
      // hundreds of milliseconds past every kill point: the kill lands mid-run even on a busy box.
      server = await createMockOneRoster({ dataset, version: '1.2', latencyMs: 15 }).listen();
    });
    afterEach(async () => {
      await Promise.all(children.map((child) => child.kill()));
      children = [];
      await server.close();
      await storage.close();
    });

    const tenant = () => `crash-${process.pid}-${++tenants}`;
    const startChild = (env: Record<string, string>) => {
      const child = spawnTs({ file: SYNC_CHILD }, { ...crash.childEnv, ...env });
      children.push(child);
      return child;
    };

    for (const point of KILL_POINTS) {
      it(`killed ${point.name}: the store and cursor stay as committed, the next run completes`, async () => {
        const tenantId = tenant();
        const first = await runSync(storage, server.baseUrl, tenantId, 'full');
        expect(first.status).toBe('succeeded');
        const committed = await snapshot(storage, tenantId);
        changeDistrict(dataset, point.mode === 'incremental');

        const child = startChild({
          CRASH_BASE_URL: server.baseUrl,
          CRASH_TENANT: tenantId,
          CRASH_MODE: point.mode,
          CRASH_BATCH_SIZE: String(point.batchSize),
          CRASH_PAGE_SIZE: '50',
          ...(point.pauseInCommit && { CRASH_PAUSE_IN_COMMIT: '1' }),
        });
        await child.waitForLine(point.at);
        await child.kill();
        expect(child.lines).not.toContain('committed');

        expect(await snapshot(storage, tenantId)).toEqual(committed);

        const next = await runSyncOnceUnlocked(storage, server.baseUrl, tenantId, point.mode);
        expect(next.status, next.reason).toBe('succeeded');
        expect((await storage.getState(tenantId))?.runId).toBe(next.runId);
        await expectStoreMatchesDataset(storage, tenantId, dataset, server.baseUrl);
      });
    }

    it('killed as soon as it starts committing (no hook): all of the run or none of it', async () => {
      const tenantId = tenant();
      await runSync(storage, server.baseUrl, tenantId, 'full');
      const committed = await snapshot(storage, tenantId);
      changeDistrict(dataset);
      const child = startChild({
        CRASH_BASE_URL: server.baseUrl,
        CRASH_TENANT: tenantId,
        CRASH_MODE: 'full',
        CRASH_PAGE_SIZE: '200',
      });
      await child.waitForLine(/^committing$/);
      await child.kill();
      const after = await snapshot(storage, tenantId);
      if (JSON.stringify(after) !== JSON.stringify(committed)) {
        // The commit won the race: then all of it is there, state and report included.
        expect(after.state?.runId).not.toBe(committed.state?.runId);
        expect(after.runs[0]).toBe(`${after.state?.runId}:succeeded`);
        await expectStoreMatchesDataset(storage, tenantId, dataset, server.baseUrl);
      }
      const next = await runSyncOnceUnlocked(storage, server.baseUrl, tenantId, 'full');
      expect(next.status).toBe('succeeded');
      await expectStoreMatchesDataset(storage, tenantId, dataset, server.baseUrl);
    });

    it('refuses other runs of the tenant (this and another process) at once, lets other tenants run, and recovers the lock after SIGKILL', async () => {
      const tenantId = tenant();
      await runSync(storage, server.baseUrl, tenantId, 'full');
      changeDistrict(dataset);
      const env = {
        CRASH_BASE_URL: server.baseUrl,
        CRASH_TENANT: tenantId,
        CRASH_MODE: 'full',
        CRASH_PAGE_SIZE: '200',
      };
      // Mid-run with staged rows: the lock is held, no database write lock is.
      const holder = startChild({ ...env, CRASH_PAUSE_AFTER_STAGE: '1' });
      await holder.waitForLine(/^stage-paused$/);

      const started = performance.now();
      await expect(runSync(storage, server.baseUrl, tenantId, 'full')).rejects.toBeInstanceOf(
        SyncLockedError,
      );
      expect(performance.now() - started).toBeLessThan(2_000);
      const rival = startChild(env);
      expect(await rival.exited).toEqual({ code: 0, signal: null });
      expect(rival.lines).toEqual(['locked']);
      // Another tenant syncs (and commits) while the first run holds its lock.
      const other = await runSync(storage, server.baseUrl, tenant(), 'full');
      expect(other.status, other.reason).toBe('succeeded');

      await holder.kill();
      const next = await runSyncOnceUnlocked(storage, server.baseUrl, tenantId, 'full');
      expect(next.status).toBe('succeeded');
      await expectStoreMatchesDataset(storage, tenantId, dataset, server.baseUrl);
    });
  });
}
