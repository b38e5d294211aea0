/**
 * One attempt of a request: wait for the rate limiter, authorise (fresh signature per attempt),
 * exchange, and turn the outcome into a response or a classified failure for the retry layer
 * (p-retry, driven by `request-runner.ts`).
 *
 * @module
 */
import { isOneRosterError, OneRosterError, TimeoutError } from '../errors';
import type { ClientEvent } from '../options';
import type { RunnerContext } from './context';
import { type Exchanged, ExchangeFailure, exchange } from './exchange';
import { classifyThrown } from './failure';
import { mergeHeaders } from './headers';
import { parseServerRateLimit } from './rate-limit-headers';
import type { RateLimitPermit, WaitReason } from './rate-limiter';
import { errorForStatus, parseSuccessBody, type ResponseContext } from './response';
import { isTransientFailure, parseRetryAfter } from './retry-policy';
import type { TransportResponse } from './types';

/** A failed attempt, with what the retry layer needs to decide. */
export interface Failure {
  error: OneRosterError;
  /** Repeating the same request may succeed. */
  transient: boolean;
  /** The server's `Retry-After`, if it sent one. */
  retryAfterMs?: number | undefined;
  /** A 429 (or a success-shaped `server_busy`): slow the whole instance down. */
  throttled?: boolean;
  /** A 401 from the resource server (not from a token endpoint): refresh and replay once. */
  unauthorized?: boolean;
  /** A same-origin redirect worth following (re-authorised for the new URL). */
  redirectTo?: URL;
}

/** How an attempt ended. `aborted`: the request's signal fired (caller or total budget). */
export type AttemptOutcome =
  | { kind: 'response'; response: TransportResponse }
  | { kind: 'failure'; failure: Failure }
  | { kind: 'aborted' };

/** One attempt's inputs. */
export interface AttemptInput {
  context: RunnerContext;
  method: string;
  /** The exact URL to send and sign. */
  url: URL;
  /** `url` with credentials removed, for messages, logs and events. */
  redacted: string;
  /** Request headers before auth. */
  headers: Headers;
  attempt: number;
  timeoutMs: number;
  /** `timeoutMs` is what is left of the total budget, not the configured timeout. */
  budgetBound: boolean;
  /** The request-level signal (caller abort or total budget). */
  signal: AbortSignal;
  emit: (event: ClientEvent) => void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run one attempt. Never throws for the server's or the network's doing: those are failures for
 * the retry layer to judge.
 *
 * @example
 * ```ts
 * const outcome = await runAttempt({ context, method: 'GET', url, redacted, headers, attempt: 1,
 *   timeoutMs: 30_000, budgetBound: false, signal, emit });
 * ```
 */
export async function runAttempt(input: AttemptInput): Promise<AttemptOutcome> {
  const { context, method, url, redacted, attempt, signal, emit } = input;
  const { log, now } = context;
  const onWait = (delayMs: number, reason: WaitReason): void => {
    emit({ type: 'rate_limit_wait', delayMs, reason });
    const fields = { method, url: redacted, delayMs, reason };
    // Pacing by our own limit is normal operation (a debug line per wait); a server-imposed pause
    // is worth a warning.
    if (reason === 'client_limit') log.debug(fields, 'oneroster rate limit wait');
    else log.warn(fields, 'oneroster server rate limit: pausing requests');
  };
  let permit: RateLimitPermit;
  try {
    permit = await context.limiter.acquire(signal, onWait);
  } catch {
    return { kind: 'aborted' };
  }

  // The attempt timer starts once we may send: time spent queued is not the server's fault.
  const attemptController = new AbortController();
  let timedOut = false;
  const forwardAbort = (): void => attemptController.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  const timer = globalThis.setTimeout(() => {
    timedOut = true;
    attemptController.abort(new Error('attempt timed out'));
  }, input.timeoutMs);
  const fail = (failure: Failure): AttemptOutcome => ({ kind: 'failure', failure });
  const interrupted = (): AttemptOutcome | undefined => {
    if (signal.aborted) return { kind: 'aborted' };
    if (!timedOut) return undefined;
    const what = input.budgetBound
      ? `the remaining total budget (retry.totalTimeoutMs = ${context.retry.totalTimeoutMs} ms) ran out`
      : `no complete response within ${input.timeoutMs} ms (timeout)`;
    return fail({
      error: new TimeoutError(`${method} ${redacted} timed out: ${what}`, {
        url: redacted,
        timeoutMs: input.timeoutMs,
      }),
      // A budget-bound attempt leaves no time for another one.
      transient: !input.budgetBound,
    });
  };

  try {
    let authHeaders: Record<string, string>;
    try {
      authHeaders = await context.auth.authorize({ method, url, signal: attemptController.signal });
    } catch (error) {
      const stopped = interrupted();
      if (stopped) return stopped;
      // A token endpoint's own errors are already typed (and may be transient: one retry layer).
      if (isOneRosterError(error)) return fail({ error, transient: isTransientFailure(error) });
      return fail({
        error: new OneRosterError(
          `Could not obtain credentials for ${method} ${redacted}: ${context.redactor.text(message(error))}`,
          { code: 'authentication_failed' },
        ),
        transient: false,
      });
    }
    const headers = mergeHeaders('headers', input.headers, authHeaders);
    emit({ type: 'request', method, url: redacted, attempt });
    log.debug({ method, url: redacted, attempt }, 'oneroster request');

    const startedAt = now();
    let received: Exchanged;
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
      const stopped = interrupted();
      if (stopped) return stopped;
      const failure =
        error instanceof ExchangeFailure ? error : new ExchangeFailure('request', error);
      return fail(classifyThrown(failure.cause, method, redacted, failure.phase));
    }
    const durationMs = Math.max(0, now() - startedAt);
    emit({ type: 'response', method, url: redacted, status: received.status, durationMs, attempt });
    log.debug(
      { method, url: redacted, status: received.status, durationMs, attempt },
      'oneroster response',
    );
    return interpret(input, received);
  } finally {
    globalThis.clearTimeout(timer);
    signal.removeEventListener('abort', forwardAbort);
    permit.release();
  }
}

