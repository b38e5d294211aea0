/**
 * A static bearer token, or a function returning one (e.g. ClassLink's OneRoster proxy, whose
 * per-district bearer the caller looks up and may rotate).
 *
 * @module
 */
import { AbortError, ConfigurationError } from '../errors';
import type { BearerAuth } from '../options';
import type { AuthRequest, AuthStrategy } from './types';

/**
 * Create the bearer strategy. A function token is called on every attempt, so a rotated token is
 * picked up by the next request; after a 401, `refresh()` returns `true` for a function (it may
 * produce a new token on the replay) and `false` for a static string (replaying cannot help).
 *
 * @example
 * ```ts
 * createBearerStrategy({ type: 'bearer', token: process.env.CLASSLINK_BEARER! });
 * createBearerStrategy({ type: 'bearer', token: () => tokens.forTenant(tenantId) });
 * ```
 */
export function createBearerStrategy(options: BearerAuth): AuthStrategy {
  const source = options.token;
  // Kept so loggers can redact the latest token a function handed out.
  let lastToken: string | undefined = typeof source === 'string' ? source : undefined;

  return {
    type: 'bearer',
    async authorize(request: AuthRequest): Promise<Record<string, string>> {
      if (request.signal?.aborted)
        throw new AbortError(undefined, { cause: request.signal.reason });
      const token = typeof source === 'string' ? source : await source();
      if (typeof token !== 'string' || token.trim() === '') {
        throw new ConfigurationError(
          'auth.token',
          `the token function must return a non-empty string, got ${token === '' ? 'an empty string' : typeof token}`,
        );
      }
      lastToken = token;
      return { Authorization: `Bearer ${token}` };
    },
    async refresh(): Promise<boolean> {
      return typeof source === 'function';
    },
    describe(): string {
      return typeof source === 'string'
        ? 'Bearer token (static)'
        : 'Bearer token (from a function)';
    },
    secrets(): string[] {
      return lastToken === undefined ? [] : [lastToken];
    },
  };
}
