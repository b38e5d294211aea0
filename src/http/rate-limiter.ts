/**
 * Proactive, per-transport rate limiting: at most `maxConcurrent` requests in flight AND at most
 * `requestsPerSecond` request starts in any sliding 1-second window, slowed down further by the
 * server (429s and `RateLimit-*` headers).
 *
 * Two stages, both FIFO, so no request overtakes another: p-limit holds the concurrency slots, and
 * a request that has one waits in the window queue for its start. A slot is held from the moment
 * p-limit starts the request's task until `release()`; a request waiting for the window holds one,
 * which costs nothing, since the window queue lets only its head through anyway. p-limit cannot
 * withdraw a queued task, so a caller that aborts while queued is rejected at once by its own abort
 * listener, and when p-limit later starts the task, it sees the signal and returns without sending.
 *
 * Why a sliding-window log and not a token bucket: a bucket with capacity = rate allows a full
 * bucket plus the refill inside one second, i.e. up to twice the rate in some 1-second window.
 *
 * How the window is counted: a request occupies a window slot from the moment it is let through
 * until its response headers arrive (`stamp()`), and the slot frees `windowMs` after that. The
 * server sees the request somewhere between those two instants, so however the network or the
 * event loop delays a request, the server never sees more than the limit in any window. When the
 * latency is small this costs nothing; when it is large, concurrency is the binding limit anyway.
 *
 * @module
 */
import pLimit from 'p-limit';
import type { ResolvedRateLimitOptions } from './defaults';

/** Why a request is being held back. */
export type WaitReason = 'client_limit' | 'server_429' | 'server_headers';

/** A granted slot. Call `stamp()` when response headers arrive and `release()` when done. */
export interface RateLimitPermit {
  /** Mark the moment the server has certainly seen the request (response headers received). */
  stamp(): void;
  /** Free the concurrency slot (also stamps, if not done yet). Idempotent. */
  release(): void;
}

/** The limiter as the transport uses it. */
export interface RequestLimiter {
  /**
   * Wait for a slot. `onWait` is told each time this request is held back for a known time.
   * Rejects with `signal.reason` when `signal` aborts while waiting.
   */
  acquire(
    signal: AbortSignal | undefined,
    onWait: (delayMs: number, reason: WaitReason) => void,
  ): Promise<RateLimitPermit>;
  /** The server throttled us (429): pause everyone for `delayMs` and lower the rate. */
  onThrottled(delayMs: number): void;
  /** The server reported its quota exhausted: pause everyone until it resets. */
  onQuotaExhausted(resetMs: number): void;
}

/** Seams and settings of {@link createRateLimiter}. */
export interface RateLimiterOptions extends ResolvedRateLimitOptions {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Longest server-imposed pause honoured (longer ones are capped; the 429 then surfaces). */
  maxPauseMs: number;
  /** @default 1000 */
  windowMs?: number;
}

const NO_OP_PERMIT: RateLimitPermit = Object.freeze({ stamp() {}, release() {} });

/**
 * The limiter used when `rateLimit: false`: lets everything through at once.
 *
 * @example
 * ```ts
 * const permit = await unlimited.acquire(undefined, () => {});
 * ```
 */
export const unlimited: RequestLimiter = Object.freeze({
  acquire(signal: AbortSignal | undefined): Promise<RateLimitPermit> {
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve(NO_OP_PERMIT);
  },
  onThrottled() {},
  onQuotaExhausted() {},
});

// AIMD tuning. After a 429 the rate is halved (at most once per window, so a burst of 429s from
// the requests already in flight counts as one signal), never below one request per window, and
// it recovers linearly: from half to full speed in 10 s without further 429s.
const DECREASE_FACTOR = 0.5;
const RECOVERY_PER_SECOND = 0.05;

interface Waiter {
  resolve(permit: RateLimitPermit): void;
  reject(reason: unknown): void;
  onWait(delayMs: number, reason: WaitReason): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  /** Ends the p-limit task, i.e. frees the concurrency slot. Set once p-limit starts the task. */
  freeSlot?: () => void;
}

