/**
 * Resolved retry and rate-limit settings. The documented defaults live on the option types in
 * `src/options.ts`; this file is the single place that turns them into numbers.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import type { RateLimitOptions, RetryOptions } from '../options';

/** {@link RetryOptions} with every field filled in. */
export interface ResolvedRetryOptions {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  totalTimeoutMs: number;
}

/** {@link RateLimitOptions} with every field filled in. */
export interface ResolvedRateLimitOptions {
  maxConcurrent: number;
  requestsPerSecond: number;
}

/** Defaults documented on {@link RetryOptions}. */
export const DEFAULT_RETRY: Readonly<ResolvedRetryOptions> = Object.freeze({
  retries: 5,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  totalTimeoutMs: 300_000,
});

/** Defaults documented on {@link RateLimitOptions}. */
export const DEFAULT_RATE_LIMIT: Readonly<ResolvedRateLimitOptions> = Object.freeze({
  maxConcurrent: 4,
  requestsPerSecond: 10,
});

function check(
  option: string,
  value: number | undefined,
  fallback: number,
  rule: { integer?: boolean; min: number },
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= rule.min &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw new ConfigurationError(option, `must be ${kind} >= ${rule.min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Fill in retry defaults and validate. `false` means "never retry" (a single attempt) but keeps
 * the total budget, so a hung server still fails in bounded time.
 *
 * @throws {ConfigurationError} naming the offending option.
 *
 * @example
 * ```ts
 * resolveRetryOptions({ retries: 2 }).maxDelayMs; // 30_000
 * ```
 */
export function resolveRetryOptions(options: RetryOptions | false): ResolvedRetryOptions {
  if (options === false) return { ...DEFAULT_RETRY, retries: 0 };
  const resolved: ResolvedRetryOptions = {
    retries: check('retry.retries', options.retries, DEFAULT_RETRY.retries, {
      integer: true,
      min: 0,
    }),
    minDelayMs: check('retry.minDelayMs', options.minDelayMs, DEFAULT_RETRY.minDelayMs, {
      min: 0,
    }),
    maxDelayMs: check('retry.maxDelayMs', options.maxDelayMs, DEFAULT_RETRY.maxDelayMs, {
      min: 0,
    }),
    maxRetryAfterMs: check(
      'retry.maxRetryAfterMs',
      options.maxRetryAfterMs,
      DEFAULT_RETRY.maxRetryAfterMs,
      { min: 0 },
    ),
    totalTimeoutMs: check(
      'retry.totalTimeoutMs',
      options.totalTimeoutMs,
      DEFAULT_RETRY.totalTimeoutMs,
      { min: 1 },
    ),
  };
  if (resolved.maxDelayMs < resolved.minDelayMs) {
    throw new ConfigurationError(
      'retry.maxDelayMs',
      `must be >= retry.minDelayMs (${resolved.minDelayMs}), got ${resolved.maxDelayMs}`,
    );
  }
  return resolved;
}

/**
 * Fill in rate-limit defaults and validate; `false` stays `false` (no client-side limiting).
 *
 * @throws {ConfigurationError} naming the offending option.
 *
 * @example
 * ```ts
 * resolveRateLimitOptions({ requestsPerSecond: 5 }); // { maxConcurrent: 4, requestsPerSecond: 5 }
 * ```
 */
export function resolveRateLimitOptions(
  options: RateLimitOptions | false,
): ResolvedRateLimitOptions | false {
  if (options === false) return false;
  return {
    maxConcurrent: check(
      'rateLimit.maxConcurrent',
      options.maxConcurrent,
      DEFAULT_RATE_LIMIT.maxConcurrent,
      { integer: true, min: 1 },
    ),
    requestsPerSecond: check(
      'rateLimit.requestsPerSecond',
      options.requestsPerSecond,
      DEFAULT_RATE_LIMIT.requestsPerSecond,
      { min: 0.001 },
    ),
  };
}
