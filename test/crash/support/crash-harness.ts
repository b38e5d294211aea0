/**
 * The parent side of the crash tests: the adapters under test, snapshots of a tenant's store,
 * server-side changes, and the comparison of a store with the server's dataset.
 */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { OneRosterClient } from '../../../src/index';
import { SYNC_RESOURCES, type SyncResource } from '../../../src/models/types';
import { MemoryStorage } from '../../../src/storage/memory';
import type { StorageAdapter, SyncState } from '../../../src/storage/types';
import { createSync, SyncLockedError, type SyncReport } from '../../../src/sync';
import type { Dataset } from '../../../src/testing';

/** The child entry point. */
export const SYNC_CHILD = fileURLToPath(new URL('./sync-child.ts', import.meta.url));

/** A storage adapter the crash tests run against, from the parent and from children. */
export interface CrashTarget {
  name: string;
  /** Environment telling `sync-child.ts` how to open the same store. */
  childEnv: Record<string, string>;
  /** Open the same store in this process. */
  open(): Promise<StorageAdapter>;
}

/** What a tenant's store holds, including what must not change when a run dies. */
export interface StoreSnapshot {
  records: Partial<Record<SyncResource, string[]>>;
  state: SyncState | null;
  runs: string[];
}

/** Every record (tombstones too) with its bookkeeping, the state and the run ids. */
export async function snapshot(storage: StorageAdapter, tenantId: string): Promise<StoreSnapshot> {
  const records: StoreSnapshot['records'] = {};
  for (const resource of SYNC_RESOURCES) {
    const rows: string[] = [];
    for await (const r of storage.list(resource, { tenantId, includeDeleted: true })) {
      rows.push([r.sourcedId, r.status, r.hash, r.deletedAt, r.runId, r.syncedAt].join('|'));
    }
    records[resource] = rows;
  }
  const runs = (await storage.runs({ tenantId })).map((run) => `${run.runId}:${run.status}`);
  return { records, state: await storage.getState(tenantId), runs };
}

/** One in-process sync run against the mock at `baseUrl`. */
export function runSync(
  storage: StorageAdapter,
  baseUrl: string,
  tenantId: string,
  mode: 'full' | 'incremental',
): Promise<SyncReport> {
  // No client-side rate limit: the tests' own runs should not wait; the mock's latency paces
  // the child runs that get killed.
  const client = new OneRosterClient({ baseUrl, pageSize: 500, rateLimit: false });
  return createSync({ client, storage, tenantId }).run({ mode });
}

/**
 * Like {@link runSync}, but waits (bounded) while the lock is still held: PostgreSQL frees a
 * killed process's advisory lock when it notices the connection closed, a moment later.
 */
export async function runSyncOnceUnlocked(
  storage: StorageAdapter,
  baseUrl: string,
  tenantId: string,
  mode: 'full' | 'incremental',
): Promise<SyncReport> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runSync(storage, baseUrl, tenantId, mode);
    } catch (error) {
      if (!(error instanceof SyncLockedError) || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** What {@link changeDistrict} changed. */
export interface DistrictChanges {
  updatedUsers: number;
  tobedeletedEnrollments: number;
  hardDeletedEnrollments: number;
}

/**
 * Change the server's data the way a school day does: every 10th user edited, every 25th
 * enrollment marked `tobedeleted`, and (unless `incrementalOnly`, since only a full sync can see
 * them) every 30th other enrollment deleted outright. Changes are stamped after every existing
 * `dateLastModified`, so an incremental run picks them up.
 */
export function changeDistrict(dataset: Dataset, incrementalOnly = false): DistrictChanges {
  const at = new Date(Date.parse(dataset.latestModified) + 86_400_000).toISOString();
  const changes: DistrictChanges = {
    updatedUsers: 0,
    tobedeletedEnrollments: 0,
    hardDeletedEnrollments: 0,
  };
  for (const [i, user] of dataset.users.toArray().entries()) {
    if (i % 10 !== 0) continue;
    dataset.users.set({ ...user, givenName: `${user.givenName} (edited)`, dateLastModified: at });
    changes.updatedUsers++;
  }
  const deleted: string[] = [];
  for (const [i, enrollment] of dataset.enrollments.toArray().entries()) {
    if (i % 25 === 0) {
      dataset.enrollments.set({ ...enrollment, status: 'tobedeleted', dateLastModified: at });
      changes.tobedeletedEnrollments++;
    } else if (!incrementalOnly && i % 30 === 0) {
      deleted.push(enrollment.sourcedId);
    }
  }
  for (const id of deleted) dataset.enrollments.delete(id);
  changes.hardDeletedEnrollments = deleted.length;
  dataset.noteModified(at);
  return changes;
}

async function liveHashes(storage: StorageAdapter, tenantId: string, resource: SyncResource) {
  const out: string[] = [];
  for await (const r of storage.list(resource, { tenantId })) out.push(`${r.sourcedId}|${r.hash}`);
  return out;
}

/**
 * Assert the store holds exactly the server's dataset: per resource the live records are the
 * dataset's active ones with their `dateLastModified`, its `tobedeleted` ones are tombstones,
 * and every live record has the content (hash) a clean sync of the same server stores.
 */
export async function expectStoreMatchesDataset(
  storage: StorageAdapter,
  tenantId: string,
  dataset: Dataset,
  baseUrl: string,
): Promise<void> {
  const reference = new MemoryStorage();
  const clean = await runSync(reference, baseUrl, 'reference', 'full');
  expect(clean.status).toBe('succeeded');
  for (const resource of SYNC_RESOURCES) {
    const expectedLive: string[] = [];
    const expectedGone: string[] = [];
    for (const record of dataset.collection(resource).values()) {
      if (record.status === 'active') {
        expectedLive.push(`${record.sourcedId}|${record.dateLastModified}`);
      } else {
        expectedGone.push(record.sourcedId);
      }
    }
    const live: string[] = [];
    for await (const r of storage.list(resource, { tenantId })) {
      live.push(`${r.sourcedId}|${r.dateLastModified}`);
    }
    expect(live, resource).toEqual(expectedLive);
    for (const id of expectedGone) {
      const tomb = await storage.get(resource, id, { tenantId, includeDeleted: true });
      expect(tomb?.deletedAt ?? null, `${resource} ${id}`).not.toBeNull();
    }
    expect(await liveHashes(storage, tenantId, resource), resource).toEqual(
      await liveHashes(reference, 'reference', resource),
    );
  }
}
