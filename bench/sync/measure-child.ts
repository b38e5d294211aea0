/**
 * One measured run in its own process, so that its peak RSS is its own (the mock server and the
 * dataset live in the parent). Prints one JSON line, `result <json>`.
 *
 * argv: `baseline <baseUrl> <sqlitePath>` | `sync <baseUrl> sqlite <path> <mode>` |
 * `sync <baseUrl> postgres <connectionString>#<schema> <mode>`.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { OneRosterClient } from '../../src/index';
import { SYNC_RESOURCES, type SyncResource } from '../../src/models/types';
import { PostgresStorage } from '../../src/storage/postgres';
import { SqliteStorage } from '../../src/storage/sqlite';
import type { StagedRun, StorageAdapter } from '../../src/storage/types';
import { createSync } from '../../src/sync';

/** Same page size and the same number of pages in flight as the client under test. */
export const PAGE_SIZE = 1_000;
export const IN_FLIGHT = 4;

/** What a child reports. */
export interface ChildResult {
  records: number;
  ms: number;
  peakRssMb: number;
  /** Peaks of V8's heap (used and reserved) and of memory outside it, sampled every 250 ms. */
  peakHeapUsedMb?: number;
  peakHeapTotalMb?: number;
  peakExternalMb?: number;
  /** CPU time (user + system) of this process during the run: steadier than wall time on a busy machine. */
  cpuMs?: number;
  /** Time inside stage() calls and inside commit(), for the sync runs. */
  stageMs?: number;
  commitMs?: number;
  planMs?: number;
  status?: string;
}

/**
 * Peak RSS of this process in MB. Linux's `getrusage` maxrss (`process.resourceUsage()`) is
 * carried across exec, so a spawned child would report its parent's RSS at fork time when that
 * is larger; `VmHWM` belongs to the child's own address space.
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm?.[1]) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** The wrapper key of each collection endpoint (1.2). */
const PATHS: Record<SyncResource, string> = {
  orgs: 'orgs',
  academicSessions: 'academicSessions',
  courses: 'courses',
  classes: 'classes',
  users: 'users',
  enrollments: 'enrollments',
  demographics: 'demographics',
};

/**
 * The baseline: the same pages, fetched with the same concurrency, parsed with JSON.parse and
 * inserted with one prepared statement in one transaction; no validation, no normalisation,
 * no hashing, no staging.
 */
async function baseline(baseUrl: string, path: string): Promise<ChildResult> {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE records (resource TEXT NOT NULL, sourced_id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (resource, sourced_id))',
  );
  const insert = db.prepare('INSERT INTO records (resource, sourced_id, data) VALUES (?, ?, ?)');
  const started = performance.now();
  let records = 0;
  db.exec('BEGIN');
  for (const resource of SYNC_RESOURCES) {
    const page = async (offset: number) => {
      const response = await fetch(
        `${baseUrl}/${PATHS[resource]}?limit=${PAGE_SIZE}&offset=${offset}`,
      );
      const total = Number(response.headers.get('x-total-count'));
      const body = JSON.parse(await response.text()) as Record<
        string,
        Array<{ sourcedId: string }>
      >;
      return { items: body[resource] ?? [], total };
    };
    const first = await page(0);
    const offsets: number[] = [];
    for (let offset = PAGE_SIZE; offset < first.total; offset += PAGE_SIZE) offsets.push(offset);
    const store = (items: Array<{ sourcedId: string }>) => {
      for (const item of items) insert.run(resource, item.sourcedId, JSON.stringify(item));
      records += items.length;
    };
    store(first.items);
    // A window of IN_FLIGHT requests, consumed in order; a page is dropped once stored.
    const inFlight = offsets.slice(0, IN_FLIGHT).map(page);
    for (let i = 0; i < offsets.length; i++) {
      const next = offsets[i + IN_FLIGHT];
      if (next !== undefined) inFlight.push(page(next));
      const current = inFlight.shift();
      if (current) store((await current).items);
    }
  }
  db.exec('COMMIT');
  const ms = performance.now() - started;
  db.close();
  return { records, ms, peakRssMb: peakRssMb() };
}

/** A full or incremental sync through the engine into a storage adapter. */
async function sync(
  baseUrl: string,
  kind: string,
  target: string,
  mode: 'full' | 'incremental',
): Promise<ChildResult> {
  let storage: StorageAdapter;
  if (kind === 'sqlite') {
    storage = new SqliteStorage({ path: target });
  } else {
    const [connectionString = '', schema = 'oneroster_bench'] = target.split('#');
    storage = await PostgresStorage.connect({ connectionString, schema });
  }
  const timing = { stageMs: 0, commitMs: 0, planMs: 0 };
  const timed = async <T>(key: keyof typeof timing, fn: () => Promise<T>) => {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      timing[key] += performance.now() - start;
    }
  };
  const wrapRun = (run: StagedRun): StagedRun => ({
    runId: run.runId,
    tenantId: run.tenantId,
    stage: (resource, records) => timed('stageMs', () => run.stage(resource, records)),
    plan: (input) => timed('planMs', () => run.plan(input)),
    commit: (input) => timed('commitMs', () => run.commit(input)),
    discard: () => run.discard(),
  });
  const measured: StorageAdapter = {
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
  const client = new OneRosterClient({
    baseUrl,
    pageSize: PAGE_SIZE,
    // Loopback: no reason to throttle; the same pages in flight as the baseline.
    rateLimit: { maxConcurrent: IN_FLIGHT, requestsPerSecond: 100_000 },
  });
  const started = performance.now();
  const report = await createSync({ client, storage: measured, tenantId: 'bench' }).run({
    mode,
    force: true,
  });
  const ms = performance.now() - started;
  await storage.close();
  const records = Object.values(report.resources).reduce((sum, r) => sum + (r?.fetched ?? 0), 0);
  if (report.status !== 'succeeded') {
    throw new Error(
      `sync ${report.status}: ${report.reason ?? ''} ${JSON.stringify(report.errors)}`,
    );
  }
  return {
    records,
    ms,
    peakRssMb: peakRssMb(),
    ...timing,
    status: report.status,
  };
}

const peaks = { heapUsed: 0, heapTotal: 0, external: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  peaks.heapUsed = Math.max(peaks.heapUsed, usage.heapUsed);
  peaks.heapTotal = Math.max(peaks.heapTotal, usage.heapTotal);
  peaks.external = Math.max(peaks.external, usage.external);
}, 250);
sampler.unref();

const [command, baseUrl = '', ...rest] = process.argv.slice(2);
const cpuBefore = process.cpuUsage();
const result =
  command === 'baseline'
    ? await baseline(baseUrl, rest[0] ?? '')
    : await sync(
        baseUrl,
        rest[0] ?? '',
        rest[1] ?? '',
        (rest[2] ?? 'full') as 'full' | 'incremental',
      );
const cpu = process.cpuUsage(cpuBefore);
const mb = (bytes: number) => Math.round(bytes / 1_048_576);
console.log(
  `result ${JSON.stringify({
    ...result,
    peakHeapUsedMb: mb(peaks.heapUsed),
    peakHeapTotalMb: mb(peaks.heapTotal),
    peakExternalMb: mb(peaks.external),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  })}`,
);
