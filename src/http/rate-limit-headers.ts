/**
 * Read the server's own rate-limit bookkeeping from response headers, so the client can pause
 * before it is throttled instead of after:
 * - IETF draft `RateLimit-Limit` / `RateLimit-Remaining` / `RateLimit-Reset` / `RateLimit-Policy`
 *   (what Ed-Fi's OneRoster API sends, e.g. `RateLimit-Policy: 100;w=60`);
 * - the later draft's structured `RateLimit: "default";r=0;t=30` and the older
 *   `RateLimit: limit=100, remaining=0, reset=30`;
 * - the de-facto `X-RateLimit-Remaining` / `X-RateLimit-Reset` (reset often epoch seconds).
 *
 * @module
 */

/** What the server said about its quota. */
export interface ServerRateLimit {
  /** Requests left in the current window, when sent. */
  remaining?: number;
  /** Milliseconds until the quota resets, when sent (or implied by the policy window). */
  resetMs?: number;
}

// A reset value this large is an absolute Unix time, not a delay (GitHub-style
// `X-RateLimit-Reset: 1767225600`); 1e9 seconds is 2001, far beyond any real delay.
const EPOCH_SECONDS_THRESHOLD = 1e9;

function number(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const match = /^\s*"?(-?\d+(?:\.\d+)?)/.exec(value);
  if (!match?.[1]) return undefined;
  const parsed = Number(match[1]);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function resetToMs(value: number, now: number): number {
  if (value >= EPOCH_SECONDS_THRESHOLD * 1000) return Math.max(0, value - now);
  if (value >= EPOCH_SECONDS_THRESHOLD) return Math.max(0, value * 1000 - now);
  return Math.max(0, value * 1000);
}

function parseParams(parts: string[]): { remaining?: number; reset?: number } {
  const out: { remaining?: number; reset?: number } = {};
  for (const part of parts) {
    const [rawKey, rawValue] = part.split('=');
    const key = rawKey?.trim().toLowerCase();
    const parsed = number(rawValue);
    if (parsed === undefined) continue;
    if (key === 'r' || key === 'remaining') out.remaining = parsed;
    else if (key === 't' || key === 'reset') out.reset = parsed;
  }
  return out;
}

/**
 * `RateLimit: limit=10, remaining=0, reset=5` (one policy, comma-separated parameters) or
 * `RateLimit: "burst";r=0;t=5, "daily";r=900;t=3600` (a list of policies with `;` parameters, of
 * which the most exhausted one governs).
 */
function parseStructured(value: string): { remaining?: number; reset?: number } {
  if (!value.includes(';')) return parseParams(value.split(','));
  let tightest: { remaining?: number; reset?: number } = {};
  for (const item of value.split(',')) {
    const parsed = parseParams(item.split(';'));
    if (parsed.remaining === undefined) continue;
    if (tightest.remaining === undefined || parsed.remaining < tightest.remaining)
      tightest = parsed;
  }
  return tightest;
}

/** Window length in ms from `RateLimit-Policy: 100;w=60` (first policy), if any. */
function policyWindowMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const match = /;\s*w\s*=\s*(\d+(?:\.\d+)?)/i.exec(value.split(',')[0] ?? '');
  return match?.[1] ? Number(match[1]) * 1000 : undefined;
}

/**
 * Parse whatever rate-limit headers a response carries. Returns `undefined` when there are none
 * (the common case, checked with a few `Headers.get` calls).
 *
 * @example
 * ```ts
 * parseServerRateLimit(new Headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': '50' }), Date.now());
 * // { remaining: 0, resetMs: 50_000 }
 * ```
 */
export function parseServerRateLimit(headers: Headers, now: number): ServerRateLimit | undefined {
  let remaining = number(headers.get('ratelimit-remaining'));
  let reset = number(headers.get('ratelimit-reset'));
  const structured = headers.get('ratelimit');
  if (structured && (remaining === undefined || reset === undefined)) {
    const parsed = parseStructured(structured);
    remaining ??= parsed.remaining;
    reset ??= parsed.reset;
  }
  remaining ??= number(
    headers.get('x-ratelimit-remaining') ?? headers.get('x-rate-limit-remaining'),
  );
  reset ??= number(headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset'));
  if (remaining === undefined && reset === undefined) return undefined;
  const out: ServerRateLimit = {};
  if (remaining !== undefined) out.remaining = remaining;
  if (reset !== undefined) out.resetMs = resetToMs(reset, now);
  else {
    // No reset sent: the policy window is the longest the quota can take to refill.
    const window = policyWindowMs(headers.get('ratelimit-policy'));
    if (window !== undefined) out.resetMs = window;
  }
  return out;
}