/**
 * Create a limiter. State is per instance: two clients never share a window or a pause.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ maxConcurrent: 4, requestsPerSecond: 10, now: Date.now,
 *   sleep: abortableSleep, maxPauseMs: 120_000 });
 * const permit = await limiter.acquire(signal, (ms, why) => log(ms, why));
 * try { const res = await fetch(url); permit.stamp(); } finally { permit.release(); }
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RequestLimiter {
  const { maxConcurrent, requestsPerSecond, now, sleep, maxPauseMs } = options;
  const baseWindowMs = options.windowMs ?? 1000;
  // The log never needs more entries than the largest number of starts a window can allow, nor
  // entries older than the longest window (fractional rates stretch it), so it stays small even
  // for a huge `requestsPerSecond`.
  const logCapacity = Math.max(1, Math.floor(requestsPerSecond));
  const longestWindowMs = requestsPerSecond >= 1 ? baseWindowMs : baseWindowMs / requestsPerSecond;
  const slots = pLimit(maxConcurrent);
  /** Requests holding a concurrency slot and waiting for their start, oldest first. */
  const queue: Waiter[] = [];
  const stamps: number[] = [];
  let pending = 0;
  let pausedUntil = 0;
  let pauseReason: WaitReason = 'server_429';
  let factorAtCut = 1;
  let lastCut = Number.NEGATIVE_INFINITY;
  let timer: AbortController | undefined;
  let timerDue = 0;

  function factor(at: number): number {
    if (factorAtCut >= 1) return 1;
    return Math.min(1, factorAtCut + (RECOVERY_PER_SECOND * Math.max(0, at - lastCut)) / 1000);
  }

  /** Starts allowed per window right now, and the window length (fractional rates stretch it). */
  function budget(at: number): { limit: number; windowMs: number } {
    const rate = Math.max(Math.min(1, requestsPerSecond), requestsPerSecond * factor(at));
    if (rate >= 1) return { limit: Math.floor(rate), windowMs: baseWindowMs };
    return { limit: 1, windowMs: baseWindowMs / rate };
  }

  /** How long the queue head must wait: ms, `'event'` (wait for a stamp), or 0. */
  function delayFor(at: number): { delay: number | 'event'; reason: WaitReason } {
    if (pausedUntil > at) return { delay: pausedUntil - at, reason: pauseReason };
    const { limit, windowMs } = budget(at);
    // A stamp exactly `windowMs` old still counts, and the wait below adds 1 ms: clocks tick in
    // whole milliseconds, so "1000 ms later" by the clock can be 999.x ms later in fact.
    let first = stamps.length;
    while (first > 0 && (stamps[first - 1] as number) >= at - windowMs) first--;
    const inWindow = pending + (stamps.length - first);
    if (inWindow < limit) return { delay: 0, reason: 'client_limit' };
    // The (excess)-th oldest stamp in the window must expire; unstamped requests cannot be
    // timed, so if those are what fills the window, wait for a stamp.
    const index = first + (inWindow - limit);
    const oldest = stamps[index];
    if (oldest === undefined) return { delay: 'event', reason: 'client_limit' };
    return { delay: Math.max(1, oldest + windowMs + 1 - at), reason: 'client_limit' };
  }

  function pump(): void {
    while (queue.length > 0) {
      const at = now();
      const { delay, reason } = delayFor(at);
      if (delay === 'event') return;
      if (delay > 0) {
        schedule(at, delay, reason);
        return;
      }
      const waiter = queue.shift() as Waiter;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      pending++;
      waiter.resolve(permit(waiter.freeSlot));
    }
  }

  function schedule(at: number, delay: number, reason: WaitReason): void {
    const due = at + delay;
    // A timer already set for this moment (or earlier) will pump again; no need for another.
    if (timer && timerDue <= due) return;
    timer?.abort();
    const controller = new AbortController();
    timer = controller;
    timerDue = due;
    queue[0]?.onWait(delay, reason);
    sleep(delay, controller.signal).then(
      () => {
        if (timer !== controller) return;
        timer = undefined;
        pump();
      },
      () => {
        // Aborted because a sooner wake-up replaced it.
      },
    );
  }

  function stampNow(): void {
    pending--;
    const at = Math.max(now(), stamps[stamps.length - 1] ?? Number.NEGATIVE_INFINITY);
    stamps.push(at);
    let expired = Math.max(0, stamps.length - logCapacity);
    while (expired < stamps.length && (stamps[expired] as number) < at - longestWindowMs) expired++;
    if (expired > 0) stamps.splice(0, expired);
  }

  function permit(freeSlot: (() => void) | undefined): RateLimitPermit {
    let stamped = false;
    let released = false;
    return {
      stamp() {
        if (stamped) return;
        stamped = true;
        stampNow();
        pump();
      },
      release() {
        if (released) return;
        released = true;
        if (!stamped) {
          stamped = true;
          stampNow();
        }
        freeSlot?.();
        pump();
      },
    };
  }

  /**
   * The p-limit task of one request: it holds the concurrency slot until the permit is released
   * (or the request gives up while waiting for the window).
   */
  function holdSlot(waiter: Waiter): Promise<void> {
    // The caller gave up while queued and was rejected then: free the slot, send nothing.
    if (waiter.signal?.aborted) return Promise.resolve();
    return new Promise<void>((freeSlot) => {
      waiter.freeSlot = freeSlot;
      queue.push(waiter);
      pump();
    });
  }

  function pause(delayMs: number, reason: WaitReason): void {
    const until = now() + Math.min(Math.max(0, delayMs), maxPauseMs);
    if (until <= pausedUntil) return;
    pausedUntil = until;
    pauseReason = reason;
    // Re-plan: a timer set for an earlier moment would otherwise let the head through.
    timer?.abort();
    timer = undefined;
    pump();
  }

  return {
    acquire(signal, onWait) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<RateLimitPermit>((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          reject,
          onWait,
          signal,
          onAbort: () => {
            reject(signal?.reason);
            const index = queue.indexOf(waiter);
            // Not in the window queue: still queued in p-limit, whose task will see the signal.
            if (index === -1) return;
            queue.splice(index, 1);
            waiter.freeSlot?.();
            // The head may have changed; its wait must be re-planned.
            if (index === 0) {
              timer?.abort();
              timer = undefined;
              pump();
            }
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        void slots(() => holdSlot(waiter));
      });
    },
    onThrottled(delayMs) {
      const at = now();
      if (at - lastCut >= baseWindowMs) {
        factorAtCut = Math.max(1 / Math.max(1, requestsPerSecond), factor(at) * DECREASE_FACTOR);
        lastCut = at;
      }
      pause(delayMs, 'server_429');
    },
    onQuotaExhausted(resetMs) {
      pause(resetMs, 'server_headers');
    },
  };
}
