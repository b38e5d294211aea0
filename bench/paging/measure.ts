/** Timing, memory sampling and statistics for the paging benchmark. */

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface Run {
  ms: number;
  /** CPU time of the whole process (user + system): robust on a machine shared with other work. */
  cpuMs: number;
  records: number;
  /** Peak RSS and heap growth during the run over the level just before it, in bytes. */
  rssGrowth: number;
  heapGrowth: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Time `fn` while sampling memory every 10 ms (and at the end). Collects garbage first when the
 * process runs with `--expose-gc`, so growth is measured from a settled heap.
 */
export async function measure(fn: () => Promise<number>): Promise<Run> {
  gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const records = await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  sample();
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    records,
    rssGrowth: peakRss - before.rss,
    heapGrowth: peakHeap - before.heapUsed,
  };
}

/** Run `fn` once to warm up, then `reps` times; every run must see `expected` records. */
export async function repeat(
  reps: number,
  expected: number,
  fn: () => Promise<number>,
): Promise<Run[]> {
  await fn();
  const runs: Run[] = [];
  for (let i = 0; i < reps; i++) {
    const run = await measure(fn);
    if (run.records !== expected) {
      throw new Error(`a run saw ${run.records} records instead of ${expected}`);
    }
    runs.push(run);
  }
  return runs;
}

/**
 * CPU time per call of `fn`, after a warm-up, as the median of `reps` batches of `batch` calls.
 */
export function cpuPerCall(fn: () => void, batch: number, reps = 5): number {
  for (let i = 0; i < batch; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < batch; i++) fn();
    const used = process.cpuUsage(cpu);
    samples.push((used.user + used.system) / 1000 / batch);
  }
  return median(samples);
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
