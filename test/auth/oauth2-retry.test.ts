/**
 * Token-request retries, backoff, Retry-After and timeouts, driven by fake timers against msw.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import type { AuthStrategy } from '../../src/auth/types';
import {
  AbortError,
  ConnectionError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../src/errors';
import type { ClientEvent } from '../../src/options';

const TOKEN_URL = 'https://idp.example.test/oauth2/token';
// Captured before fake timers are installed: msw answers through real event-loop turns.
const realSetImmediate = globalThis.setImmediate;
const yieldToEventLoop = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * Advance the fake clock in small steps with a real event-loop turn between them. One big jump
 * could pass a backoff timer before the (real, asynchronous) msw response that schedules it has
 * been processed, which made these tests flaky on a loaded machine.
 */
async function advance(ms: number, step = 10): Promise<void> {
  await settle();
  for (let done = 0; done < ms; done += step) {
    await vi.advanceTimersByTimeAsync(Math.min(step, ms - done));
    await settle();
  }
}

/** Let in-flight msw exchanges finish without moving the fake clock. */
async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await vi.advanceTimersByTimeAsync(0);
    await yieldToEventLoop();
  }
}
const mock = setupServer();
let attempts = 0;
let events: ClientEvent[] = [];

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterAll(() => mock.close());
beforeEach(() => {
  attempts = 0;
  events = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  mock.resetHandlers();
});

/** Answer the n-th token request (1-based) with `responses[n-1]`, the last one repeating. */
function respond(...responses: Array<() => Response | Promise<Response>>) {
  mock.use(
    http.post(TOKEN_URL, () => {
      attempts++;
      const next = responses[Math.min(attempts, responses.length) - 1];
      if (!next) throw new Error('no response configured');
      return next();
    }),
  );
}

const ok = () => HttpResponse.json({ access_token: `t${attempts}`, expires_in: 3600 });
const unavailable = () => new HttpResponse('busy', { status: 503 });

function strategy(): AuthStrategy {
  return createAuthStrategy(
    { type: 'oauth2', tokenUrl: TOKEN_URL, clientId: 'cid', clientSecret: 'csecret' },
    // Late-bound so msw's interception of globalThis.fetch applies.
    { fetch: (input, init) => globalThis.fetch(input, init), onEvent: (e) => events.push(e) },
  );
}

function authorize(s: AuthStrategy, signal?: AbortSignal) {
  const promise = s.authorize({ method: 'GET', url: new URL('https://x.test/users'), signal });
  // Observed later; attach a handler now so an early rejection is not reported as unhandled.
  promise.catch(() => {});
  return promise;
}

describe('token request retries', () => {
  it('retries 5xx twice with growing, jittered backoff, then succeeds', async () => {
    respond(unavailable, unavailable, ok);
    const pending = authorize(strategy());
    await advance(0);
    expect(attempts).toBe(1);
    await advance(199);
    expect(attempts).toBe(1);
    await advance(101);
    expect(attempts).toBe(2);
    await advance(600);
    expect(await pending).toEqual({ Authorization: 'Bearer t3' });
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({
      method: 'POST',
      url: TOKEN_URL,
      attempt: 1,
      reason: 'server_error',
    });
    const [first, second] = retries.map((e) => (e.type === 'retry' ? e.delayMs : 0));
    expect(first).toBeGreaterThanOrEqual(200);
    expect(first).toBeLessThanOrEqual(300);
    expect(second).toBeGreaterThanOrEqual(400);
    expect(second).toBeLessThanOrEqual(600);
  });

  it('gives up after 3 attempts with a retryable ServerError', async () => {
    respond(unavailable);
    const pending = authorize(strategy());
    await advance(2_000);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).retryable).toBe(true);
    expect((error as ServerError).message).toContain(TOKEN_URL);
    expect(attempts).toBe(3);
  });

  it('maps network failures to ConnectionError after retrying', async () => {
    respond(() => HttpResponse.error());
    const pending = authorize(strategy());
    await advance(2_000);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain(TOKEN_URL);
    expect(attempts).toBe(3);
  });

  it('honours a short Retry-After on 429', async () => {
    respond(() => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '2' } }), ok);
    const pending = authorize(strategy());
    await advance(1_999);
    expect(attempts).toBe(1);
    await advance(1);
    expect(await pending).toEqual({ Authorization: 'Bearer t2' });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'retry', delayMs: 2_000, reason: 'rate_limited' }),
    );
  });

  it('fails at once on a 429 asking for a long wait', async () => {
    respond(() => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '60' } }));
    const pending = authorize(strategy());
    await advance(0);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(60_000);
    expect(attempts).toBe(1);
  });

  it('times out each attempt after 30 s', async () => {
    respond(() => new Promise<Response>(() => {}), ok);
    const pending = authorize(strategy());
    await advance(29_999);
    expect(attempts).toBe(1);
    await advance(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', reason: 'timeout' }));
    await advance(1_000);
    expect(await pending).toEqual({ Authorization: 'Bearer t2' });
  });

  it('fails with TimeoutError when every attempt hangs', async () => {
    respond(() => new Promise<Response>(() => {}));
    const pending = authorize(strategy());
    await advance(3 * 30_000 + 2_000);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(attempts).toBe(3);
  });

  it('stops retrying when the caller aborts during backoff', async () => {
    respond(unavailable);
    const controller = new AbortController();
    const pending = authorize(strategy(), controller.signal);
    await advance(50);
    expect(attempts).toBe(1);
    controller.abort();
    await advance(5_000);
    expect(await pending.catch((e: unknown) => e)).toBeInstanceOf(AbortError);
    expect(attempts).toBe(1);
  });
});
