/**
 * Mock server benchmark: pages per second over loopback for `limit=1000` user pages, and the
 * cost of serving one page against the client's `JSON.parse` of the same page (the baseline,
 * measured in the same run). The server must not be the bottleneck of client benchmarks, so
 * serving should cost well under parsing.
 *
 * Run: `npx tsx bench/testing/serve.ts`
 */
import { createMockOneRoster, generateDistrict } from '../../src/testing';

const dataset = generateDistrict({
  seed: 1,
  schools: 50,
  studentsPerSchool: 1800,
  teachersPerSchool: 100,
  adminsPerSchool: 4,
  classesPerSchool: 300,
  coursesPerSchool: 60,
  classesPerStudent: 10,
  guardianShare: 0.05,
});
const LIMIT = 1000;
const pages = Math.ceil(dataset.users.size / LIMIT);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

console.log(
  `${dataset.users.size.toLocaleString('en-US')} users, pages of ${LIMIT} (${pages} pages)\n`,
);

/** What the server does for a page: the core handler up to the body bytes (as `listen()` sends them). */
async function page(mock: ReturnType<typeof createMockOneRoster>, p: number): Promise<ArrayBuffer> {
  const url = `${mock.baseUrl}/users?limit=${LIMIT}&offset=${p * LIMIT}`;
  return (await mock.handle(new Request(url))).arrayBuffer();
}

const decoder = new TextDecoder();

for (const version of ['1.1', '1.2'] as const) {
  // Warm the JIT on a throwaway server, so the measured server starts with a cold render cache
  // but compiled code.
  const throwaway = createMockOneRoster({ dataset, version });
  for (let p = 0; p < 10; p++) await page(throwaway, p);

  const mock = createMockOneRoster({ dataset, version });
  const cold: number[] = [];
  const warm: number[] = [];
  const parse: number[] = [];
  const json: number[] = [];
  let bytes = 0;
  for (let p = 0; p < pages; p += 4) {
    const t0 = performance.now();
    const body = await page(mock, p);
    const t1 = performance.now();
    await page(mock, p);
    const t2 = performance.now();
    // The client's side of the same page: `res.json()` is UTF-8 decoding plus JSON.parse.
    const text = decoder.decode(body);
    const t3 = performance.now();
    const parsed = JSON.parse(text) as { users: unknown[] };
    const t4 = performance.now();
    if (parsed.users.length === 0) throw new Error('empty page');
    cold.push(t1 - t0);
    warm.push(t2 - t1);
    parse.push(t4 - t3);
    json.push(t4 - t2);
    bytes += body.byteLength;
  }
  const parseMs = median(parse);
  const jsonMs = median(json);
  const row = (label: string, ms: number) =>
    `  ${label.padEnd(42)} ${ms.toFixed(2).padStart(6)} ms  ratio to JSON.parse ${(ms / parseMs).toFixed(2)}x, to decode+parse ${(ms / jsonMs).toFixed(2)}x`;
  console.log(
    `OneRoster ${version} (${(bytes / cold.length / 1024).toFixed(0)} KiB/page, medians)`,
  );
  console.log(`  client: JSON.parse of a page (baseline)     ${parseMs.toFixed(2).padStart(6)} ms`);
  console.log(`  client: UTF-8 decode + JSON.parse (res.json) ${jsonMs.toFixed(2).padStart(5)} ms`);
  console.log(row('server: page served first (builds records)', median(cold)));
  console.log(row('server: page served again (cached JSON)', median(warm)));

  // Over loopback HTTP, on a fresh server: a first walk renders every record, then the same
  // walk again (cached), then 4 requests in flight. Client fetch + res.json() are included.
  const loopback = createMockOneRoster({ dataset, version });
  const listener = await loopback.listen();
  try {
    for (const [label, concurrency] of [
      ['first walk, 1 in flight', 1],
      ['again, 1 in flight', 1],
      ['again, 4 in flight', 4],
    ] as const) {
      const started = performance.now();
      let next = 0;
      let records = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let p = next++; p < pages; p = next++) {
            const res = await fetch(`${listener.baseUrl}/users?limit=${LIMIT}&offset=${p * LIMIT}`);
            // Read before adding: `records += await ...` would read `records` before the await
            // and lose the other workers' counts.
            const count = ((await res.json()) as { users: unknown[] }).users.length;
            records += count;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      if (records !== dataset.users.size) throw new Error(`walked ${records} records`);
      console.log(
        `  loopback, ${label.padEnd(24)} ${(pages / seconds).toFixed(1).padStart(6)} pages/s (${(records / seconds).toFixed(0)} records/s)`,
      );
    }
  } finally {
    await listener.close();
  }
}
