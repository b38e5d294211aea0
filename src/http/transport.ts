/**
 * The HTTP transport: the one place that sends requests. Retry, rate limiting, timeouts, error
 * mapping and logging are layered here so every resource gets them for free.
 *
 * @module
 */
import type { AuthStrategy } from '../auth/types';
import { ConfigurationError } from '../errors';
import type { ClientEvent, Logger, RateLimitOptions, RetryOptions } from '../options';
import { authHint } from './auth-hint';
import type { RunnerContext } from './context';
import { resolveRateLimitOptions, resolveRetryOptions } from './defaults';
import { mergeHeaders } from './headers';
import { createHttpLog } from './log';
import { createRateLimiter, unlimited } from './rate-limiter';
import { createRedactor } from './redact';
import { runRequest } from './request-runner';
import { abortableSleep } from './sleep';
import type { Transport, TransportRequest, TransportResponse } from './types';

/** What {@link createHttpTransport} needs. The client validates user input before calling it. */
export interface HttpTransportOptions {
  /** Already validated by the client, e.g. `https://x.test/ims/oneroster/v1p1`. */
  baseUrl: URL;
  /** Built by `createAuthStrategy` from `src/auth`; `authorize()` is called on every attempt. */
  auth: AuthStrategy;
  /** @default globalThis.fetch, looked up per request (so msw installed later still applies) */
  fetch?: typeof globalThis.fetch;
  /** Client-side limits per transport instance; `false` disables them (and adaptive pauses). */
  rateLimit: RateLimitOptions | false;
  /** Retry of idempotent requests; `false` makes one attempt (the total budget still applies). */
  retry: RetryOptions | false;
  /** Per-attempt timeout in ms (sending, waiting and reading the body). */
  timeout: number;
  /** Pino-compatible; gets `debug` per request/response and `warn` on retries and server pauses. */
  logger?: Logger;
  /** Observe requests, responses, retries and rate-limit waits (URLs redacted). */
  onEvent?: (event: ClientEvent) => void;
  /** Extra headers sent with every request (auth headers win over them). */
  headers?: Record<string, string>;
  /** Clock seam for tests. @default Date.now */
  now?: () => number;
  /** Sleep seam for tests; should reject with `signal.reason` when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness seam for backoff jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * Create the transport that resources and the paginator use. Every call goes through the
 * instance's rate limiter, is authorised per attempt, retried when safe and useful, and fails
 * with a typed `OneRosterError`.
 *
 * @throws {ConfigurationError} for invalid retry, rate-limit, timeout or header options.
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({
 *   baseUrl: new URL('https://x.test/ims/oneroster/v1p1'),
 *   auth, // from createAuthStrategy(...)
 *   rateLimit: { maxConcurrent: 4, requestsPerSecond: 10 },
 *   retry: { retries: 5 },
 *   timeout: 30_000,
 * });
 * const { body } = await transport.get({ path: '/users', query: { limit: 100 } });
 * ```
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const retry = resolveRetryOptions(options.retry);
  const rateLimit = resolveRateLimitOptions(options.rateLimit);
  if (!(options.timeout > 0) || !Number.isFinite(options.timeout)) {
    throw new ConfigurationError(
      'timeout',
      `must be a positive number of ms, got ${options.timeout}`,
    );
  }
  const baseUrl = new URL(options.baseUrl);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const redactor = createRedactor(() => options.auth.secrets());
  const limiter = rateLimit
    ? createRateLimiter({ ...rateLimit, now, sleep, maxPauseMs: retry.maxRetryAfterMs })
    : unlimited;
  const context: RunnerContext = {
    baseUrl,
    auth: options.auth,
    fetch: options.fetch,
    retry,
    timeout: options.timeout,
    limiter,
    headers: mergeHeaders('headers', { accept: 'application/json' }, options.headers),
    log: createHttpLog(options.logger, redactor),
    redactor,
    onEvent: options.onEvent,
    now,
    sleep,
    random: options.random ?? Math.random,
    authHint: () => authHint(options.auth, redactor.text),
  };
  return {
    baseUrl,
    get(request: TransportRequest): Promise<TransportResponse> {
      return runRequest(context, { ...request, method: 'GET' });
    },
  };
}
