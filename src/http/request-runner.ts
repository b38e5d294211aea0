/**
 * The request loop: rate limit, authorise, exchange, interpret, and retry (idempotent requests
 * only) until success, a permanent failure, the retry count, or the total budget.
 *
 * Why our own loop instead of p-retry: the wait before a retry must be the server's
 * `Retry-After` when it sent one (p-retry 9 can only compute its own backoff), the wait must go
 * through the injectable `sleep`/`now`/`random` seams and the instance-wide rate limiter, a 401
 * must be replayed once after a credential refresh without counting as a retry, and the loop must
 * tell a per-attempt timeout from the caller's abort and from the total budget. Bending p-retry to
 * all of that would take more code than the loop itself.
 *
 * @module
 */
import type { AuthStrategy } from '../auth/types';
import {
  AbortError,
  ApiError,
  ConfigurationError,
  isOneRosterError,
  OneRosterError,
  redactUrl,
  TimeoutError,
} from '../errors';
import type { ClientEvent } from '../options';
import type { ResolvedRetryOptions } from './defaults';
import { ExchangeFailure, exchange } from './exchange';
import { classifyThrown } from './failure';
import { emitEvent, type HttpLog } from './log';
import { parseServerRateLimit } from './rate-limit-headers';
import type { RequestLimiter, WaitReason } from './rate-limiter';
import type { Redactor } from './redact';
import { errorForStatus, parseSuccessBody, type ResponseContext } from './response';
import { createBackoff, isTransientFailure, parseRetryAfter, SAFE_METHODS } from './retry-policy';
import type { QueryParams, TransportResponse } from './types';
import { buildRequestUrl } from './url';

/** Everything the loop needs that does not change between requests. */
export interface RunnerContext {
  baseUrl: URL;
  auth: AuthStrategy;
  fetch: typeof globalThis.fetch | undefined;
  retry: ResolvedRetryOptions;
  timeout: number;
  limiter: RequestLimiter;
  headers: Headers;
  log: HttpLog;
  redactor: Redactor;
  onEvent: ((event: ClientEvent) => void) | undefined;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  authHint: () => string;
}

/** One request as the loop sees it. */
export interface RunRequest {
  method: string;
  path: string | URL;
  query?: QueryParams | undefined;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
  headers?: Record<string, string> | undefined;
  onEvent?: ((event: ClientEvent) => void) | undefined;
  /** Retry a non-safe method anyway (the caller knows it is idempotent). @default false */
  idempotent?: boolean | undefined;
}

const MAX_REDIRECTS = 5;

/** Why the per-request controller fired. */
type AbortCause = 'caller' | 'budget';

/** A failed attempt, ready for the retry decision. */
interface Failure {
  error: OneRosterError;
  transient: boolean;
  /** Server-requested wait (`Retry-After`), if any. */
  retryAfterMs?: number | undefined;
  /** A 429 (or success-shaped `server_busy`): slow the whole instance down. */
  throttled?: boolean;
  /** Came from the resource server with 401 (not from the token endpoint). */
  unauthorized?: boolean;
  /** A same-origin redirect to follow. */
  redirectTo?: URL;
}

/**
 * Merge header sets, later ones winning, validating names and values (a bad one would otherwise
 * surface as an unclassified `TypeError` from deep inside fetch).
 *
 * @throws {ConfigurationError} naming the header, never its value.
 *
 * @example
 * ```ts
 * const headers = mergeHeaders('headers', base, { 'X-Trace': 'abc' });
 * ```
 */
export function mergeHeaders(
  option: string,
  ...sets: Array<Headers | Record<string, string> | undefined>
): Headers {
  const out = new Headers();
  for (const set of sets) {
    if (!set) continue;
    const entries = set instanceof Headers ? set.entries() : Object.entries(set);
    for (const [name, value] of entries) {
      try {
        out.set(name, value);
      } catch {
        throw new ConfigurationError(option, `header "${name}" has an invalid name or value`);
      }
    }
  }
  return out;
}

function reasonOf(error: OneRosterError): string {
  if (error instanceof ApiError)
    return `HTTP ${error.status}${error.codeMinor ? ` (${error.codeMinor})` : ''}`;
  return error.code;
}

/**
 * Run one request to completion.
 *
 * @throws {OneRosterError} always typed: `ApiError` subclasses, `ConnectionError`,
 *   `TimeoutError`, `InvalidResponseError`, `AbortError`, `PaginationError`,
 *   `ConfigurationError`.
 *
 * @example
 * ```ts
 * const response = await runRequest(context, { method: 'GET', path: '/users' });
 * ```
 */
