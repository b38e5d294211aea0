/**
 * Paging benchmark: the client walking 200,000 user records (pages of 1,000) from a loopback
 * server, against a bare `fetch` + `JSON.parse` loop over the same pages in the same process.
 *
 * 1. Overhead: client (lenient validation, normalisation) vs baseline; target <= 1.3x, peak
 *    memory growth < 100 MB. Measured with prefetch off (`maxConcurrent: 1`, sequential like
 *    the baseline) and with the default `maxConcurrent: 4`. Wall time and process CPU time are
 *    both reported: CPU time stays meaningful when other work shares the machine.
 * 2. Latency: 20 ms per response, known total: `maxConcurrent: 4` vs `1`; target >= 3x.
 * 3. Where the time goes: CPU per 1,000-record page for `JSON.parse` and for `parseRecord`, the
 *    two costs that dominate, so a missed target points at the layer to fix.
 *
 * Run: `npx tsx --expose-gc bench/paging/index.ts [--records 200000] [--reps 5] [--latency-reps 3]`
 */
import { OneRosterClient } from '../../src/client';
import { parseRecord } from '../../src/models';
import { cpuPerCall, mb, median, type Run, repeat, seconds } from './measure';
import { renderUserPages } from './pages';
import { startServer } from './server';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const RECORDS = arg('records', 200_000);
const PAGE_SIZE = 1000;
const REPS = arg('reps', 5);
const LATENCY_REPS = arg('latency-reps', 3);
const LATENCY_MS = 20;

async function baseline(baseUrl: string, total: number): Promise<number> {
  let records = 0;
  for (let offset = 0; offset < total; offset += PAGE_SIZE) {
    const response = await fetch(`${baseUrl}/users?limit=${PAGE_SIZE}&offset=${offset}`, {
      headers: { accept: 'application/json' },
    });
    const body = JSON.parse(await response.text()) as { users: unknown[] };
    records += body.users.length;
  }
  return records;
}

function clientRun(baseUrl: string, maxConcurrent: number): () => Promise<number> {
  const client = new OneRosterClient({
    baseUrl,
    pageSize: PAGE_SIZE,
    validation: 'lenient',
    rateLimit: { maxConcurrent, requestsPerSecond: 100_000 },
  });
  return async () => {
    let records = 0;
    for await (const user of client.users.list()) {
      if (user.sourcedId) records++;
    }
    return records;
  };
}

const medianOf = (runs: Run[], key: 'ms' | 'cpuMs') => median(runs.map((r) => r[key]));

function summary(label: string, runs: Run[]): string {
  const ms = medianOf(runs, 'ms');
  const rss = Math.max(...runs.map((r) => r.rssGrowth));
  const heap = Math.max(...runs.map((r) => r.heapGrowth));
  const rate = Math.round(RECORDS / (ms / 1000)).toLocaleString('en-US');
  return `${label.padEnd(34)} wall ${seconds(ms)} (${rate} records/s), cpu ${seconds(medianOf(runs, 'cpuMs'))}, peak growth rss ${mb(rss)}, heap ${mb(heap)}`;
}

