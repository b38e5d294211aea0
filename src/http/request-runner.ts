/**
 * The request loop: p-retry drives the attempts of one request; our retry policy decides which
 * failures earn another attempt and how long to wait before it.
 *
 * Why p-retry is configured this way: it is the one retry layer (ky's retry is `0`): it runs the
 * attempts, counts retries, and stops on the signal or at `maxRetryTime` (our total budget). Its
 * own delay can neither honour `Retry-After` nor use our `sleep`/`random` seams, so it is zeroed
 * (`minTimeout: 0` sets no timer) and the policy's wait runs in `onFailedAttempt`, which p-retry
 * awaits before asking `shouldRetry` for the verdict. Redirects and the one replay after a
 * credential refresh return `false` from `shouldConsumeRetry`. p-retry refuses even such a free
 * attempt once no retry is left, so it gets `retries + 1`, and `shouldRetry` stops counted retries
 * at `retries` by p-retry's own `retriesConsumed`.
 *
 * @module
 */
import pRetry, { type RetryContext, AbortError as StopRetrying } from 'p-retry';
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
import { type Failure, runAttempt } from './attempt';
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

/** The latest failed attempt and what the p-retry callbacks made of it. */
interface FailedAttempt {
  failure: Failure;
  /** Set by `shouldConsumeRetry`: repeat without counting a retry. */
  replay: 'redirect' | 'refresh' | undefined;
  /** Set by `onFailedAttempt`: the next attempt is ready (replay prepared, or retry wait done). */
  again: boolean;
}

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
  let replayed = false;
  let redirects = 0;
  let latest: FailedAttempt | undefined;

  const budgetError = (): TimeoutError => {
    const lastError = latest?.failure.error;
    return new TimeoutError(
      `${method} ${redacted} gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: ` +
        `the total budget of ${retry.totalTimeoutMs} ms (retry.totalTimeoutMs) ran out` +
        (lastError ? `; last failure: ${lastError.message}` : ''),
      { url: redacted, timeoutMs: retry.totalTimeoutMs, cause: lastError },
    );
  };
  const stopped = (): OneRosterError =>
    budgetSpent
      ? budgetError()
      : new AbortError(`${method} ${redacted} was aborted`, { cause: callerSignal?.reason });
  /** The failed attempt p-retry is asking about (p-retry hands back the error we threw). */
  const failedAttempt = (error: Error): FailedAttempt | undefined =>
    latest?.failure.error === error ? latest : undefined;

  /** Whether a counted retry is allowed; pure, so `onFailedAttempt` and `shouldRetry` agree. */
  function verdict(failure: Failure, retriesConsumed: number): 'retry' | 'stop' | 'too_long' {
    if (!retriable || !failure.transient || retriesConsumed >= retry.retries) return 'stop';
    const { retryAfterMs } = failure;
    return retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs
      ? 'too_long'
      : 'retry';
  }

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

  /** One attempt; a failure is thrown for p-retry to judge, a dead end is wrapped to stop it. */
  async function attemptOnce(attemptNumber: number): Promise<TransportResponse> {
    attempt = attemptNumber;
    const remaining = deadline - now();
    if (remaining <= 0) throw new StopRetrying(budgetError());
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
    if (outcome.kind === 'response') return outcome.response;
    if (outcome.kind === 'aborted') throw new StopRetrying(stopped());
    latest = { failure: outcome.failure, replay: undefined, again: false };
    throw outcome.failure.error;
  }

  function shouldConsumeRetry({ error }: RetryContext): boolean {
    const failed = failedAttempt(error);
    if (!failed) return true;
    const { failure } = failed;
    if (failure.redirectTo && redirects < MAX_REDIRECTS) failed.replay = 'redirect';
    // Replaying with the same credentials cannot help; only a refresh that got new ones can.
    else if (failure.unauthorized && !replayed && context.auth.refresh) failed.replay = 'refresh';
    return failed.replay === undefined;
  }

  async function onFailedAttempt({
    error,
    attemptNumber,
    retriesConsumed,
  }: RetryContext): Promise<void> {
    const failed = failedAttempt(error);
    if (!failed) return;
    const { failure } = failed;
    if (failed.replay === 'redirect' && failure.redirectTo) {
      redirects++;
      url = failure.redirectTo;
      redacted = redactUrl(url);
      log.debug({ method, url: redacted, attempt: attemptNumber }, 'oneroster following redirect');
      failed.again = true;
      return;
    }
    if (failed.replay === 'refresh') {
      if (!(await refreshCredentials())) return;
      replayed = true;
      log.debug(
        { method, url: redacted, attempt: attemptNumber },
        'oneroster credentials refreshed; replaying once',
      );
      failed.again = true;
      return;
    }
    if (failure.unauthorized) return;

    // Decided before the verdict: a 429 pauses the whole instance even when this request will not
    // be retried, and the pause equals the wait this request would take.
    const delay = failure.retryAfterMs ?? backoff();
    if (failure.throttled) context.limiter.onThrottled(delay);
    const decision = verdict(failure, retriesConsumed);
    if (decision === 'too_long') {
      log.warn(
        {
          method,
          url: redacted,
          attempt: attemptNumber,
          retryAfterMs: failure.retryAfterMs,
          maxRetryAfterMs: retry.maxRetryAfterMs,
        },
        'oneroster server asked to wait longer than retry.maxRetryAfterMs; giving up',
      );
    }
    if (decision !== 'retry') return;
    if (now() + delay >= deadline) throw budgetError();

    const reason = reasonOf(failure.error);
    emit({ type: 'retry', method, url: redacted, attempt: attemptNumber, delayMs: delay, reason });
    log.warn(
      { method, url: redacted, attempt: attemptNumber, delayMs: delay, reason },
      'oneroster retrying request',
    );
    failed.again = true;
    try {
      await context.sleep(delay, controller.signal);
    } catch {
      // Only an abort rejects the sleep; p-retry checks the signal right after this callback.
    }
  }

  function shouldRetry({ error, retriesConsumed }: RetryContext): boolean {
    const failed = failedAttempt(error);
    if (!failed) return false;
    if (failed.replay) return failed.again;
    return verdict(failed.failure, retriesConsumed) === 'retry';
  }

  try {
    return await pRetry(attemptOnce, {
      retries: retry.retries + 1,
      minTimeout: 0,
      maxRetryTime: retry.totalTimeoutMs,
      signal: controller.signal,
      shouldConsumeRetry,
      onFailedAttempt,
      shouldRetry,
    });
  } catch (error) {
    if (controller.signal.aborted) throw stopped();
    // p-retry handed back a failure we meant to repeat: only its `maxRetryTime` stops that.
    if (latest?.again && error === latest.failure.error) throw budgetError();
    throw error;
  } finally {
    globalThis.clearTimeout(budgetTimer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}
