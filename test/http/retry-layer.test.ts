/**
 * p-retry is the one retry layer: every p-retry attempt is exactly one fetch (ky's retry is 0),
 * p-retry adds no delay of its own (the only waits are the policy's, through the `sleep` seam),
 * redirects and the 401 replay consume no retry, and p-retry's `maxRetryTime` surfaces as the
 * budget error. p-retry and ky are wrapped (not replaced) to observe how they are called.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerError, TimeoutError } from '../../src/errors';
import type { HttpTransportOptions } from '../../src/http/transport';
import type { ClientEvent } from '../../src/options';
import { rotatingBearer } from './helpers/auth';
import { virtualClock } from './helpers/clock';
import { failure, transportFor } from './helpers/transport';

const seen = vi.hoisted(() => ({
  pRetryOptions: [] as Array<Record<string, unknown>>,
  attempts: 0,
  kyOptions: [] as Array<Record<string, unknown>>,
}));

vi.mock('p-retry', async (importOriginal) => {
  const actual = await importOriginal<typeof import('p-retry')>();
  const observed: typeof actual.default = (input, options) => {
    seen.pRetryOptions.push({ ...options });
    return actual.default((attemptNumber) => {
      seen.attempts++;
      return input(attemptNumber);
    }, options);
  };
  return { ...actual, default: observed };
});

vi.mock('ky', async (importOriginal) => {
  const actual = await importOriginal<typeof import('ky')>();
  const observed = (...args: Parameters<typeof actual.default>) => {
    seen.kyOptions.push({ ...args[1] });
    return actual.default(...args);
  };
  return { ...actual, default: Object.assign(observed, actual.default) };
});

afterEach(() => {
  seen.pRetryOptions.length = 0;
  seen.attempts = 0;
  seen.kyOptions.length = 0;
  vi.useRealTimers();
});

const ORIGIN = 'https://or.example.test';

/** A `fetch` that answers from a script, one response per call, and records the calls. */
function scripted(...responses: Array<() => Response>) {
  const calls: Array<{ url: string; authorization: string | null }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push({ url: request.url, authorization: request.headers.get('authorization') });
    const next = responses[Math.min(calls.length - 1, responses.length - 1)];
    if (!next) throw new Error('no response scripted');
    return next();
  };
  return { fetch, calls };
}

const ok = () => Response.json({ users: [] });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    Response.json({}, { status: code, headers });

function transport(overrides: Partial<HttpTransportOptions>) {
  return transportFor(ORIGIN, overrides);
}

describe('p-retry is the one retry layer', () => {
  it('runs one fetch per p-retry attempt (ky retry 0), with no delay and its count set from retry options', async () => {
    const { fetch, calls } = scripted(status(503), status(503), ok);
    const clock = virtualClock();
    const response = await transport({
      fetch,
      ...clock,
      random: () => 0.5,
      retry: { retries: 4, minDelayMs: 100, maxDelayMs: 10_000, totalTimeoutMs: 60_000 },
    }).get({ path: '/users' });
    expect(response.status).toBe(200);
    expect(seen.pRetryOptions).toHaveLength(1);
    expect(seen.pRetryOptions[0]).toMatchObject({
      minTimeout: 0,
      maxRetryTime: 60_000,
      // One spare so that a free replay stays possible after the last counted retry.
      retries: 5,
    });
    expect(seen.attempts).toBe(3);
    expect(calls).toHaveLength(3);
    expect(seen.kyOptions).toHaveLength(3);
    for (const options of seen.kyOptions) {
      expect(options).toMatchObject({ retry: 0, timeout: false, redirect: 'manual' });
      expect(options).not.toHaveProperty('searchParams');
    }
    // The waits are the policy's decorrelated jitter, through the sleep seam.
    expect(clock.sleeps).toEqual([200, 350]);
  });

  it('schedules no timer of its own: with timers frozen, retries finish through the sleep seam alone', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fetch, calls } = scripted(status(503), status(429, { 'retry-after': '2' }), ok);
    const clock = virtualClock();
    let settled = false;
    const pending = transport({ fetch, ...clock, random: () => 0 })
      .get({ path: '/users' })
      .finally(() => {
        settled = true;
      });
    // Real event-loop turns only; no fake timer is ever advanced.
    for (let turn = 0; turn < 200 && !settled; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(settled).toBe(true);
    expect((await pending).status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([10, 2000]);
    expect(vi.getTimerCount()).toBe(0); // the budget timer was cleared, nothing else was set
  });

  it('a redirect and the refresh replay consume no retry, even with retries: 0', async () => {
    const { fetch, calls } = scripted(
      () => new Response(null, { status: 301, headers: { location: '/v2/users' } }),
      status(401),
      ok,
    );
    const events: ClientEvent[] = [];
    const response = await transport({
      fetch,
      ...virtualClock(),
      auth: rotatingBearer(['old-token-1111', 'new-token-2222']),
      retry: { retries: 0 },
      onEvent: (e) => events.push(e),
    }).get({ path: '/users' });
    expect(response.status).toBe(200);
    expect(calls.map((c) => [new URL(c.url).pathname, c.authorization])).toEqual([
      ['/ims/oneroster/v1p1/users', 'Bearer old-token-1111'],
      ['/v2/users', 'Bearer old-token-1111'],
      ['/v2/users', 'Bearer new-token-2222'],
    ]);
    expect(seen.attempts).toBe(3);
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
  });

  it('a free replay after the last counted retry still happens, and the count still stops the next failure', async () => {
    const { fetch, calls } = scripted(status(503), status(401), status(502));
    const clock = virtualClock();
    const error = await failure(
      transport({
        fetch,
        ...clock,
        auth: rotatingBearer(['old-token-1111', 'new-token-2222']),
        retry: { retries: 1, minDelayMs: 5, maxDelayMs: 5 },
      }).get({ path: '/users' }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(502);
    expect(calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([5]);
  });

  it("p-retry's maxRetryTime ending a retry we meant to make is reported as the total budget", async () => {
    // Only p-retry's clock (performance.now) moves: the transport's own clock stays put, so this
    // is p-retry's maxRetryTime speaking, not our deadline.
    vi.useFakeTimers({ toFake: ['performance'] });
    const { fetch, calls } = scripted(status(503));
    const error = await failure(
      transport({
        fetch,
        now: () => 0,
        sleep: async (ms) => {
          vi.advanceTimersByTime(ms);
        },
        random: () => 1,
        retry: { retries: 5, minDelayMs: 400, maxDelayMs: 400, totalTimeoutMs: 1000 },
      }).get({ path: '/users' }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('retry.totalTimeoutMs');
    expect((error as TimeoutError).cause).toBeInstanceOf(ServerError);
    expect(calls).toHaveLength(3); // 0 ms, 400 ms, 800 ms; after the 1200 ms wait p-retry stops
  });
});