async function main(): Promise<void> {
  console.log(`Rendering ${RECORDS.toLocaleString('en-US')} users in pages of ${PAGE_SIZE}...`);
  const pages = renderUserPages({ count: RECORDS, pageSize: PAGE_SIZE, seed: 7 });
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  console.log(
    `  ${pages.bodies.length} pages, ${mb(pages.bytes)} of JSON; node ${process.version}; gc ${gc ? 'exposed' : 'not exposed (pass --expose-gc)'}`,
  );
  const server = await startServer(pages);
  try {
    console.log(
      `\n1. Overhead on loopback (no added latency), ${REPS} runs after a warm-up, medians:`,
    );
    const base = await repeat(REPS, RECORDS, () => baseline(server.baseUrl, RECORDS));
    const sequential = await repeat(REPS, RECORDS, clientRun(server.baseUrl, 1));
    const parallel = await repeat(REPS, RECORDS, clientRun(server.baseUrl, 4));
    console.log(summary('baseline fetch + JSON.parse', base));
    console.log(summary('client, maxConcurrent 1', sequential));
    console.log(summary('client, maxConcurrent 4 (default)', parallel));
    const ratio = (runs: Run[], key: 'ms' | 'cpuMs') => medianOf(runs, key) / medianOf(base, key);
    console.log(
      `   ratio client/baseline, wall: ${ratio(sequential, 'ms').toFixed(2)}x sequential, ${ratio(parallel, 'ms').toFixed(2)}x with prefetch (target <= 1.3x)`,
    );
    console.log(
      `   ratio client/baseline, cpu:  ${ratio(sequential, 'cpuMs').toFixed(2)}x sequential, ${ratio(parallel, 'cpuMs').toFixed(2)}x with prefetch`,
    );
    const peak = Math.max(...[...sequential, ...parallel].map((r) => r.rssGrowth));
    console.log(`   client peak RSS growth: ${mb(peak)} (target < 100 MB)`);

    console.log(
      `\n2. ${LATENCY_MS} ms latency per response, ${LATENCY_REPS} runs after a warm-up, medians:`,
    );
    server.latencyMs = LATENCY_MS;
    const slowOne = await repeat(LATENCY_REPS, RECORDS, clientRun(server.baseUrl, 1));
    const slowFour = await repeat(LATENCY_REPS, RECORDS, clientRun(server.baseUrl, 4));
    console.log(summary('client, maxConcurrent 1', slowOne));
    console.log(summary('client, maxConcurrent 4', slowFour));
    const speedup = medianOf(slowOne, 'ms') / medianOf(slowFour, 'ms');
    console.log(`   speed-up: ${speedup.toFixed(2)}x (target >= 3x)`);
    server.latencyMs = 0;

    console.log('\n3. CPU per 1,000-record page:');
    const texts = pages.bodies.slice(0, 20).map((body) => body.toString('utf8'));
    const parsed = texts.map((text) => (JSON.parse(text) as { users: unknown[] }).users);
    let i = 0;
    const jsonMs = cpuPerCall(() => JSON.parse(texts[i++ % texts.length] ?? '{}'), 40);
    let j = 0;
    const parseMs = cpuPerCall(() => {
      for (const raw of parsed[j++ % parsed.length] ?? []) {
        parseRecord('users', raw, { version: '1.1', mode: 'lenient' });
      }
    }, 40);
    const pagesCount = pages.bodies.length;
    const baseCpu = medianOf(base, 'cpuMs') / pagesCount;
    const clientCpu = medianOf(sequential, 'cpuMs') / pagesCount;
    console.log(
      `   baseline total            ${baseCpu.toFixed(2)} ms (of which JSON.parse ${jsonMs.toFixed(2)} ms)`,
    );
    console.log(`   client total (sequential) ${clientCpu.toFixed(2)} ms`);
    console.log(`   models parseRecord        ${parseMs.toFixed(2)} ms (lenient, 1.1 users)`);
    console.log(
      `   client minus baseline minus parseRecord: ${(clientCpu - baseCpu - parseMs).toFixed(2)} ms (transport, paging, iteration)`,
    );

    console.log(
      `\nRESULT ${JSON.stringify({
        records: RECORDS,
        baselineMs: Math.round(medianOf(base, 'ms')),
        ratioWallSequential: Number(ratio(sequential, 'ms').toFixed(3)),
        ratioWallPrefetch: Number(ratio(parallel, 'ms').toFixed(3)),
        ratioCpuSequential: Number(ratio(sequential, 'cpuMs').toFixed(3)),
        peakRssGrowthMb: Number((peak / 1024 / 1024).toFixed(1)),
        latencySpeedup: Number(speedup.toFixed(2)),
        jsonParseMsPerPage: Number(jsonMs.toFixed(2)),
        parseRecordMsPerPage: Number(parseMs.toFixed(2)),
      })}`,
    );
  } finally {
    await server.close();
  }
}

await main();