export async function runRequest(
  context: RunnerContext,
  request: RunRequest,
): Promise<TransportResponse> {
  const { retry, log, now } = context;
  const method = request.method.toUpperCase();
  let url = buildRequestUrl(context.baseUrl, request.path, request.query);
  let redacted = redactUrl(url);
  const requestHeaders = mergeHeaders('headers', context.headers, request.headers);
  const attemptTimeout = request.timeout ?? context.timeout;
  if (!(attemptTimeout > 0) || !Number.isFinite(attemptTimeout)) {
    throw new ConfigurationError(
      'timeout',
      `must be a positive number of ms, got ${attemptTimeout}`,
    );
  }
  const retriable = request.idempotent === true || SAFE_METHODS.has(method);
  const listeners = [context.onEvent, request.onEvent] as const;
  const emit = (event: ClientEvent): void => emitEvent(event, listeners, log);
  const backoff = createBackoff(retry, context.random);

  // One controller for the whole request: the caller's signal and the total budget both abort it,
  // so every wait (limiter, retry sleep, in-flight attempt) stops at once.
  const controller = new AbortController();
  let abortCause: AbortCause | undefined;
  const callerSignal = request.signal;
  const onCallerAbort = (): void => {
    abortCause ??= 'caller';
    controller.abort(callerSignal?.reason);
  };
  if (callerSignal?.aborted)
    throw new AbortError(`${method} ${redacted} was aborted`, { cause: callerSignal.reason });
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const started = now();
  const deadline = started + retry.totalTimeoutMs;
  const budgetTimer = globalThis.setTimeout(() => {
    abortCause ??= 'budget';
    controller.abort(new Error('total budget exhausted'));
  }, retry.totalTimeoutMs);

  let attempt = 0;
  let retriesUsed = 0;
  let replayedAfterRefresh = false;
  let redirects = 0;
  let lastError: OneRosterError | undefined;

  const budgetError = (): TimeoutError =>
    new TimeoutError(
      `${method} ${redacted} gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: ` +
        `the total budget of ${retry.totalTimeoutMs} ms (retry.totalTimeoutMs) ran out` +
        (lastError ? `; last failure: ${lastError.message}` : ''),
      { url: redacted, timeoutMs: retry.totalTimeoutMs, cause: lastError },
    );
  const abortedError = (): OneRosterError =>
    abortCause === 'budget'
      ? budgetError()
      : new AbortError(`${method} ${redacted} was aborted`, { cause: callerSignal?.reason });

  try {
    for (;;) {
      if (controller.signal.aborted) throw abortedError();
      const remaining = deadline - now();
      if (remaining <= 0) throw budgetError();
      attempt++;

      const failure = await attemptOnce(
        Math.min(attemptTimeout, remaining),
        remaining < attemptTimeout,
      );
      if (!('error' in failure)) return failure;
      lastError = failure.error;

      if (failure.redirectTo && redirects < MAX_REDIRECTS) {
        redirects++;
        url = failure.redirectTo;
        redacted = redactUrl(url);
        log.debug({ method, url: redacted, attempt }, 'oneroster following redirect');
        continue;
      }

      if (failure.unauthorized) {
        if (!replayedAfterRefresh && context.auth.refresh) {
          replayedAfterRefresh = true;
          if (await refreshCredentials()) {
            log.debug(
              { method, url: redacted, attempt },
              'oneroster credentials refreshed; replaying once',
            );
            continue;
          }
        }
        throw failure.error;
      }

      // Decided before the retry check: a 429 pauses the whole instance even when this request
      // itself will not be retried, and the pause matches the wait this request would take.
      const delay = failure.retryAfterMs ?? backoff();
      if (failure.throttled) context.limiter.onThrottled(delay);
      if (!retriable || !failure.transient || retriesUsed >= retry.retries) throw failure.error;

      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > retry.maxRetryAfterMs) {
        log.warn(
          {
            method,
            url: redacted,
            attempt,
            retryAfterMs: failure.retryAfterMs,
            maxRetryAfterMs: retry.maxRetryAfterMs,
          },
          'oneroster server asked to wait longer than retry.maxRetryAfterMs; giving up',
        );
        throw failure.error;
      }
      if (now() + delay >= deadline) throw budgetError();
      retriesUsed++;
      const reason = reasonOf(failure.error);
      emit({ type: 'retry', method, url: redacted, attempt, delayMs: delay, reason });
      log.warn(
        { method, url: redacted, attempt, delayMs: delay, reason },
        'oneroster retrying request',
      );
      try {
        await context.sleep(delay, controller.signal);
      } catch {
        // Only an abort rejects a sleep; reported below.
      }
    }
  } finally {
    globalThis.clearTimeout(budgetTimer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }

  async function refreshCredentials(): Promise<boolean> {
    try {
      return (await context.auth.refresh?.(controller.signal)) === true;
    } catch (error) {
      if (controller.signal.aborted) throw abortedError();
      if (isOneRosterError(error)) throw error;
      throw new OneRosterError(
        `Refreshing credentials after HTTP 401 from ${method} ${redacted} failed: ` +
          context.redactor.text(error instanceof Error ? error.message : String(error)),
        { code: 'authentication_failed' },
      );
    }
  }

  async function attemptOnce(
    timeoutMs: number,
    budgetBound: boolean,
  ): Promise<TransportResponse | Failure> {
    const onWait = (delayMs: number, reason: WaitReason): void => {
      emit({ type: 'rate_limit_wait', delayMs, reason });
      const fields = { method, url: redacted, delayMs, reason };
      // Pacing by our own limit is normal operation; a server-imposed pause is worth a warning.
      if (reason === 'client_limit') log.debug(fields, 'oneroster rate limit wait');
      else log.warn(fields, 'oneroster server rate limit: pausing requests');
    };
    let permit: Awaited<ReturnType<RequestLimiter['acquire']>>;
    try {
      permit = await context.limiter.acquire(controller.signal, onWait);
    } catch {
      throw abortedError();
    }
    // The per-attempt timer starts once we may send: time spent queued is not the server's fault.
    const attemptController = new AbortController();
    let timedOut = false;
    const onRequestAbort = (): void => attemptController.abort(controller.signal.reason);
    controller.signal.addEventListener('abort', onRequestAbort, { once: true });
    const timer = globalThis.setTimeout(() => {
      timedOut = true;
      attemptController.abort(new Error('attempt timed out'));
    }, timeoutMs);
    const startedAt = now();
    const timeoutFailure = (): Failure => {
      const what = budgetBound
        ? `the remaining total budget (retry.totalTimeoutMs = ${retry.totalTimeoutMs} ms) ran out`
        : `no complete response within ${timeoutMs} ms (timeout)`;
      return {
        error: new TimeoutError(`${method} ${redacted} timed out: ${what}`, {
          url: redacted,
          timeoutMs,
        }),
        // A budget-bound attempt has no time left for another one.
        transient: !budgetBound,
      };
    };
    try {
      let authHeaders: Record<string, string>;
      try {
        authHeaders = await context.auth.authorize({
          method,
          url,
          signal: attemptController.signal,
        });
      } catch (error) {
        if (controller.signal.aborted) throw abortedError();
        if (timedOut) return timeoutFailure();
        if (isOneRosterError(error)) return { error, transient: isTransientFailure(error) };
        return {
          error: new OneRosterError(
            `Could not obtain credentials for ${method} ${redacted}: ` +
              context.redactor.text(error instanceof Error ? error.message : String(error)),
            { code: 'authentication_failed' },
          ),
          transient: false,
        };
      }
      const headers = mergeHeaders('headers', requestHeaders, authHeaders);
      emit({ type: 'request', method, url: redacted, attempt });
      log.debug({ method, url: redacted, attempt }, 'oneroster request');

      let received: Awaited<ReturnType<typeof exchange>>;
      try {
        received = await exchange({
          method,
          url,
          headers,
          signal: attemptController.signal,
          fetch: context.fetch,
          onHeaders: () => permit.stamp(),
        });
      } catch (error) {
        if (controller.signal.aborted) throw abortedError();
        if (timedOut) return timeoutFailure();
        const failure =
          error instanceof ExchangeFailure ? error : new ExchangeFailure('request', error);
        return classifyThrown(failure.cause, method, redacted, failure.phase);
      }

      const durationMs = Math.max(0, now() - startedAt);
      const { status, headers: responseHeaders, text } = received;
      emit({ type: 'response', method, url: redacted, status, durationMs, attempt });
      log.debug({ method, url: redacted, status, durationMs, attempt }, 'oneroster response');

      const quota = parseServerRateLimit(responseHeaders, now());
      if (quota?.remaining !== undefined && quota.remaining <= 0 && quota.resetMs !== undefined) {
        context.limiter.onQuotaExhausted(quota.resetMs);
      }
      const retryAfterMs = parseRetryAfter(responseHeaders, now());
      const responseContext: ResponseContext = {
        method,
        url: redacted,
        redact: context.redactor.text,
        authHint: context.authHint,
        retryAfterMs,
      };

      if (status >= 200 && status < 300) {
        try {
          const body = parseSuccessBody(status, responseHeaders, text, responseContext);
          return { status, url, headers: responseHeaders, body };
        } catch (error) {
          if (!isOneRosterError(error)) throw error;
          const typed = error;
          return {
            error: typed,
            transient: isTransientFailure(typed),
            retryAfterMs,
            throttled: typed.code === 'rate_limited',
          };
        }
      }
      if (status >= 300 && status < 400)
        return redirectFailure(status, responseHeaders, text, responseContext);
      const error = errorForStatus(status, responseHeaders, text, responseContext);
      return {
        error,
        transient: isTransientFailure(error),
        retryAfterMs,
        throttled: status === 429,
        unauthorized: status === 401,
      };
    } finally {
      globalThis.clearTimeout(timer);
      controller.signal.removeEventListener('abort', onRequestAbort);
      permit.release();
    }
  }

  function redirectFailure(
    status: number,
    headers: Headers,
    text: string,
    responseContext: ResponseContext,
  ): Failure {
    const error = errorForStatus(status, headers, text, responseContext);
    const location = headers.get('location');
    if (!location || (method !== 'GET' && method !== 'HEAD')) return { error, transient: false };
    let target: URL;
    try {
      target = new URL(location, url);
    } catch {
      return { error, transient: false };
    }
    // Credentials go to the base origin only; a redirect elsewhere is reported, not followed.
    if (target.origin !== context.baseUrl.origin) return { error, transient: false };
    return { error, transient: false, redirectTo: target };
  }
}
