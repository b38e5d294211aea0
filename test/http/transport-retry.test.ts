import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  BadRequestError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  OneRosterError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../src/errors';
import type { ClientEvent } from '../../src/options';
import { virtualClock } from './helpers/clock';
import { json, startServer, type TestServer, text } from './helpers/server';
import { failure, transportFor } from './helpers/transport';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const USERS = { users: [{ sourcedId: 'u1' }] };

describe('retry', () => {
  it('honours Retry-After in seconds on 429, then succeeds', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) text(res, 429, 'slow down', 'text/plain', { 'retry-after': '1' });
      else json(res, 200, USERS);
    });
    const clock = virtualClock();
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, { ...clock, onEvent: (e) => events.push(e) });
    const response = await transport.get({ path: '/users' });
    expect(response.body).toEqual(USERS);
    expect(clock.sleeps).toEqual([1000]);
    expect(server.arrivals).toHaveLength(2);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({
        type: 'retry',
        method: 'GET',
        attempt: 1,
        delayMs: 1000,
        reason: 'HTTP 429',
      }),
    ]);
  });

  it('honours Retry-After as an HTTP date, measured against the response Date header', async () => {
    const serverNow = Date.UTC(2026, 2, 1, 8, 0, 0);
    server = await startServer((_req, res, i) => {
      if (i === 0) {
        json(
          res,
          429,
          {},
          {
            date: new Date(serverNow).toUTCString(),
            'retry-after': new Date(serverNow + 3000).toUTCString(),
          },
        );
      } else json(res, 200, USERS);
    });
    const clock = virtualClock(); // a different day: the local clock is not used
    await transportFor(server.origin, clock).get({ path: '/users' });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('honours Retry-After as an HTTP date against the local clock when no Date is sent', async () => {
    const clock = virtualClock();
    server = await startServer((_req, res, i) => {
      res.sendDate = false;
      if (i === 0)
        json(res, 503, {}, { 'retry-after': new Date(clock.now() + 2000).toUTCString() });
      else json(res, 200, USERS);
    });
    await transportFor(server.origin, clock).get({ path: '/users' });
    expect(clock.sleeps).toEqual([2000]);
  });

  it('retries 503 twice with jittered backoff, then succeeds', async () => {
    server = await startServer((_req, res, i) => {
      if (i < 2) json(res, 503, { imsx_codeMajor: 'failure', imsx_severity: 'error' });
      else json(res, 200, USERS);
    });
    const clock = virtualClock();
    const transport = transportFor(server.origin, {
      ...clock,
      random: () => 0.5,
      retry: { retries: 5, minDelayMs: 100, maxDelayMs: 10_000 },
    });
    expect((await transport.get({ path: '/users' })).status).toBe(200);
    expect(clock.sleeps).toEqual([200, 350]);
    expect(server.arrivals).toHaveLength(3);
  });

  it('retries a connection reset (socket destroyed) then succeeds', async () => {
    server = await startServer((req, res, i) => {
      if (i === 0) req.socket.destroy();
      else json(res, 200, USERS);
    });
    const clock = virtualClock();
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, { ...clock, onEvent: (e) => events.push(e) });
    expect((await transport.get({ path: '/users' })).body).toEqual(USERS);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry).toMatchObject({ reason: 'connection_error' });
  });

  it('retries a connection cut mid-body', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"users":[');
        setTimeout(() => res.socket?.destroy(), 10);
      } else json(res, 200, USERS);
    });
    const transport = transportFor(server.origin, virtualClock());
    expect((await transport.get({ path: '/users' })).body).toEqual(USERS);
    expect(server.arrivals).toHaveLength(2);
  });

  it('retries truncated JSON on a 2xx, then succeeds', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) text(res, 200, '{"users":[{"sourcedId":"u1"', 'application/json');
      else json(res, 200, USERS);
    });
    const transport = transportFor(server.origin, virtualClock());
    expect((await transport.get({ path: '/users' })).body).toEqual(USERS);
    expect(server.arrivals).toHaveLength(2);
  });

  it('fails with InvalidResponseError when truncation persists, without quoting the body', async () => {
    server = await startServer((_req, res) =>
      text(res, 200, '{"users":[{"givenName":"Pat Secret"', 'application/json'),
    );
    const transport = transportFor(server.origin, {
      ...virtualClock(),
      retry: { retries: 2, minDelayMs: 1 },
    });
    const error = await failure(transport.get({ path: '/users' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('truncated');
    expect(error.message).not.toContain('Pat Secret');
    expect(String((error as InvalidResponseError).cause)).not.toContain('Pat Secret');
    expect(server.arrivals).toHaveLength(3);
  });

  it('gives up with a TimeoutError naming the budget when the next wait would exceed it', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    const clock = virtualClock();
    const transport = transportFor(server.origin, {
      ...clock,
      random: () => 1,
      retry: { retries: 10, minDelayMs: 1000, maxDelayMs: 1000, totalTimeoutMs: 3500 },
    });
    const error = await failure(transport.get({ path: '/users' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('retry.totalTimeoutMs');
    expect(error.message).toContain('3500');
    expect((error as TimeoutError).timeoutMs).toBe(3500);
    expect((error as TimeoutError).cause).toBeInstanceOf(ServerError);
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
  });

  it.each([
    [400, BadRequestError],
    [404, NotFoundError],
  ])('does not retry HTTP %i', async (status, Class) => {
    server = await startServer((_req, res) => json(res, status, { imsx_codeMajor: 'failure' }));
    const clock = virtualClock();
    const error = await failure(transportFor(server.origin, clock).get({ path: '/users' }));
    expect(error).toBeInstanceOf(Class);
    expect(server.arrivals).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it.each([
    ['retries: 0', { retries: 0 }],
    ['retry: false', false],
  ] as const)('%s makes a single attempt', async (_name, retry) => {
    server = await startServer((_req, res) => json(res, 503, {}));
    const error = await failure(
      transportFor(server.origin, { ...virtualClock(), retry }).get({ path: '/users' }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(server.arrivals).toHaveLength(1);
  });

  it('stops after `retries` and throws the last error', async () => {
    server = await startServer((_req, res) => json(res, 502, {}));
    const error = await failure(
      transportFor(server.origin, { ...virtualClock(), retry: { retries: 2, minDelayMs: 1 } }).get({
        path: '/u',
      }),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(502);
    expect(server.arrivals).toHaveLength(3);
  });

  it('fails with the RateLimitError when Retry-After exceeds maxRetryAfterMs', async () => {
    server = await startServer((_req, res) => json(res, 429, {}, { 'retry-after': '600' }));
    const clock = virtualClock();
    const error = await failure(
      transportFor(server.origin, { ...clock, retry: { maxRetryAfterMs: 60_000 } }).get({
        path: '/users',
      }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(600_000);
    expect(error.message).toContain('429');
    expect(clock.sleeps).toEqual([]);
    expect(server.arrivals).toHaveLength(1);
  });

  it('uses backoff for a 429 without Retry-After (ClassLink)', async () => {
    server = await startServer((_req, res, i) =>
      i === 0 ? json(res, 429, {}) : json(res, 200, USERS),
    );
    const clock = virtualClock();
    await transportFor(server.origin, {
      ...clock,
      random: () => 0,
      retry: { minDelayMs: 250, maxDelayMs: 1000 },
    }).get({ path: '/users' });
    expect(clock.sleeps).toEqual([250]);
  });

  it('an AbortSignal cancels a retry wait immediately with AbortError', async () => {
    server = await startServer((_req, res) => json(res, 503, {}, { 'retry-after': '30' }));
    const controller = new AbortController();
    const transport = transportFor(server.origin); // real sleep: a 30 s wait
    const started = performance.now();
    const pending = transport.get({ path: '/users', signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const error = await failure(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toBeInstanceOf(OneRosterError);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('an AbortSignal cancels an in-flight request immediately with AbortError', async () => {
    let closed = false;
    server = await startServer((req) => {
      req.socket.on('close', () => {
        closed = true;
      });
      // never answers
    });
    const controller = new AbortController();
    const pending = transportFor(server.origin).get({ path: '/users', signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort(new Error('user cancelled'));
    const error = await failure(pending);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).code).toBe('aborted');
    expect(((error as AbortError).cause as Error).message).toBe('user cancelled');
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });

  it('rejects at once with AbortError when the signal is already aborted', async () => {
    server = await startServer((_req, res) => json(res, 200, USERS));
    const error = await failure(
      transportFor(server.origin).get({ path: '/users', signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(server.arrivals).toHaveLength(0);
  });

  it('retries a per-attempt timeout against a slow server, then throws TimeoutError', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => json(res, 200, USERS), 2000).unref();
    });
    const transport = transportFor(server.origin, {
      timeout: 100,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    });
    const error = await failure(transport.get({ path: '/users' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('100 ms');
    expect((error as TimeoutError).timeoutMs).toBe(100);
    expect(server.arrivals).toHaveLength(3);
  });

  it('a per-request timeout overrides the transport timeout', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => json(res, 200, USERS), 300).unref();
    });
    const transport = transportFor(server.origin, { timeout: 50, retry: false });
    expect((await transport.get({ path: '/users', timeout: 2000 })).status).toBe(200);
  });

  it('a slow body counts against the per-attempt timeout', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"users":[');
      setTimeout(() => res.end(']}'), 2000).unref();
    });
    const error = await failure(
      transportFor(server.origin, { timeout: 150, retry: false }).get({ path: '/u' }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('the total budget bounds a hung attempt too', async () => {
    server = await startServer(() => {});
    const error = await failure(
      transportFor(server.origin, { timeout: 10_000, retry: { totalTimeoutMs: 150 } }).get({
        path: '/u',
      }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain('retry.totalTimeoutMs');
  });

  it('refused connections are retried, then surface as ConnectionError with the code', async () => {
    const probe = await startServer(() => {});
    const origin = probe.origin;
    await probe.close(); // nothing listens there now
    const clock = virtualClock();
    const error = await failure(
      transportFor(origin, { ...clock, retry: { retries: 2, minDelayMs: 1 } }).get({
        path: '/users',
      }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(clock.sleeps).toHaveLength(2);
    expect((error as ConnectionError).retryable).toBe(true);
  });
});
