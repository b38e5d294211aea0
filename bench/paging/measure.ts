/** Timing, memory sampling and statistics for the paging benchmark. */

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Which time of a run: wall, process CPU or main-thread CPU. */
export type Timing = 'ms' | 'cpuMs' | 'threadCpuMs' | 'pageFaults';

export interface Run {
  ms: number;
  /** CPU time of this process (user + system, all threads, so GC helper threads count). */
  cpuMs: number;
  /** CPU time of the main thread alone: JavaScript and GC pauses, not GC helper threads. */
  threadCpuMs: number;
  records: number;
  /** Peak RSS and heap growth during the run over the level just before it, in bytes. */
  rssGrowth: number;
  heapGrowth: number;
  /** Minor page faults of this process during the run (fresh memory touched for the first time). */
  pageFaults: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with `--expose-gc` (memory growth is then measured from a settled heap). */
export const gcExposed = gc !== undefined;

/**
 * Time `fn` while sampling memory every 10 ms (and at the end). Collects garbage first when the
 * process runs with `--expose-gc`, so growth is measured from a settled heap and one run's garbage
 * is not collected during (and billed to) the next.
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
  const faults = process.resourceUsage().minorPageFault;
  const cpu = process.cpuUsage();
  const thread = process.threadCpuUsage();
  const started = performance.now();
  const records = await fn();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const threadUsed = process.threadCpuUsage(thread);
  const pageFaults = process.resourceUsage().minorPageFault - faults;
  clearInterval(timer);
  sample();
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    threadCpuMs: (threadUsed.user + threadUsed.system) / 1000,
    records,
    rssGrowth: peakRss - before.rss,
    heapGrowth: peakHeap - before.heapUsed,
    pageFaults,
  };
}

/** Runs of one scenario, in the order they were taken. */
export class Series {
  readonly runs: Run[] = [];

  constructor(
    readonly label: string,
    readonly fn: () => Promise<number>,
    readonly expected: number,
  ) {}

  /** Run once more and record it; every run must see `expected` records. */
  async take(): Promise<Run> {
    const run = await measure(this.fn);
    if (run.records !== this.expected) {
      throw new Error(`${this.label}: a run saw ${run.records} records, not ${this.expected}`);
    }
    this.runs.push(run);
    return run;
  }

  median(key: Timing): number {
    return median(this.runs.map((run) => run[key]));
  }

  peak(key: 'rssGrowth' | 'heapGrowth'): number {
    return Math.max(...this.runs.map((run) => run[key]));
  }
}

/**
 * Run the scenarios interleaved, `reps` rounds after one warm-up round, alternating their order
 * from round to round: a machine that gets busier or quieter during the benchmark then weighs on
 * every scenario alike instead of on whichever ran last.
 */
export async function interleave(series: readonly Series[], reps: number): Promise<void> {
  for (const s of series) await s.fn();
  for (let round = 0; round < reps; round++) {
    const order = round % 2 === 0 ? series : [...series].reverse();
    for (const s of order) await s.take();
  }
}

/**
 * The median over rounds of `a`'s run divided by `b`'s run of the same round: pairs runs taken
 * moments apart, so load that comes and goes cancels out of each ratio.
 */
export function pairedRatio(a: Series, b: Series, key: Timing): number {
  return median(pairedRatios(a, b, key));
}

/** The per-round ratios behind {@link pairedRatio}. */
export function pairedRatios(a: Series, b: Series, key: Timing): number[] {
  return a.runs.map((run, i) => run[key] / (b.runs[i]?.[key] ?? Number.NaN));
}

/** `1.23x (1.18-1.31)`: the median and the range of per-round ratios. */
export function describeRatio(a: Series, b: Series, key: Timing): string {
  const ratios = pairedRatios(a, b, key);
  const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
  return `${median(ratios).toFixed(2)}x (${range})`;
}

/**
 * CPU time per call of `fn`, after a warm-up, as the median of `reps` batches of `batch` calls.
 */
export function cpuPerCall(fn: () => void, batch: number, reps = 7): number {
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

/**
 * Counts requests outstanding at the client (from the `fetch` call until its response headers
 * arrive), time-weighted, so a report can say how many were really in flight on average.
 */
export class InFlightMeter {
  #count = 0;
  #peak = 0;
  #area = 0;
  #since = performance.now();
  #changedAt = this.#since;

  /** A `fetch` that counts its requests here. */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    this.#set(this.#count + 1);
    try {
      return await globalThis.fetch(input, init);
    } finally {
      this.#set(this.#count - 1);
    }
  };

  /** Start a new measurement window. */
  reset(): void {
    this.#set(this.#count);
    this.#peak = this.#count;
    this.#area = 0;
    this.#since = this.#changedAt;
  }

  /** Mean and peak outstanding requests since the last reset. */
  read(): { mean: number; peak: number } {
    this.#set(this.#count);
    const elapsed = this.#changedAt - this.#since;
    return { mean: elapsed > 0 ? this.#area / elapsed : 0, peak: this.#peak };
  }

  #set(count: number): void {
    const now = performance.now();
    this.#area += this.#count * (now - this.#changedAt);
    this.#changedAt = now;
    this.#count = count;
    this.#peak = Math.max(this.#peak, count);
  }
}
