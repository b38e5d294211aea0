/**
 * Post-login redirect targets. A login route that accepts `?returnTo=` and redirects there after
 * the callback is an open redirect unless the target is checked: an attacker links
 * `/login?returnTo=https://evil.example/` and the victim lands on a phishing page right after a
 * genuine ClassLink login. The check resolves the value the way a browser would (so `//evil`,
 * `/\evil` and `https:evil` are caught) and compares origins.
 *
 * @module
 */
import { SsoError } from './errors';

/** Options of {@link resolveReturnTo}. */
export interface ReturnToOptions {
  /** The application's own URL (usually the SSO `redirectUri`); relative targets resolve here. */
  base: string | URL;
  /** Other origins a login may return to (e.g. `https://admin.example.com`). */
  allowedOrigins?: readonly string[];
  /** What an empty target resolves to. @default '/' */
  fallback?: string;
}

/**
 * Check a post-login redirect target. Returns a path (`/hall-passes?x=1`) for targets on the
 * base origin and an absolute URL for targets on another allowed origin; throws
 * `SsoError('redirect_not_allowed')` for anything else.
 *
 * @example
 * ```ts
 * resolveReturnTo('/passes', { base: 'https://app.example.com/sso/callback' }); // '/passes'
 * resolveReturnTo('//evil.example', { base: 'https://app.example.com/' }); // throws SsoError
 * ```
 */
export function resolveReturnTo(
  value: string | null | undefined,
  options: ReturnToOptions,
): string {
  const fallback = options.fallback ?? '/';
  if (value === null || value === undefined || value === '') return fallback;
  const base = new URL(options.base);
  const refuse = (why: string): never => {
    throw new SsoError({
      reason: 'redirect_not_allowed',
      message: `Refused the post-login redirect target: ${why}`,
    });
  };
  // Control characters and backslashes are how filters get bypassed (browsers strip tabs and
  // newlines and read `\` as `/`); no legitimate target contains them.
  if (hasControlOrBackslash(value)) refuse('it contains control characters or backslashes');
  let target: URL;
  try {
    target = new URL(value, base);
  } catch {
    return refuse('it is not a URL');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return refuse(`the scheme ${target.protocol} is not allowed`);
  }
  if (target.username || target.password) return refuse('it carries credentials');
  if (target.origin === base.origin) return `${target.pathname}${target.search}${target.hash}`;
  const allowed = new Set((options.allowedOrigins ?? []).map((origin) => new URL(origin).origin));
  if (allowed.has(target.origin)) return target.href;
  return refuse(`the origin ${target.origin} is not allowed`);
}

function hasControlOrBackslash(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}
