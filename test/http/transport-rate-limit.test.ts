import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, RateLimitError, TimeoutError } from '../../src/errors';
import type { ClientEvent } from '../../src/options';
import { virtualClock } from './helpers/clock';
import { json, startServer, type TestServer } from './helpers/server';
import { failure, transportFor } from './helpers/transport';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The most arrivals in any half-open window [t, t + windowMs); checking windows that start at an arrival covers every window. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + windowMs)
      end++;
    best = Math.max(best, end - start);
  }
  return best;
}

describe('client-side rate limiting (real server, real time)', () => {
  it('a burst of 200: never more than 4 in flight, never more than 50 starts in any 1000 ms window', async () => {
    server = await startServer((_req, res) => {
      // A little server time so that requests overlap and concurrency is really exercised.
      setTimeout(() => json(res, 200, { users: [] }), 3);
    });
    const waits: ClientEvent[] = [];
    const transport = transportFor(server.origin, {
      rateLimit: { maxConcurrent: 4, requestsPerSecond: 50 },
      onEvent: (e) => {
        if (e.type === 'rate_limit_wait') waits.push(e);
      },
    });
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        transport.get({ path: '/users', query: { offset: i } }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(results).toHaveLength(200);
    expect(server.arrivals).toHaveLength(200);
    expect(server.maxConcurrent()).toBeLessThanOrEqual(4);
    expect(Math.max(...server.arrivals.map((a) => a.concurrent))).toBeLessThanOrEqual(4);
    expect(
      busiestWindow(
        server.arrivals.map((a) => a.at),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
    // 200 at 50/s is three full windows after the first: a little over 3 s, not much more.
    expect(elapsed).toBeGreaterThan(3000);
    expect(elapsed).toBeLessThan(12_000);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((e) => e.type === 'rate_limit_wait' && e.reason === 'client_limit')).toBe(
      true,
    );
  }, 20_000);

  it('rateLimit: false sends a burst at once', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => json(res, 200, {}), 50);
    });
    const transport = transportFor(server.origin, { rateLimit: false });
    await Promise.all(Array.from({ length: 12 }, () => transport.get({ path: '/users' })));
    expect(server.maxConcurrent()).toBeGreaterThan(4);
  });
});

describe('server-driven pauses', () => {
  it('a 429 with Retry-After pauses the whole instance, not just the throttled request', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 429, {}, { 'retry-after': '5' });
      else json(res, 200, { users: [] });
    });
    const clock = virtualClock();
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, {
      ...clock,
      rateLimit: { maxConcurrent: 4, requestsPerSecond: 100 },
      retry: false,
    });
    await failure(transport.get({ path: '/users' }));
    const before = clock.now();
    await transport.get({ path: '/classes', onEvent: (e) => events.push(e) });
    expect(events).toContainEqual({ type: 'rate_limit_wait', delayMs: 5000, reason: 'server_429' });
    expect(clock.now() - before).toBeGreaterThanOrEqual(5000);
  });

  it('the throttled request itself waits Retry-After once (pause and retry line up)', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 429, {}, { 'retry-after': '2' });
      else json(res, 200, { users: [] });
    });
    const clock = virtualClock();
    const transport = transportFor(server.origin, {
      ...clock,
      rateLimit: { maxConcurrent: 4, requestsPerSecond: 100 },
    });
    const before = clock.now();
    await transport.get({ path: '/users' });
    expect(clock.now() - before).toBe(2000);
  });

  it('RateLimit-Remaining: 0 with RateLimit-Reset pauses new requests until the reset', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) {
        json(
          res,
          200,
          { orgs: [] },
          { 'ratelimit-policy': '100;w=60', 'ratelimit-remaining': '0', 'ratelimit-reset': '7' },
        );
      } else json(res, 200, { orgs: [] }, { 'ratelimit-remaining': '99', 'ratelimit-reset': '60' });
    });
    const clock = virtualClock();
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, {
      ...clock,
      rateLimit: { maxConcurrent: 4, requestsPerSecond: 100 },
      onEvent: (e) => events.push(e),
    });
    await transport.get({ path: '/orgs' });
    await transport.get({ path: '/orgs' });
    await transport.get({ path: '/orgs' });
    expect(events.filter((e) => e.type === 'rate_limit_wait')).toEqual([
      { type: 'rate_limit_wait', delayMs: 7000, reason: 'server_headers' },
    ]);
  });

  it('X-RateLimit-Remaining: 0 with an epoch reset pauses too', async () => {
    const clock = virtualClock();
    server = await startServer((_req, res, i) => {
      const reset = String(Math.floor((clock.now() + 4000) / 1000));
      if (i === 0) json(res, 200, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
      else json(res, 200, {});
    });
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, {
      ...clock,
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 100 },
      onEvent: (e) => events.push(e),
    });
    await transport.get({ path: '/orgs' });
    await transport.get({ path: '/orgs' });
    const wait = events.find((e) => e.type === 'rate_limit_wait');
    expect(wait).toMatchObject({ reason: 'server_headers' });
    expect((wait as { delayMs: number }).delayMs).toBeGreaterThan(3000);
    expect((wait as { delayMs: number }).delayMs).toBeLessThanOrEqual(4000);
  });

  it('an HTML 429 (Ed-Fi) is a RateLimitError with the excerpt and retryAfterMs', async () => {
    server = await startServer((_req, res) => {
      const body = '<html><body><p>Too many requests, please try again later.</p></body></html>';
      res.writeHead(429, {
        'content-type': 'text/html',
        'retry-after': '50',
        'ratelimit-remaining': '0',
      });
      res.end(body);
    });
    const error = await failure(
      transportFor(server.origin, { ...virtualClock(), retry: { retries: 0 } }).get({
        path: '/users',
      }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(50_000);
    expect((error as RateLimitError).bodyExcerpt).toBe(
      'Too many requests, please try again later.',
    );
  });
});

