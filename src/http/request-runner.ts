/**
 * The request loop: attempt, then retry idempotent requests until success, a permanent failure,
 * the retry count, or the total budget.
 *
 * Why our own loop instead of p-retry: the wait before a retry must be the server's
 * `Retry-After` when it sent one, but p-retry 9 computes its own delay from
 * `minTimeout`/`factor`/`randomize` (honouring the header would mean zeroing its backoff and
 * sleeping inside `onFailedAttempt`, i.e. re-implementing the delay around it). The wait must also
 * go through the injectable `sleep`/`now`/`random` seams, a 429 must pause the instance-wide
 * limiter, a 401 must be replayed once after a credential refresh without counting as a retry, and
 * the loop must tell a per-attempt timeout from the caller's abort and from the total budget. The
 * loop below does all of that in less code than the adaptation would take.
 *
 * @module
 */
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
import { runAttempt } from './attempt';
import type { RunnerContext } from './context';
import { mergeHeaders } from './headers';
import { emitEvent } from './log';
import { createBackoff, SAFE_METHODS } from './retry-policy';
import type { QueryParams, TransportResponse } from './types';
import { buildRequestUrl } from './url';

/** One request as the loop sees it (a `TransportRequest` plus the method). */
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

function reasonOf(error: OneRosterError): string {
  if (error instanceof ApiError) {
    return `HTTP ${error.status}${error.codeMinor ? ` (${error.codeMinor})` : ''}`;
  }
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
  const headers = mergeHeaders('headers', context.headers, request.headers);
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

  const callerSignal = request.signal;
  if (callerSignal?.aborted) {
    throw new AbortError(`${method} ${redacted} was aborted`, { cause: callerSignal.reason });
  }
  // One controller for the whole request: the caller's signal and the total budget both abort it,
  // so every wait (limiter queue, retry sleep, in-flight attempt) stops at once.
  const controller = new AbortController();
  let budgetSpent = false;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const deadline = now() + retry.totalTimeoutMs;
  const budgetTimer = globalThis.setTimeout(() => {
    budgetSpent = !callerSignal?.aborted;
    controller.abort(new Error('total budget exhausted'));
  }, retry.totalTimeoutMs);

  let attempt = 0;
  let retriesUsed = 0;
  let replayed = false;
  let redirects = 0;
  let lastError: OneRosterError | undefined;

  const budgetError = (): TimeoutError =>
    new TimeoutError(
      `${method} ${redacted} gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: ` +
        `the total budget of ${retry.totalTimeoutMs} ms (retry.totalTimeoutMs) ran out` +
        (lastError ? `; last failure: ${lastError.message}` : ''),
      { url: redacted, timeoutMs: retry.totalTimeoutMs, cause: lastError },
    );
  const stopped = (): OneRosterError =>
    budgetSpent
      ? budgetError()
      : new AbortError(`${method} ${redacted} was aborted`, { cause: callerSignal?.reason });

  async function refreshCredentials(): Promise<boolean> {
    try {
      return (await context.auth.refresh?.(controller.signal)) === true;
    } catch (error) {
      if (controller.signal.aborted) throw stopped();
      if (isOneRosterError(error)) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      throw new OneRosterError(
        `Refreshing credentials after HTTP 401 from ${method} ${redacted} failed: ${context.redactor.text(detail)}`,
        { code: 'authentication_failed' },
      );
    }
  }

  try {
    for (;;) {
      if (controller.signal.aborted) throw stopped();
      const remaining = deadline - now();
      if (remaining <= 0) throw budgetError();
      attempt++;
      const outcome = await runAttempt({
        context,
        method,
        url,
        redacted,
        headers,
        attempt,
        timeoutMs: Math.min(attemptTimeout, remaining),
        budgetBound: remaining < attemptTimeout,
        signal: controller.signal,
        emit,
      });
      if (outcome.kind === 'aborted') throw stopped();
      if (outcome.kind === 'response') return outcome.response;
      const { failure } = outcome;
      lastError = failure.error;

      if (failure.redirectTo && redirects < MAX_REDIRECTS) {
        redirects++;
        url = failure.redirectTo;
        redacted = redactUrl(url);
        log.debug({ method, url: redacted, attempt }, 'oneroster following redirect');
        continue;
      }

      if (failure.unauthorized) {
        // Replaying with the same credentials cannot help; only a refresh that got new ones can.
        if (!replayed && context.auth.refresh && (await refreshCredentials())) {
          replayed = true;
          log.debug(
            { method, url: redacted, attempt },
            'oneroster credentials refreshed; replaying once',
          );
          continue;
        }
        throw failure.error;
      }

      // Decided before the retry check: a 429 pauses the whole instance even when this request
      // will not be retried, and the pause equals the wait this request would take.
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
        // Only an abort rejects the sleep; the loop's first line reports it.
      }
    }
  } finally {
    globalThis.clearTimeout(budgetTimer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
