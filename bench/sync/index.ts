/**
 * Sync benchmark: full sync of a generated district from the loopback mock server into SQLite
 * (and PostgreSQL when reachable), against a baseline measured in the same run, plus an
 * incremental run after 1% of the records changed. Every measured run is its own process, so
 * its peak RSS is its own; the mock server and the dataset live in this process.
 *
 *   npx tsx bench/sync/index.ts            # 10k and 50k users
 *   npx tsx bench/sync/index.ts --small    # 10k users only
 *   npx tsx bench/sync/index.ts --large    # 50k users only
 *   npx tsx bench/sync/index.ts --tsx      # children run the TypeScript through tsx, not built
 *   npx tsx bench/sync/index.ts --rounds 5 # baseline/SQLite rounds per size (default 3)
 *   ONEROSTER_TEST_PG_URL=postgres://... npx tsx bench/sync/index.ts
 *
 * Targets (issue 4): full sync <= 2x the baseline; peak RSS < 300 MB and flat with district
 * size; incremental after 1% changes <= 10% of the full sync's time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SYNC_RESOURCES } from '../../src/models/types';
import {
  createMockOneRoster,
  type GenerateDistrictOptions,
  generateDistrict,
  mutate,
} from '../../src/testing';
import { buildChild } from './build-child';
import { LARGE, SMALL } from './districts';
import type { ChildResult } from './measure-child';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PG_URL = process.env.ONEROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** `node` arguments that run the child: the bundled JavaScript, or the sources through tsx. */
const CHILD_ARGS = process.argv.includes('--tsx')
  ? ['--import', 'tsx', fileURLToPath(new URL('./measure-child.ts', import.meta.url))]
  : [await buildChild()];

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CHILD_ARGS, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('result '));
      if (code !== 0 || !line) {
        reject(new Error(`${args[0]} failed (exit ${code}):\n${stderr}`));
        return;
      }
      resolve(JSON.parse(line.slice('result '.length)) as ChildResult);
    });
  });
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

/** How long at least one request was being served: the union of the requests' intervals. */
function busyMs(entries: ReadonlyArray<{ time: number; durationMs: number }>): number {
  const spans = entries
    .map((e) => [e.time, e.time + e.durationMs] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

const storageMs = (r: ChildResult) => (r.stageMs ?? 0) + (r.planMs ?? 0) + (r.commitMs ?? 0);
const rate = (r: ChildResult) => Math.round(r.records / (r.ms / 1000));
const secs = (ms: number) => (ms / 1000).toFixed(1);
const mb = (r: ChildResult) => Math.round(r.peakRssMb);

type Measured = ChildResult & { serverMs: number };

interface SizeResult {
  label: string;
  records: number;
  /** Per round: the SQLite full sync and the faster of the baselines run just before and after it. */
  rounds: Array<{ baseline: Measured; sqlite: Measured }>;
  /** The round with the median ratio. */
  median: { baseline: Measured; sqlite: Measured };
  sqliteIncremental: Measured;
  changed: number;
  postgres?: Measured;
  postgresIncremental?: Measured;
}

const ratioOf = (round: { baseline: Measured; sqlite: Measured }) =>
  round.sqlite.ms / round.baseline.ms;

/** The value's argument `--name <n>` as a positive integer, else `fallback`. */
function intArg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? Number.NaN : Number(process.argv[at + 1]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const ROUNDS = intArg('--rounds', 3);

async function measure(label: string, options: GenerateDistrictOptions, withPg: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'oneroster-bench-'));
  const dataset = generateDistrict(options);
  const mock = createMockOneRoster({ dataset, version: '1.2' });
  const server = await mock.listen();
  /** Run a child and add how long the mock server was busy serving it. */
  const measured = async (args: string[]): Promise<ChildResult & { serverMs: number }> => {
    mock.log.clear();
    const result = await runChild(args);
    return { ...result, serverMs: busyMs(mock.log.entries) };
  };
  const schema = `oneroster_bench_${process.pid}`;
  const log = (what: string, r: Measured) =>
    console.log(
      `  ${what.padEnd(22)} ${String(r.records).padStart(7)} records  ${secs(r.ms).padStart(6)} s` +
        ` (server busy ${secs(r.serverMs)} s)` +
        `  ${String(rate(r)).padStart(6)} rec/s  peak RSS ${mb(r)} MB` +
        ` (heap ${r.peakHeapUsedMb}/${r.peakHeapTotalMb} MB, external ${r.peakExternalMb} MB)` +
        (r.commitMs === undefined
          ? ''
          : `  (stage ${secs(r.stageMs ?? 0)} s, plan ${secs(r.planMs ?? 0)} s, commit ${secs(r.commitMs)} s)`),
    );
  const baselineRun = async (n: number) => {
    const path = join(dir, `baseline-${n}.db`);
    const result = await measured(['baseline', server.baseUrl, path]);
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    log(`baseline (${n + 1})`, result);
    return result;
  };
  try {
    console.log(`\n${label}: ${JSON.stringify(dataset.counts())}`);
    // Baselines and SQLite full syncs alternate; each sync is compared with the faster of the
    // baselines just before and after it (so neither a cold first pass nor a burst of load on
    // one side decides the ratio), and the median round counts. The first baseline also warms
    // the mock's render cache for everyone.
    const rounds: SizeResult['rounds'] = [];
    let before = await baselineRun(0);
    let store = '';
    for (let round = 0; round < ROUNDS; round++) {
      if (store) rmSync(store, { force: true });
      store = join(dir, `store-${round}.db`);
      const sqlite = await measured(['sync', server.baseUrl, 'sqlite', store, 'full']);
      log(`sqlite full (${round + 1})`, sqlite);
      const after = await baselineRun(round + 1);
      rounds.push({ sqlite, baseline: before.ms <= after.ms ? before : after });
      before = after;
    }
    const median = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b))[
      Math.floor((rounds.length - 1) / 2)
    ] as SizeResult['rounds'][number];
    let postgres: Measured | undefined;
    if (withPg) {
      await dropSchema(schema);
      postgres = await measured([
        'sync',
        server.baseUrl,
        'postgres',
        `${PG_URL}#${schema}`,
        'full',
      ]);
      log('postgres full', postgres);
    }

    // A real server answers a delta query from an index; the mock builds its dateLastModified
    // index on the first one. Build it now, untimed, so the incremental runs measure the sync and
    // not the mock's one-off scan (mutate's changes then update it record by record).
    for (const kind of SYNC_RESOURCES) {
      await mock.fetch(
        `${mock.baseUrl}/${kind}?limit=1&filter=${encodeURIComponent(`dateLastModified>='${new Date().toISOString()}'`)}`,
      );
    }
    const { changes } = mutate(dataset, {
      seed: 7,
      update: { users: 0.01, enrollments: 0.01, classes: 0.01, courses: 0.01, demographics: 0.01 },
      markToBeDeleted: { enrollments: 0.001 },
    });
    const changed = Object.values(changes.updated)
      .concat(Object.values(changes.tobedeleted))
      .reduce((sum, ids) => sum + ids.length, 0);
    console.log(`  mutate: ${changed} records changed`);
    const sqliteIncremental = await measured([
      'sync',
      server.baseUrl,
      'sqlite',
      store,
      'incremental',
    ]);
    log('sqlite incremental', sqliteIncremental);
    let postgresIncremental: Measured | undefined;
    if (withPg) {
      postgresIncremental = await measured([
        'sync',
        server.baseUrl,
        'postgres',
        `${PG_URL}#${schema}`,
        'incremental',
      ]);
      log('postgres incremental', postgresIncremental);
    }
    const result: SizeResult = {
      label,
      records: median.sqlite.records,
      rounds,
      median,
      sqliteIncremental,
      changed,
    };
    if (postgres) result.postgres = postgres;
    if (postgresIncremental) result.postgresIncremental = postgresIncremental;
    return result;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    if (withPg) await dropSchema(schema);
  }
}