describe('waiting in the limiter', () => {
  it('an abort while queued rejects at once with AbortError and sends nothing', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const transport = transportFor(server.origin, {
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 1 },
    });
    await transport.get({ path: '/orgs' });
    const controller = new AbortController();
    const started = performance.now();
    const queued = transport.get({ path: '/orgs', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(queued);
    expect(error).toBeInstanceOf(AbortError);
    expect(performance.now() - started).toBeLessThan(900);
    expect(server.arrivals).toHaveLength(1);
  });

  it('an abort while queued for a concurrency slot rejects at once, and the request is never sent', async () => {
    let finishSlow: (() => void) | undefined;
    server = await startServer((req, res) => {
      if (req.url?.includes('slow')) finishSlow = () => json(res, 200, {});
      else json(res, 200, {});
    });
    const transport = transportFor(server.origin, {
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 1000 },
    });
    const slow = transport.get({ path: '/slow' });
    while (!finishSlow) await new Promise((r) => setTimeout(r, 5));
    const controller = new AbortController();
    const queued = transport.get({ path: '/queued', signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error('user cancelled'));
    // Settles while the slot is still taken: it did not wait for p-limit to reach it.
    const error = await failure(queued);
    expect(error).toBeInstanceOf(AbortError);
    expect(((error as AbortError).cause as Error).message).toBe('user cancelled');
    finishSlow();
    await slow;
    // The slot passes on: the next request is served and the aborted one never went out.
    await transport.get({ path: '/after' });
    expect(server.arrivals.map((a) => a.rawUrl.split('/').pop())).toEqual(['slow', 'after']);
  });

  it('the total budget also bounds time spent queued', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const transport = transportFor(server.origin, {
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 1 },
      retry: { totalTimeoutMs: 200 },
    });
    await transport.get({ path: '/orgs' });
    const error = await failure(transport.get({ path: '/orgs' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('retry.totalTimeoutMs');
    expect(server.arrivals).toHaveLength(1);
  });

  it('a retrying request gives its slot back while it waits', async () => {
    server = await startServer((req, res) => {
      if (
        req.url?.includes('flaky') &&
        server?.arrivals.filter((a) => a.rawUrl.includes('flaky')).length === 1
      ) {
        json(res, 503, {}, { 'retry-after': '1' });
      } else json(res, 200, {});
    });
    const transport = transportFor(server.origin, {
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 100 },
    });
    const flaky = transport.get({ path: '/flaky' });
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await transport.get({ path: '/orgs' });
    // Served during the flaky request's 1 s wait, not after it.
    expect(performance.now() - started).toBeLessThan(700);
    await flaky;
  });
});
