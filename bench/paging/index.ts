/**
 * Paging benchmark: the client walking 200,000 user records (pages of 1,000) from a loopback
 * server, against a bare `fetch` + `JSON.parse` loop over the same pages, for OneRoster 1.1 and
 * 1.2 (the same users rendered by each version's `toWire`).
 *
 * Targets (one PASS/MISS line each at the end):
 * 1. Overhead, per version: the client iterating every record with validation on (the client's
 *    default mode, `lenient`: validate and normalise, skip invalid records) takes <= 1.3x the
 *    baseline. Measured with prefetch off (`maxConcurrent: 1`, one request at a time, like the
 *    baseline); both wall time and CPU time must pass. The default client (prefetching) is shown
 *    too, for information: it overlaps waiting with work, so its wall time is not comparable.
 * 2. Memory: peak RSS growth of the client's runs < 100 MB.
 * 3. Latency, per version: 20 ms added to every response, known total (`X-Total-Count`):
 *    `maxConcurrent: 4` is >= 3x faster than `maxConcurrent: 1`.
 *
 * How it measures, to be trustworthy on a shared 2-core machine:
 * - the server runs in a child process, so this process's CPU time is the client's (or the
 *   baseline's) alone, and the server's work is not added to both sides of the ratio;
 * - scenarios run interleaved round after round, alternating order, after a warm-up round; each
 *   figure is a median, and ratios are the median of per-round ratios (runs moments apart);
 * - CPU time is reported next to wall time, for the whole process (`process.cpuUsage`: GC
 *   helper threads count) and for the main thread alone (`process.threadCpuUsage`: JavaScript and
 *   GC pauses); other processes stealing the CPU inflate wall time, much less CPU time, and the
 *   main thread's least;
 * - every run must see exactly all records (a skipped record would fail the run);
 * - the per-round range of each ratio is printed: when it is wide, the machine was busy.
 * The rate limit is set to 1,000 requests/s in every scenario so that it never binds (the default,
 * 10/s, would cap both latency scenarios at 10 pages/s and hide the effect of concurrency). The
 * latency scenario counts requests outstanding at the client (sent, headers not yet back: mean
 * and peak) and inside the server's latency, and the main thread's busy share: together they say
 * whether the window of requests or the CPU sets the pace.
 *
 * The measured process runs the bundled JavaScript, as the built package runs: started through
 * tsx, this file bundles itself with tsup (see `./build`) and runs the bundle with node; pass
 * `--tsx` to measure the TypeScript sources through tsx instead.
 *
 * Run: `npx tsx bench/paging/index.ts [--records 200000] [--reps 9] [--latency-reps 5] [--tsx]`
 * Profile one scenario (`--only baseline-1.1`, `client-1.2`, `prefetch-1.1`, ...: runs it `--reps`
 * times and prints its figures; `--latency 20` adds the latency scenario's delay): after a run, `node --cpu-prof .tmp/bench-paging/index.js --only
 * client-1.1`, or `node --import tsx --cpu-prof bench/paging/index.ts --tsx --only client-1.1`.
 */
import { spawn } from 'node:child_process';
import { OneRosterClient } from '../../src/client';
import { parseRecord } from '../../src/models';
import type { OneRosterVersion } from '../../src/models/types';
import {
  cpuPerCall,
  describeRatio,
  gcExposed,
  InFlightMeter,
  interleave,
  mb,
  median,
  pairedRatio,
  type Run,
  Series,
  seconds,
} from './measure';
import { baseUrlFor } from './server';
import { startServerProcess } from './server-process';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const RECORDS = arg('records', 200_000);
const PAGE_SIZE = 1000;
const REPS = arg('reps', 9);
const LATENCY_REPS = arg('latency-reps', 5);
const LATENCY_MS = 20;
const RATE = 1000;
const VERSIONS: readonly OneRosterVersion[] = ['1.1', '1.2'];
const ONLY = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : undefined;

const TARGET_RATIO = 1.3;
const TARGET_MEMORY = 100 * 1024 * 1024;
const TARGET_SPEEDUP = 3;

