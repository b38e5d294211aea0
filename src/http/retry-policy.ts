/**
 * Which failures are retried and how long to wait. Pure functions; p-retry, configured in
 * `request-runner.ts`, drives the attempts and asks these.
 *
 * @module
 */
import { ApiError, ConnectionError, InvalidResponseError, TimeoutError } from '../errors';
import type { ResolvedRetryOptions } from './defaults';

/** HTTP statuses worth repeating: the request may succeed unchanged later. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Methods retried without the caller saying so: safe methods, which change nothing. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether repeating the same request may succeed. Deliberately narrower than
 * `OneRosterError.retryable`: a 501 is a `ServerError` (retryable in general) but retrying it
 * here would only burn the budget.
 *
 * `TimeoutError` here is always a per-attempt timeout: an attempt cut short by the total budget
 * is never transient, and the budget itself is enforced by `request-runner.ts`.
 *
 * @example
 * ```ts
 * isTransientFailure(new ConnectionError('reset')); // true
 * ```
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof ApiError) {
    // A success-shaped failure (2xx with an imsx failure body) carries its own verdict.
    if (error.status >= 200 && error.status < 300) return error.retryable;
    return RETRY_STATUSES.has(error.status);
  }
  if (error instanceof ConnectionError || error instanceof TimeoutError) return true;
  if (error instanceof InvalidResponseError) return error.retryable;
  return false;
}

const HTTP_DATE_MAX_MS = 366 * 24 * 3600 * 1000;

/**
 * Parse `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. For a date, the
 * response's own `Date` header is used as "now" when present, so a skewed local clock does not
 * distort the wait. Returns milliseconds (never negative), or `undefined` when absent or garbage.
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' }), Date.now()); // 2000
 * ```
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const seconds = Number(raw);
    return Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
  }
  // An HTTP date always has a weekday or month name; this also keeps `Date.parse('-3')` (a year)
  // from being read as a date.
  if (!/[a-z]{3}/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  const serverDate = Date.parse(headers.get('date') ?? '');
  const reference = Number.isNaN(serverDate) ? now : serverDate;
  const delay = at - reference;
  if (delay > HTTP_DATE_MAX_MS) return undefined;
  return Math.max(0, delay);
}

/**
 * Capped exponential backoff with "decorrelated jitter" (AWS architecture blog, 2015): each
 * delay is drawn uniformly from `[minDelayMs, 3 × previous]`, capped at `maxDelayMs`. Unlike
 * full jitter it never drops below `minDelayMs` (a server that just failed gets a real pause),
 * and unlike plain exponential it spreads many clients that failed together (ClassLink asks for
 * jitter on 429 and 5xx).
 *
 * @example
 * ```ts
 * const next = createBackoff(options, Math.random);
 * next(); next(); // 500..1500, then 500..4500 (capped)
 * ```
 */
export function createBackoff(
  options: Pick<ResolvedRetryOptions, 'minDelayMs' | 'maxDelayMs'>,
  random: () => number,
): () => number {
  let previous = options.minDelayMs;
  return () => {
    const low = options.minDelayMs;
    const high = Math.max(low, previous * 3);
    const r = Math.min(Math.max(random(), 0), 1);
    const delay = Math.min(options.maxDelayMs, low + r * (high - low));
    previous = Math.max(delay, low);
    return Math.round(delay);
  };
}
