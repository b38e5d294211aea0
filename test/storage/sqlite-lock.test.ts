import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStorage } from '../../src/storage/sqlite';
import type { StagedRecord, SyncState } from '../../src/storage/types';
import { StorageError } from '../../src/sync/errors';
import type { SyncReport } from '../../src/sync/report';
import { spawnTs } from '../crash/support/spawn-ts';

const dir = mkdtempSync(join(tmpdir(), 'oneroster-sqlite-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `db-${++files}.sqlite`);

const open: SqliteStorage[] = [];
function storage(path: string, options: { now?: () => Date; lockLeaseMs?: number } = {}) {
  const s = new SqliteStorage({ path, ...options });
  open.push(s);
  return s;
}
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** Write a lock row as another process would have. */
function plantLock(
  path: string,
  row: { pid: number; hostname?: string; pidNamespace?: string | null; leaseExpiresAt: number },
) {
  const db = new Database(path);
  db.prepare(
    `INSERT INTO locks (tenant_id, run_id, token, pid, hostname, pid_namespace, acquired_at, lease_expires_at)
     VALUES ('t', 'planted-run', 'planted-token', ?, ?, ?, '2026-01-01T00:00:00.000Z', ?)`,
  ).run(
    row.pid,
    row.hostname ?? hostname(),
    row.pidNamespace === undefined ? pidNamespace() : row.pidNamespace,
    row.leaseExpiresAt,
  );
  db.close();
}

async function deadPid(): Promise<number> {
  const child = spawnTs({ code: '' });
  await child.exited;
  return child.pid;
}

const org: StagedRecord<'orgs'> = {
  sourcedId: 'o-1',
  status: 'active',
  dateLastModified: '2026-01-01T00:00:00.000Z',
  data: {
    sourcedId: 'o-1',
    status: 'active',
    dateLastModified: '2026-01-01T00:00:00.000Z',
    name: 'School',
    type: 'school',
  },
  raw: {},
  hash: 'h',
};

function commitInput(runId: string) {
  const state: SyncState = { cursors: {}, incrementalRunsSinceFull: 0, runId };
  const report = {
    runId,
    tenantId: 't',
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
  } satisfies SyncReport;
  return { resources: ['orgs' as const], sweep: [], state, report };
}

describe('SqliteStorage tenant lock across processes', () => {
  it('is refused while another live process holds it, and taken at once after that process is SIGKILLed', async () => {
    const path = freshPath();
    storage(path); // create the schema before the child races us
    const child = spawnTs(
      {
        code: `
          import { SqliteStorage } from './src/storage/sqlite/index.ts';
          const storage = new SqliteStorage({ path: process.env.DB_PATH });
          const lock = await storage.acquireLock('t', 'child-run');
          console.log(lock ? 'locked' : 'busy');
          setInterval(() => {}, 1000);
        `,
      },
      { DB_PATH: path },
    );
    try {
      await child.waitForLine(/^locked$/);
      const parent = storage(path);
      expect(await parent.acquireLock('t', 'parent-run')).toBeNull();
      // Another tenant is not affected.
      expect(await parent.acquireLock('other-tenant', 'parent-run')).not.toBeNull();
      await child.kill();
      // The lease (30 s) has not expired: the takeover is because the holder's PID is gone.
      const lock = await parent.acquireLock('t', 'parent-run');
      expect(lock).not.toBeNull();
      await lock?.release();
    } finally {
      await child.kill();
    }
  });

  it('takes over a lock whose holder on this host is dead even with a valid lease', async () => {
    const path = freshPath();
    const s = storage(path);
    plantLock(path, { pid: await deadPid(), leaseExpiresAt: Date.now() + 3_600_000 });
    expect(await s.acquireLock('t', 'r')).not.toBeNull();
  });

  it('does not trust PIDs of another host or PID namespace: only the lease frees those', async () => {
    const path = freshPath();
    const dead = await deadPid();
    const leaseExpiresAt = Date.now() + 60_000;
    const now = storage(path);
    plantLock(path, { pid: dead, hostname: 'another-host', leaseExpiresAt });
    expect(await now.acquireLock('t', 'r')).toBeNull();
    const db = new Database(path);
    db.prepare("UPDATE locks SET hostname = ?, pid_namespace = 'pid:[1]'").run(hostname());
    db.close();
    expect(await now.acquireLock('t', 'r')).toBeNull();
    const later = storage(path, { now: () => new Date(leaseExpiresAt + 1) });
    expect(await later.acquireLock('t', 'r')).not.toBeNull();
  });

  it('renews its lease in the background so a long run keeps the lock', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const path = freshPath();
    const holder = storage(path, { lockLeaseMs: 3_000 });
    const lock = await holder.acquireLock('t', 'long-run');
    expect(lock).not.toBeNull();
    // Far past the first lease: renewals (every second) must have pushed it forward.
    vi.advanceTimersByTime(10_000);
    const rival = storage(path, { lockLeaseMs: 3_000 });
    expect(await rival.acquireLock('t', 'rival')).toBeNull();
    await lock?.release();
    expect(await rival.acquireLock('t', 'rival')).not.toBeNull();
  });

  it('lets an expired lease be taken over, and fences the old holder out of commit', async () => {
    const path = freshPath();
    const holder = storage(path, { lockLeaseMs: 1_000 });
    const lock = await holder.acquireLock('t', 'slow-run');
    const run = await holder.beginRun('t', 'slow-run');
    await run.stage('orgs', [org]);
    // A process whose clock is past the lease (the holder hung and stopped renewing).
    const rival = storage(path, { now: () => new Date(Date.now() + 5_000) });
    const rivalLock = await rival.acquireLock('t', 'rival-run');
    expect(rivalLock).not.toBeNull();
    const error = await run.commit(commitInput('slow-run')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(String(error)).toMatch(
      /nothing was committed: the tenant lock of run slow-run was lost/,
    );
    expect(await holder.count('orgs', { tenantId: 't' })).toBe(0);
    expect(await holder.getState('t')).toBeNull();
    // The old holder's release must not free the rival's lock.
    await lock?.release();
    expect(await storage(path).acquireLock('t', 'third')).toBeNull();
    await rivalLock?.release();
  });

  it('refuses a commit while another run holds the tenant lock', async () => {
    const path = freshPath();
    const s = storage(path);
    const lock = await s.acquireLock('t', 'holder');
    const intruder = await s.beginRun('t', 'intruder');
    await intruder.stage('orgs', [org]);
    await expect(intruder.commit(commitInput('intruder'))).rejects.toThrow(
      /the tenant lock is held by run holder/,
    );
    await lock?.release();
  });

  it('answers "locked" at once while the holder is committing (holding the write lock)', async () => {
    const path = freshPath();
    const holder = storage(path);
    expect(await holder.acquireLock('t', 'committing-run')).not.toBeNull();
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      expect(await storage(path).acquireLock('t', 'second-run')).toBeNull();
      // Far below the 5 s busy timeout: the check never waited for the write lock.
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('releases held locks on close()', async () => {
    const path = freshPath();
    const a = storage(path);
    expect(await a.acquireLock('t', 'r1')).not.toBeNull();
    await a.close();
    expect(await storage(path).acquireLock('t', 'r2')).not.toBeNull();
  });
});
