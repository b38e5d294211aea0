/**
 * One sync run in its own process, for the crash tests: the parent starts it, reads progress
 * lines on stdout and SIGKILLs it at the point under test.
 *
 * Environment:
 * - `CRASH_ADAPTER`: `sqlite` or `postgres`; `CRASH_DB`: file path or connection string;
 *   `CRASH_SCHEMA`: PostgreSQL schema.
 * - `CRASH_BASE_URL`: the parent's mock server; `CRASH_TENANT`; `CRASH_MODE` (`full`,
 *   `incremental`, `auto`); `CRASH_BATCH_SIZE`, `CRASH_PAGE_SIZE`.
 * - `CRASH_PAUSE_IN_COMMIT=1`: block inside the commit transaction (via the adapters' test
 *   hook) after printing `commit-paused`, so the parent kills it exactly there.
 * - `CRASH_PAUSE_AFTER_STAGE=1`: after the first `stage()`, print `stage-paused` and wait
 *   (holding the tenant lock, mid-run) until killed.
 *
 * Lines (written synchronously, so none is lost to the kill): `page <resource> <records>`,
 * `staged <resource> <total>`, `stage-paused`, `committing`, `commit-paused`, `committed`,
 * `done <status>`, `locked`.
 */
import { writeSync } from 'node:fs';
import { OneRosterClient } from '../../../src/index';
import type { SyncResource } from '../../../src/models/types';
import { PostgresStorage } from '../../../src/storage/postgres';
import { SqliteStorage } from '../../../src/storage/sqlite';
import type { StagedRun, StorageAdapter } from '../../../src/storage/types';
import { createSync, SyncLockedError } from '../../../src/sync';

function line(text: string): void {
  writeSync(1, `${text}\n`);
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const PAUSE_MS = 60_000;

function openStorage(): StorageAdapter {
  const pause = process.env.CRASH_PAUSE_IN_COMMIT === '1';
  if (env('CRASH_ADAPTER') === 'sqlite') {
    return new SqliteStorage({
      path: env('CRASH_DB'),
      ...(pause && {
        testHooks: {
          insideCommit: () => {
            line('commit-paused');
            // better-sqlite3 commits synchronously: block the thread inside the transaction.
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
          },
        },
      }),
    });
  }
  return new PostgresStorage({
    connectionString: env('CRASH_DB'),
    schema: env('CRASH_SCHEMA'),
    ...(pause && {
      testHooks: {
        insideCommit: async () => {
          line('commit-paused');
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        },
      },
    }),
  });
}

/** The storage, reporting staging and commit progress. */
function reporting(storage: StorageAdapter): StorageAdapter {
  const wrapRun = (run: StagedRun): StagedRun => {
    const staged = new Map<SyncResource, number>();
    return {
      runId: run.runId,
      tenantId: run.tenantId,
      stage: async (resource, records) => {
        await run.stage(resource, records);
        const total = (staged.get(resource) ?? 0) + records.length;
        staged.set(resource, total);
        line(`staged ${resource} ${total}`);
        if (process.env.CRASH_PAUSE_AFTER_STAGE === '1') {
          line('stage-paused');
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        }
      },
      plan: (input) => run.plan(input),
      commit: async (input) => {
        line('committing');
        const counts = await run.commit(input);
        line('committed');
        return counts;
      },
      discard: () => run.discard(),
    };
  };
  return {
    kind: storage.kind,
    acquireLock: (tenantId, runId) => storage.acquireLock(tenantId, runId),
    getState: (tenantId) => storage.getState(tenantId),
    beginRun: async (tenantId, runId) => wrapRun(await storage.beginRun(tenantId, runId)),
    recordRun: (report) => storage.recordRun(report),
    get: (resource, sourcedId, options) => storage.get(resource, sourcedId, options),
    list: (resource, options) => storage.list(resource, options),
    count: (resource, options) => storage.count(resource, options),
    runs: (options) => storage.runs(options),
    close: () => storage.close(),
  };
}

const storage = openStorage();
const client = new OneRosterClient({
  baseUrl: env('CRASH_BASE_URL'),
  pageSize: Number(process.env.CRASH_PAGE_SIZE ?? 50),
  rateLimit: false,
});
const sync = createSync({
  client,
  storage: reporting(storage),
  tenantId: env('CRASH_TENANT'),
  batchSize: Number(process.env.CRASH_BATCH_SIZE ?? 1000),
  onEvent: (event) => {
    if (event.type === 'page') line(`page ${event.resource} ${event.records}`);
  },
});
try {
  const report = await sync.run({ mode: env('CRASH_MODE') as 'full' | 'incremental' | 'auto' });
  line(`done ${report.status}`);
  if (report.status !== 'succeeded') line(`reason ${report.reason ?? ''}`);
} catch (error) {
  if (error instanceof SyncLockedError) line('locked');
  else throw error;
} finally {
  await storage.close();
}
