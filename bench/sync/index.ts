/**
 * Sync benchmark: full sync of a generated district from the loopback mock server into SQLite
 * (and PostgreSQL when reachable), against a baseline measured in the same run, plus an
 * incremental run after 1% of the records changed. Every measured run is its own process, so
 * its peak RSS is its own; the mock server and the dataset live in this process.
 *
 *   npx tsx bench/sync/index.ts            # 10k and 50k users
 *   npx tsx bench/sync/index.ts --small    # 10k users only
 *   npx tsx bench/sync/index.ts --large    # 50k users only
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
import {
  createMockOneRoster,
  type GenerateDistrictOptions,
  generateDistrict,
  mutate,
} from '../../src/testing';
import { LARGE, SMALL } from './districts';
import type { ChildResult } from './measure-child';

const CHILD = fileURLToPath(new URL('./measure-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PG_URL = process.env.ONEROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
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
  baseline: Measured;
  sqlite: Measured;
  sqliteIncremental: Measured;
  changed: number;
  postgres?: Measured;
  postgresIncremental?: Measured;
}

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
  try {
    console.log(`\n${label}: ${JSON.stringify(dataset.counts())}`);
    // The baseline runs twice (first and after the SQLite sync); the faster one counts, so the
    // ratio is not flattered by a cold first pass.
    const baseline1 = await measured(['baseline', server.baseUrl, join(dir, 'baseline-1.db')]);
    log('baseline (1st)', baseline1);
    const sqlite = await measured([
      'sync',
      server.baseUrl,
      'sqlite',
      join(dir, 'store.db'),
      'full',
    ]);
    log('sqlite full', sqlite);
    const baseline2 = await measured(['baseline', server.baseUrl, join(dir, 'baseline-2.db')]);
    log('baseline (2nd)', baseline2);
    const baseline = baseline1.ms <= baseline2.ms ? baseline1 : baseline2;
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
      join(dir, 'store.db'),
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
      records: sqlite.records,
      baseline,
      sqlite,
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
const withPg = await postgresReachable();
if (!withPg) console.log(`PostgreSQL at ${PG_URL} is unreachable: PostgreSQL runs skipped.`);
const results: SizeResult[] = [];
if (only !== 'large') results.push(await measure('10k users', SMALL, withPg));
if (only !== 'small') results.push(await measure('50k users', LARGE, withPg));

const check = (ok: boolean) => (ok ? 'ok' : 'MISSED');
console.log('\nSummary (targets: ratio <= 2.0, peak RSS < 300 MB, incremental <= 10% of full)');
for (const r of results) {
  const ratio = r.sqlite.ms / r.baseline.ms;
  const cpuRatio = (r.sqlite.cpuMs ?? 0) / (r.baseline.cpuMs ?? 1);
  const incShare = r.sqliteIncremental.ms / r.sqlite.ms;
  console.log(
    `  ${r.label}: sqlite ${rate(r.sqlite)} rec/s vs baseline ${rate(r.baseline)} rec/s = ` +
      `${ratio.toFixed(2)}x [${check(ratio <= 2)}] (client CPU ${cpuRatio.toFixed(2)}x); peak RSS ${mb(r.sqlite)} MB ` +
      `[${check(r.sqlite.peakRssMb < 300)}]; incremental (${r.changed} changed) ` +
      `${secs(r.sqliteIncremental.ms)} s = ${(incShare * 100).toFixed(1)}% [${check(incShare <= 0.1)}]` +
      ` (storage ${secs(storageMs(r.sqliteIncremental))} s, server busy ${secs(r.sqliteIncremental.serverMs)} s)`,
  );
  if (r.postgres && r.postgresIncremental) {
    const pgRatio = r.postgres.ms / r.baseline.ms;
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
  const growth = b.sqlite.peakRssMb - a.sqlite.peakRssMb;
  console.log(
    `  peak RSS 10k -> 50k users: ${mb(a.sqlite)} -> ${mb(b.sqlite)} MB (+${Math.round(growth)} MB ` +
      `for ${Math.round(b.records / a.records)}x the records)`,
  );
}
