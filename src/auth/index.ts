/**
 * Authentication strategies: OAuth 1.0a signing, OAuth 2 client credentials, bearer tokens, and
 * the factory that builds one from `ClientOptions.auth`.
 *
 * @module
 */
import type { AuthOptions } from '../options';
import { createBearerStrategy } from './bearer';
import type { AuthDeps } from './deps';
import { createOAuth1Strategy } from './oauth1';
import { createOAuth2Strategy } from './oauth2';
import type { AuthStrategy } from './types';
import { validateAuthOptions } from './validate';

export { createBearerStrategy } from './bearer';
export type { AuthDeps } from './deps';
export { createOAuth1Strategy, type OAuth1StrategyDeps } from './oauth1';
export {
  formatOAuthAuthorizationHeader,
  type OAuth1SignatureMethod,
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from './oauth1-signature';
export { createOAuth2Strategy, DEFAULT_TOKEN_LIFETIME_MS } from './oauth2';
export type { AuthRequest, AuthStrategy } from './types';
export { validateAuthOptions } from './validate';

const NO_AUTH: AuthStrategy = Object.freeze({
  type: 'none' as const,
  async authorize(): Promise<Record<string, string>> {
    return {};
  },
  async refresh(): Promise<boolean> {
    return false;
  },
  describe(): string {
    return 'no authentication';
  },
  secrets(): string[] {
    return [];
  },
});

/**
 * Build the authentication strategy for `ClientOptions.auth`, validating the options first.
 * `undefined` gives a strategy that adds no headers.
 *
 * @throws {ConfigurationError} naming the bad option: `auth.type` unknown, `auth.consumerKey`
 * missing or empty, `auth.tokenUrl` not an http(s) URL, and so on. Messages never include
 * secret values.
 *
 * @example
 * ```ts
 * const strategy = createAuthStrategy(
 *   { type: 'oauth1', consumerKey: process.env.OR_KEY!, consumerSecret: process.env.OR_SECRET! },
 *   { fetch: globalThis.fetch },
 * );
 * const headers = await strategy.authorize({ method: 'GET', url: new URL('https://x.test/ims/oneroster/v1p1/users?limit=100') });
 * ```
 */
export function createAuthStrategy(auth: AuthOptions | undefined, deps: AuthDeps): AuthStrategy {
  if (auth === undefined) return NO_AUTH;
  const options = validateAuthOptions(auth);
  switch (options.type) {
    case 'oauth1':
      return createOAuth1Strategy(options, { now: deps.now, nonce: deps.nonce });
    case 'oauth2': {
      if (new URL(options.tokenUrl).protocol === 'http:' && !isLoopback(options.tokenUrl)) {
        deps.logger?.warn(
          { option: 'auth.tokenUrl' },
          'OAuth 2 token URL uses plain http: the client secret is sent unencrypted',
        );
      }
      return createOAuth2Strategy(options, deps);
    }
    case 'bearer':
      return createBearerStrategy(options);
  }
}

function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}
