/** A virtual clock for the transport's `now`/`sleep` seams: sleeping advances time instantly. */
export interface VirtualClock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Every sleep requested, in order. */
  sleeps: number[];
  advance(ms: number): void;
}

export function virtualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): VirtualClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    advance(ms) {
      t += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      t += ms;
    },
  };
}
