import { describe, expect, it } from 'vitest';
import { parseServerRateLimit } from '../../src/http/rate-limit-headers';

const now = Date.UTC(2026, 0, 15, 12, 0, 0);
const parse = (headers: Record<string, string>) => parseServerRateLimit(new Headers(headers), now);

describe('parseServerRateLimit', () => {
  it('returns undefined without rate-limit headers', () => {
    expect(parse({ 'content-type': 'application/json' })).toBeUndefined();
  });

  it('reads the IETF draft headers (Ed-Fi)', () => {
    expect(
      parse({
        'ratelimit-policy': '100;w=60',
        'ratelimit-limit': '100',
        'ratelimit-remaining': '0',
        'ratelimit-reset': '50',
      }),
    ).toEqual({ remaining: 0, resetMs: 50_000 });
  });

  it('falls back to the policy window when no reset is sent', () => {
    expect(parse({ 'ratelimit-policy': '100;w=60', 'ratelimit-remaining': '0' })).toEqual({
      remaining: 0,
      resetMs: 60_000,
    });
  });

  it('reads the structured RateLimit header, old and new drafts', () => {
    expect(parse({ ratelimit: 'limit=100, remaining=0, reset=7' })).toEqual({
      remaining: 0,
      resetMs: 7000,
    });
    expect(parse({ ratelimit: '"burst";r=3;t=1, "daily";r=0;t=3600' })).toEqual({
      remaining: 0,
      resetMs: 3_600_000,
    });
  });

  it('reads X-RateLimit-* with an epoch-seconds reset', () => {
    const reset = String(Math.floor((now + 30_000) / 1000));
    expect(parse({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })).toEqual({
      remaining: 0,
      resetMs: 30_000,
    });
  });

  it('reads X-RateLimit-Reset as delta seconds when small', () => {
    expect(parse({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '12' })).toEqual({
      remaining: 5,
      resetMs: 12_000,
    });
  });

  it('ignores garbage values', () => {
    expect(parse({ 'ratelimit-remaining': 'lots' })).toBeUndefined();
  });
});