/** The baseline: fetch each page and parse it, nothing else. */
function baseline(baseUrl: string): () => Promise<number> {
  return async () => {
    let records = 0;
    for (let offset = 0; offset < RECORDS; offset += PAGE_SIZE) {
      const response = await fetch(`${baseUrl}/users?limit=${PAGE_SIZE}&offset=${offset}`, {
        headers: { accept: 'application/json' },
      });
      const body = JSON.parse(await response.text()) as { users: unknown[] };
      records += body.users.length;
    }
    return records;
  };
}

/** The client with its defaults (validation `lenient`) but the given concurrency. */
function client(
  baseUrl: string,
  maxConcurrent: number,
  meter?: InFlightMeter,
): () => Promise<number> {
  const oneRoster = new OneRosterClient({
    baseUrl,
    pageSize: PAGE_SIZE,
    rateLimit: { maxConcurrent, requestsPerSecond: RATE },
    ...(meter ? { fetch: meter.fetch } : {}),
  });
  return async () => {
    let records = 0;
    // Read a normalised field so the loop cannot be anything but a real walk.
    for await (const user of oneRoster.users.list()) records += user.roles.length > 0 ? 1 : 0;
    return records;
  };
}

function describe(series: Series): string {
  const ms = series.median('ms');
  const cpu = series.median('cpuMs');
  const rate = Math.round(RECORDS / (ms / 1000)).toLocaleString('en-US');
  const thread = series.median('threadCpuMs');
  const faults = Math.round(series.median('pageFaults')).toLocaleString('en-US');
  return (
    `${series.label.padEnd(32)} wall ${seconds(ms)} (${rate} records/s), cpu ${seconds(cpu)} ` +
    `(main thread ${seconds(thread)}), peak growth rss ${mb(series.peak('rssGrowth'))}, heap ${mb(series.peak('heapGrowth'))}, ${faults} page faults`
  );
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

const TIMING = { ms: 'wall', cpuMs: 'cpu', threadCpuMs: 'main-thread cpu' } as const;

async function main(): Promise<void> {
  console.log(`Rendering ${RECORDS.toLocaleString('en-US')} users in pages of ${PAGE_SIZE}...`);
  const server = await startServerProcess({ count: RECORDS, pageSize: PAGE_SIZE, seed: 7 });
  try {
    console.log(
      `  JSON per collection: 1.1 ${mb(server.bytes['1.1'] ?? 0)}, 1.2 ${mb(server.bytes['1.2'] ?? 0)}; ` +
        `node ${process.version}; gc ${gcExposed ? 'exposed' : 'NOT exposed (pass --expose-gc)'}; ` +
        `server in a child process; validation lenient (client default); rate limit ${RATE}/s; ` +
        `measured code: ${import.meta.url.endsWith('.ts') ? 'TypeScript sources through tsx' : 'bundled JavaScript'}`,
    );
    if (ONLY !== undefined) return await only(server.port, ONLY);

    const targets: string[] = [];
    const result: Record<string, number> = { records: RECORDS };

    console.log(
      `\n1. Overhead on loopback, ${REPS} rounds of all six scenarios interleaved after a warm-up, medians:`,
    );
    // Both versions in the same rounds: whichever came first would otherwise also pay for the
    // heap growing to its working size.
    const perVersion = new Map<OneRosterVersion, { base: Series; seq: Series; pre: Series }>();
    for (const version of VERSIONS) {
      const url = baseUrlFor(server.port, version, 0);
      perVersion.set(version, {
        base: new Series(`${version} baseline fetch + JSON.parse`, baseline(url), RECORDS),
        seq: new Series(`${version} client, maxConcurrent 1`, client(url, 1), RECORDS),
        pre: new Series(`${version} client, maxConcurrent 4`, client(url, 4), RECORDS),
      });
    }
    await interleave(
      [...perVersion.values()].flatMap(({ base, seq, pre }) => [base, seq, pre]),
      REPS,
    );
    const clientRuns: Run[] = [];
    for (const [version, { base, seq, pre }] of perVersion) {
      clientRuns.push(...seq.runs, ...pre.runs);
      for (const s of [base, seq, pre]) console.log(`   ${describe(s)}`);
      const wall = pairedRatio(seq, base, 'ms');
      const cpu = pairedRatio(seq, base, 'cpuMs');
      const ratios = (runs: Series) =>
        (['ms', 'cpuMs', 'threadCpuMs'] as const)
          .map((key) => `${TIMING[key]} ${describeRatio(runs, base, key)}`)
          .join(', ');
      console.log(`   ${version} client/baseline, median (range) of ${REPS} rounds:`);
      console.log(`     sequential   ${ratios(seq)}`);
      console.log(`     prefetching  ${ratios(pre)}`);
      targets.push(
        `${verdict(wall <= TARGET_RATIO && cpu <= TARGET_RATIO)}  overhead ${version}: sequential client / baseline ` +
          `wall ${wall.toFixed(2)}x, cpu ${cpu.toFixed(2)}x (target <= ${TARGET_RATIO}x for both)`,
      );
      const key = version.replace('.', '');
      result[`ratioWall${key}`] = round(wall);
      result[`ratioCpu${key}`] = round(cpu);
      result[`ratioThreadCpu${key}`] = round(pairedRatio(seq, base, 'threadCpuMs'));
      result[`ratioWallPrefetch${key}`] = round(pairedRatio(pre, base, 'ms'));
    }
    const peak = Math.max(...clientRuns.map((run) => run.rssGrowth));
    result.peakRssGrowthMb = round(peak / 1024 / 1024, 1);
    targets.push(
      `${verdict(peak < TARGET_MEMORY)}  memory: client peak RSS growth ${mb(peak)} (target < 100 MB)`,
    );

    console.log(
      `\n2. ${LATENCY_MS} ms latency per response, known total, ${LATENCY_REPS} interleaved rounds after a warm-up, medians:`,
    );
    for (const version of VERSIONS) {
      const url = baseUrlFor(server.port, version, LATENCY_MS);
      // Both sides count their requests (the same small wrapper around fetch); the figures are
      // read around the maxConcurrent 4 runs: outstanding at the client (sent, headers not yet
      // back) and held at the server (inside its latency).
      const meter = new InFlightMeter();
      const one = new Series(`${version} client, maxConcurrent 1`, client(url, 1, meter), RECORDS);
      const four = new Series(`${version} client, maxConcurrent 4`, client(url, 4, meter), RECORDS);
      const fourTake = four.take.bind(four);
      let peakInFlight = 0;
      const meanInFlight: number[] = [];
      const meanAtServer: number[] = [];
      four.take = async () => {
        server.resetStats();
        meter.reset();
        const run = await fourTake();
        const atClient = meter.read();
        peakInFlight = Math.max(peakInFlight, atClient.peak);
        meanInFlight.push(atClient.mean);
        meanAtServer.push((await server.stats()).meanInFlight);
        return run;
      };
      await interleave([one, four], LATENCY_REPS);
      for (const s of [one, four]) console.log(`   ${describe(s)}`);
      const speedup = pairedRatio(one, four, 'ms');
      // Main-thread CPU over wall time: near 100% means the JavaScript thread, not the window of
      // requests, sets the pace.
      const busy = four.median('threadCpuMs') / four.median('ms');
      const rate = RECORDS / PAGE_SIZE / (four.median('ms') / 1000);
      console.log(
        `   ${version} maxConcurrent 4: ${median(meanInFlight).toFixed(1)} requests outstanding on average ` +
          `(peak ${peakInFlight}), ${median(meanAtServer).toFixed(1)} of them inside the server's latency; ` +
          `${rate.toFixed(0)} requests/s (the ${RATE}/s limit never binds); client main thread busy ` +
          `${(busy * 100).toFixed(0)}% of wall time` +
          (busy > 0.85 ? ' (CPU-bound)' : ''),
      );
      targets.push(
        `${verdict(speedup >= TARGET_SPEEDUP)}  latency ${version}: maxConcurrent 4 is ${speedup.toFixed(2)}x faster than 1 ` +
          `(target >= ${TARGET_SPEEDUP}x; ${median(meanInFlight).toFixed(1)} in flight on average, peak ${peakInFlight})`,
      );
      result[`meanInFlight${version.replace('.', '')}`] = round(median(meanInFlight), 2);
      result[`latencySpeedup${version.replace('.', '')}`] = round(speedup);
      result[`peakInFlight${version.replace('.', '')}`] = peakInFlight;
    }

    console.log('\n3. CPU per 1,000-record page (this process):');
    for (const version of VERSIONS) {
      const { base, seq } = perVersion.get(version) as { base: Series; seq: Series; pre: Series };
      const url = baseUrlFor(server.port, version, 0);
      const texts: string[] = [];
      for (let offset = 0; offset < 20 * PAGE_SIZE; offset += PAGE_SIZE) {
        texts.push(await (await fetch(`${url}/users?limit=${PAGE_SIZE}&offset=${offset}`)).text());
      }
      const parsed = texts.map((text) => (JSON.parse(text) as { users: unknown[] }).users);
      let i = 0;
      const jsonMs = cpuPerCall(() => JSON.parse(texts[i++ % texts.length] ?? '{}'), 40);
      let j = 0;
      const options = { version, mode: 'lenient' } as const;
      const parseMs = cpuPerCall(() => {
        for (const raw of parsed[j++ % parsed.length] ?? []) parseRecord('users', raw, options);
      }, 40);
      const pages = RECORDS / PAGE_SIZE;
      const baseCpu = base.median('cpuMs') / pages;
      const clientCpu = seq.median('cpuMs') / pages;
      console.log(
        `   ${version}: baseline ${baseCpu.toFixed(2)} ms (JSON.parse ${jsonMs.toFixed(2)} ms, fetch ${(baseCpu - jsonMs).toFixed(2)} ms); ` +
          `client ${clientCpu.toFixed(2)} ms (parseRecord ${parseMs.toFixed(2)} ms, ` +
          `rest over baseline ${(clientCpu - baseCpu - parseMs).toFixed(2)} ms: transport, paging, iteration)`,
      );
      const key = version.replace('.', '');
      result[`jsonParseMsPerPage${key}`] = round(jsonMs);
      result[`parseRecordMsPerPage${key}`] = round(parseMs);
      result[`clientMinusBaselineMsPerPage${key}`] = round(clientCpu - baseCpu);
    }

    console.log('\nTargets:');
    for (const line of targets) console.log(`  ${line}`);
    console.log(`\nRESULT ${JSON.stringify(result)}`);
  } finally {
    server.close();
  }
}

/** Run one scenario alone (for profiling). */
async function only(port: number, name: string): Promise<void> {
  const match = /^(baseline|client|prefetch)-(1\.[12])$/.exec(name);
  if (!match) throw new Error('--only takes baseline-1.1, client-1.1, prefetch-1.1 (or 1.2)');
  const version = match[2] as OneRosterVersion;
  const url = baseUrlFor(port, version, arg('latency', 0));
  const fn = match[1] === 'baseline' ? baseline(url) : client(url, match[1] === 'prefetch' ? 4 : 1);
  const series = new Series(name, fn, RECORDS);
  await interleave([series], REPS);
  console.log(describe(series));
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/**
 * Run from the TypeScript sources (through tsx), build the benchmark and run the bundle with
 * node instead, with the same arguments, unless `--tsx` asks to measure the sources as they are.
 */
async function runBuilt(): Promise<void> {
  const { buildBench } = await import('./build');
  const bundle = await buildBench();
  const child = spawn(process.execPath, ['--expose-gc', bundle, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  process.exitCode = code ?? 1;
}

if (import.meta.url.endsWith('.ts') && !process.argv.includes('--tsx')) await runBuilt();
else await main();