/** Turn a received response into data or a failure; feed the limiter the server's signals. */
function interpret(input: AttemptInput, received: Exchanged): AttemptOutcome {
  const { context, method, url, redacted } = input;
  const { status, headers, text } = received;
  const now = context.now();
  const quota = parseServerRateLimit(headers, now);
  if (quota?.remaining !== undefined && quota.remaining <= 0 && quota.resetMs !== undefined) {
    context.limiter.onQuotaExhausted(quota.resetMs);
  }
  const retryAfterMs = parseRetryAfter(headers, now);
  const responseContext: ResponseContext = {
    method,
    url: redacted,
    redact: context.redactor.text,
    authHint: context.authHint,
    retryAfterMs,
  };

  if (status >= 200 && status < 300) {
    let body: unknown;
    try {
      body = parseSuccessBody(status, headers, text, responseContext);
    } catch (error) {
      if (!isOneRosterError(error)) throw error;
      return {
        kind: 'failure',
        failure: {
          error,
          transient: isTransientFailure(error),
          retryAfterMs,
          throttled: error.code === 'rate_limited',
        },
      };
    }
    return { kind: 'response', response: { status, url, headers, body } };
  }

  const error = errorForStatus(status, headers, text, responseContext);
  if (status >= 300 && status < 400) {
    const target = redirectTarget(input, headers.get('location'));
    return {
      kind: 'failure',
      failure: target
        ? { error, transient: false, redirectTo: target }
        : { error, transient: false },
    };
  }
  return {
    kind: 'failure',
    failure: {
      error,
      transient: isTransientFailure(error),
      retryAfterMs,
      throttled: status === 429,
      unauthorized: status === 401,
    },
  };
}

/** A redirect is followed only for safe methods and only on the base origin (credentials). */
function redirectTarget(input: AttemptInput, location: string | null): URL | undefined {
  if (!location || (input.method !== 'GET' && input.method !== 'HEAD')) return undefined;
  let target: URL;
  try {
    target = new URL(location, input.url);
  } catch {
    return undefined;
  }
  return target.origin === input.context.baseUrl.origin ? target : undefined;
}