const only = process.argv.includes('--small')
  ? 'small'
  : process.argv.includes('--large')
    ? 'large'
    : undefined;
console.log(
  CHILD_ARGS.length === 1
    ? 'Measured runs: bundled JavaScript (tsup) run with node, as the built package runs.'
    : 'Measured runs: TypeScript sources through tsx.',
);
const withPg = await postgresReachable();
if (!withPg) console.log(`PostgreSQL at ${PG_URL} is unreachable: PostgreSQL runs skipped.`);
const results: SizeResult[] = [];
if (only !== 'large') results.push(await measure('10k users', SMALL, withPg));
if (only !== 'small') results.push(await measure('50k users', LARGE, withPg));

const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');
const peakOf = (r: SizeResult) => Math.max(...r.rounds.map((round) => round.sqlite.peakRssMb));
console.log(
  `\nSummary, median of ${ROUNDS} round(s) (targets: ratio <= 2.0, peak RSS < 300 MB, ` +
    'incremental <= 10% of full)',
);
for (const r of results) {
  const { sqlite, baseline } = r.median;
  const ratio = ratioOf(r.median);
  const ratios = r.rounds.map((round) => ratioOf(round).toFixed(2)).join(', ');
  const cpuRatio = (sqlite.cpuMs ?? 0) / (baseline.cpuMs ?? 1);
  const incShare = r.sqliteIncremental.ms / sqlite.ms;
  console.log(
    `  ${r.label}: sqlite ${rate(sqlite)} rec/s vs baseline ${rate(baseline)} rec/s = ` +
      `${ratio.toFixed(2)}x [${check(ratio <= 2)}] (rounds ${ratios}; process CPU ` +
      `${cpuRatio.toFixed(2)}x); peak RSS ${Math.round(peakOf(r))} MB [${check(peakOf(r) < 300)}]; ` +
      `incremental (${r.changed} changed) ${secs(r.sqliteIncremental.ms)} s = ` +
      `${(incShare * 100).toFixed(1)}% [${check(incShare <= 0.1)}]` +
      ` (storage ${secs(storageMs(r.sqliteIncremental))} s, server busy ${secs(r.sqliteIncremental.serverMs)} s)`,
  );
  if (r.postgres && r.postgresIncremental) {
    const pgRatio = r.postgres.ms / baseline.ms;
    const pgInc = r.postgresIncremental.ms / r.postgres.ms;
    console.log(
      `  ${r.label}: postgres ${rate(r.postgres)} rec/s = ${pgRatio.toFixed(2)}x baseline; ` +
        `peak RSS ${mb(r.postgres)} MB; incremental ${secs(r.postgresIncremental.ms)} s = ` +
        `${(pgInc * 100).toFixed(1)}% of full`,
    );
  }
}
if (results.length === 2) {
  const [a, b] = results as [SizeResult, SizeResult];
  console.log(
    `  peak RSS 10k -> 50k users: ${Math.round(peakOf(a))} -> ${Math.round(peakOf(b))} MB ` +
      `(${peakOf(b) >= peakOf(a) ? '+' : ''}${Math.round(peakOf(b) - peakOf(a))} MB for ` +
      `${Math.round(b.records / a.records)}x the records)`,
  );
}
