import { describe, expect, it } from 'vitest';
import {
  ApiError,
  BadRequestError,
  ConnectionError,
  InvalidResponseError,
  RateLimitError,
  TimeoutError,
} from '../../src/errors';
import { createBackoff, isTransientFailure, parseRetryAfter } from '../../src/http/retry-policy';

const now = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '1' }), now)).toBe(1000);
    expect(parseRetryAfter(new Headers({ 'retry-after': ' 50 ' }), now)).toBe(50_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0' }), now)).toBe(0);
  });

  it('reads an HTTP date against the local clock', () => {
    const at = new Date(now + 3000).toUTCString();
    expect(parseRetryAfter(new Headers({ 'retry-after': at }), now)).toBe(3000);
  });

  it("prefers the response's Date header as 'now' (local clock skew does not matter)", () => {
    const serverNow = now + 60_000; // our clock is a minute behind
    const headers = new Headers({
      'retry-after': new Date(serverNow + 2000).toUTCString(),
      date: new Date(serverNow).toUTCString(),
    });
    expect(parseRetryAfter(headers, now)).toBe(2000);
  });

  it('clamps past dates to 0 and ignores garbage', () => {
    expect(
      parseRetryAfter(new Headers({ 'retry-after': new Date(now - 5000).toUTCString() }), now),
    ).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-3' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe('createBackoff (decorrelated jitter)', () => {
  it('stays within [minDelayMs, maxDelayMs] and grows', () => {
    const low = createBackoff({ minDelayMs: 500, maxDelayMs: 30_000 }, () => 0);
    expect([low(), low(), low()]).toEqual([500, 500, 500]);
    const high = createBackoff({ minDelayMs: 500, maxDelayMs: 30_000 }, () => 0.999999);
    const seq = Array.from({ length: 6 }, () => high());
    expect(seq[0]).toBe(1500);
    expect(seq[1]).toBe(4500);
    expect(seq.at(-1)).toBe(30_000);
    for (let i = 1; i < seq.length; i++)
      expect(seq[i]).toBeGreaterThanOrEqual(seq[i - 1] as number);
  });

  it('draws from the random seam', () => {
    const values = [0.5, 0.5];
    const next = createBackoff({ minDelayMs: 100, maxDelayMs: 10_000 }, () => values.shift() ?? 0);
    expect(next()).toBe(200); // 100 + 0.5 * (300 - 100)
    expect(next()).toBe(350); // 100 + 0.5 * (600 - 100)
  });
});

describe('isTransientFailure', () => {
  const init = { method: 'GET', url: 'https://x.test/u' };
  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(isTransientFailure(ApiError.fromStatus({ ...init, status }))).toBe(true);
  });
  it.each([400, 401, 403, 404, 409, 422, 501, 505])('does not retry HTTP %i', (status) => {
    expect(isTransientFailure(ApiError.fromStatus({ ...init, status }))).toBe(false);
  });
  it('retries connection errors, attempt timeouts and truncated bodies only', () => {
    expect(isTransientFailure(new ConnectionError('reset'))).toBe(true);
    expect(isTransientFailure(new TimeoutError('slow'))).toBe(true);
    const truncated = new InvalidResponseError({
      ...init,
      status: 200,
      reason: 'truncated',
      retryable: true,
    });
    const html = new InvalidResponseError({
      ...init,
      status: 200,
      reason: 'html',
      retryable: false,
    });
    expect(isTransientFailure(truncated)).toBe(true);
    expect(isTransientFailure(html)).toBe(false);
    expect(isTransientFailure(new Error('bug'))).toBe(false);
  });
  it('judges success-shaped failures by their class', () => {
    expect(isTransientFailure(new RateLimitError({ ...init, status: 200 }))).toBe(true);
    expect(isTransientFailure(new BadRequestError({ ...init, status: 200 }))).toBe(false);
  });
});
