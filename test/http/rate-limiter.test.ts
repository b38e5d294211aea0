import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRateLimiter,
  type RateLimitPermit,
  type RequestLimiter,
  unlimited,
  type WaitReason,
} from '../../src/http/rate-limiter';
import { abortableSleep } from '../../src/http/sleep';

function limiter(
  maxConcurrent: number,
  requestsPerSecond: number,
  maxPauseMs = 60_000,
): RequestLimiter {
  return createRateLimiter({
    maxConcurrent,
    requestsPerSecond,
    maxPauseMs,
    now: () => Date.now(),
    sleep: abortableSleep,
  });
}

/** Acquire and report when granted (virtual time). */
function track(l: RequestLimiter, signal?: AbortSignal) {
  const waits: Array<[number, WaitReason]> = [];
  const state: { permit?: RateLimitPermit; at?: number; error?: unknown } = {};
  const promise = l
    .acquire(signal, (ms, why) => waits.push([ms, why]))
    .then(
      (permit) => {
        state.permit = permit;
        state.at = Date.now();
      },
      (error: unknown) => {
        state.error = error;
      },
    );
  return { waits, state, promise };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimiter', () => {
  it('caps requests in flight at maxConcurrent', async () => {
    const l = limiter(2, 1000);
    const a = track(l);
    const b = track(l);
    const c = track(l);
    await vi.advanceTimersByTimeAsync(0);
    expect([!!a.state.permit, !!b.state.permit, !!c.state.permit]).toEqual([true, true, false]);
    a.state.permit?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.state.permit).toBeDefined();
    expect(c.waits).toEqual([]); // waiting for a slot is not a timed wait
  });

  it('allows at most requestsPerSecond starts per sliding window, measured from the stamp', async () => {
    const l = limiter(10, 3);
    const first = [track(l), track(l), track(l)];
    await vi.advanceTimersByTimeAsync(0);
    for (const t of first) expect(t.state.permit).toBeDefined();
    await vi.advanceTimersByTimeAsync(100);
    for (const t of first) {
      t.state.permit?.stamp();
      t.state.permit?.release();
    }
    const fourth = track(l);
    await vi.advanceTimersByTimeAsync(0);
    expect(fourth.state.permit).toBeUndefined();
    // One window plus one clock tick after the oldest response.
    expect(fourth.waits).toEqual([[1001, 'client_limit']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fourth.state.permit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(fourth.state.at).toBe(1_000_000 + 100 + 1001);
  });

  it('counts un-stamped requests as in the window and waits for their response', async () => {
    const l = limiter(10, 2);
    const a = track(l);
    const b = track(l);
    const c = track(l);
    await vi.advanceTimersByTimeAsync(5000);
    expect(c.state.permit).toBeUndefined();
    a.state.permit?.stamp();
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.state.permit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(c.state.permit).toBeDefined();
    b.state.permit?.release();
  });

  it('keeps FIFO order', async () => {
    const l = limiter(1, 1000);
    const order: number[] = [];
    const ts = [0, 1, 2, 3].map((i) => {
      const t = track(l);
      void t.promise.then(() => order.push(i));
      return t;
    });
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(0);
      ts[i]?.state.permit?.release();
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('withdraws an aborted waiter at once and serves the next one', async () => {
    const l = limiter(1, 1000);
    const a = track(l);
    await vi.advanceTimersByTimeAsync(0);
    const controller = new AbortController();
    const b = track(l, controller.signal);
    const c = track(l);
    controller.abort(new Error('stop'));
    await vi.advanceTimersByTimeAsync(0);
    expect((b.state.error as Error).message).toBe('stop');
    a.state.permit?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.state.permit).toBeDefined();
  });

  it('an abort while queued for a slot rejects at once; its task later gives the slot straight back', async () => {
    const l = limiter(1, 1000);
    const a = track(l);
    await vi.advanceTimersByTimeAsync(0);
    const controller = new AbortController();
    const b = track(l, controller.signal);
    const c = track(l);
    const d = track(l);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new Error('gone'));
    await Promise.resolve();
    await Promise.resolve();
    // Rejected before any slot frees: no waiting for p-limit to reach it.
    expect((b.state.error as Error).message).toBe('gone');
    expect(a.state.permit).toBeDefined();
    a.state.permit?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.state.permit).toBeUndefined();
    expect(c.state.permit).toBeDefined();
    expect(d.state.permit).toBeUndefined(); // still one slot: b's task did not leak or take one
    c.state.permit?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(d.state.permit).toBeDefined();
  });

  it('an abort while waiting for the window frees the slot for the next request', async () => {
    const l = limiter(2, 1);
    const a = track(l);
    await vi.advanceTimersByTimeAsync(0);
    a.state.permit?.stamp();
    const controller = new AbortController();
    const b = track(l, controller.signal); // holds the second slot, waits for the window
    const c = track(l); // queued for a slot
    await vi.advanceTimersByTimeAsync(10);
    expect(b.waits[0]?.[1]).toBe('client_limit');
    controller.abort(new Error('late'));
    await vi.advanceTimersByTimeAsync(0);
    expect((b.state.error as Error).message).toBe('late');
    // `a` keeps its slot; `c` can only have got the one `b` gave back.
    await vi.advanceTimersByTimeAsync(1000);
    expect(c.state.permit).toBeDefined();
    expect(b.state.permit).toBeUndefined();
    a.state.permit?.release();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const l = limiter(1, 1);
    const controller = new AbortController();
    controller.abort(new Error('already'));
    await expect(l.acquire(controller.signal, () => {})).rejects.toThrow('already');
  });

  it('aborts a timed window wait immediately', async () => {
    const l = limiter(5, 1);
    const a = track(l);
    await vi.advanceTimersByTimeAsync(0);
    a.state.permit?.release();
    const controller = new AbortController();
    const b = track(l, controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    expect(b.waits[0]?.[1]).toBe('client_limit');
    controller.abort(new Error('cancel'));
    await vi.advanceTimersByTimeAsync(0);
    expect((b.state.error as Error).message).toBe('cancel');
  });

  it('pauses the whole instance on a 429 and halves the rate', async () => {
    const l = limiter(10, 10);
    l.onThrottled(2000);
    const waiting = Array.from({ length: 6 }, () => track(l));
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting[0]?.waits).toEqual([[2000, 'server_429']]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(waiting.some((t) => t.state.permit)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // Half of 10 per second (recovery adds 0.05 x 2 s = +10 %, so floor(6) is allowed).
    expect(waiting.filter((t) => t.state.permit).length).toBe(6);
    const seventh = track(l);
    for (const t of waiting) t.state.permit?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(seventh.state.permit).toBeUndefined();
    expect(seventh.waits[0]?.[1]).toBe('client_limit');
  });

  it('counts a burst of 429s as one decrease and recovers slowly', async () => {
    const l = limiter(100, 20);
    const burst = (): Array<ReturnType<typeof track>> =>
      Array.from({ length: 20 }, () => {
        const t = track(l);
        void t.promise.then(() => t.state.permit?.release());
        return t;
      });
    l.onThrottled(0);
    l.onThrottled(0);
    l.onThrottled(0);
    const first = burst();
    await vi.advanceTimersByTimeAsync(0);
    expect(first.filter((t) => t.state.permit).length).toBe(10); // halved once, not thrice
    await vi.advanceTimersByTimeAsync(2000);
    expect(first.filter((t) => t.state.permit).length).toBe(20);
    // 10 s after the cut (0.5 + 0.05/s) the full rate is back: a fresh window admits all 20.
    await vi.advanceTimersByTimeAsync(10_000);
    const later = burst();
    await vi.advanceTimersByTimeAsync(0);
    expect(later.filter((t) => t.state.permit).length).toBe(20);
  });

  it('pauses until the quota resets when the server says none are left, capped', async () => {
    const l = limiter(10, 100, 5000);
    l.onQuotaExhausted(60_000);
    const t = track(l);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.waits).toEqual([[5000, 'server_headers']]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.state.permit).toBeDefined();
  });

  it('extends a running wait when a longer pause arrives', async () => {
    const l = limiter(10, 100);
    l.onThrottled(1000);
    const t = track(l);
    await vi.advanceTimersByTimeAsync(500);
    l.onQuotaExhausted(3000);
    await vi.advanceTimersByTimeAsync(600);
    expect(t.state.permit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2400);
    expect(t.state.permit).toBeDefined();
    expect(t.waits.map((w) => w[1])).toEqual(['server_429', 'server_headers']);
  });

  it('supports fractional rates by stretching the window', async () => {
    const l = limiter(10, 0.5);
    const a = track(l);
    await vi.advanceTimersByTimeAsync(0);
    a.state.permit?.release();
    const b = track(l);
    await vi.advanceTimersByTimeAsync(2000);
    expect(b.state.permit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(b.state.permit).toBeDefined();
  });

  it('keeps state per instance', async () => {
    const one = limiter(1, 1);
    const two = limiter(1, 1);
    one.onThrottled(10_000);
    const t = track(two);
    await vi.advanceTimersByTimeAsync(0);
    expect(t.state.permit).toBeDefined();
  });

  it('release and stamp are idempotent', async () => {
    const l = limiter(1, 1000);
    const a = track(l);
    await vi.advanceTimersByTimeAsync(0);
    a.state.permit?.release();
    a.state.permit?.release();
    const b = track(l);
    const c = track(l);
    await vi.advanceTimersByTimeAsync(0);
    expect(b.state.permit).toBeDefined();
    expect(c.state.permit).toBeUndefined();
  });
});

describe('unlimited', () => {
  it('lets everything through and honours an aborted signal', async () => {
    const permits = await Promise.all(
      Array.from({ length: 50 }, () => unlimited.acquire(undefined, () => {})),
    );
    expect(permits).toHaveLength(50);
    const controller = new AbortController();
    controller.abort(new Error('x'));
    await expect(unlimited.acquire(controller.signal, () => {})).rejects.toThrow('x');
  });
});
