/**
 * OAuth 1.0a two-legged request signing (OneRoster 1.1, ClassLink Roster Server direct access).
 *
 * The signature is computed by our own {@link oauth1BaseString} / {@link oauth1Signature} rather
 * than by the `oauth-1.0a` package: given the query as `data` and a query-less URL that package
 * agrees with us on every realistic OneRoster request, but it merges parameters into plain
 * objects (a parameter named `__proto__` vanishes, a query parameter named like an `oauth_*`
 * parameter overwrites it) and its nonce comes from `Math.random`. The cross-check lives in
 * `test/auth/oauth1-library-crosscheck.test.ts`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { AbortError } from '../errors';
import type { OAuth1Auth } from '../options';
import {
  formatOAuthAuthorizationHeader,
  type OAuth1SignatureMethod,
  oauth1BaseString,
  oauth1Signature,
} from './oauth1-signature';
import type { AuthRequest, AuthStrategy } from './types';

/** Clock and nonce sources of {@link createOAuth1Strategy}; both default to the real ones. */
export interface OAuth1StrategyDeps {
  /** Milliseconds since the epoch. @default Date.now */
  now?: (() => number) | undefined;
  /** @default 32 hex characters (128 bits) from node:crypto */
  nonce?: (() => string) | undefined;
}

/** 128 random bits as hex: alphanumeric, which every server's nonce parser accepts. */
function cryptoNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Show enough of a consumer key to tell credentials apart in a 401 message, not enough to be the
 * key (it is half of the credential pair some consoles show together).
 */
export function keyHint(key: string): string {
  return `${key.slice(0, 4)}…`;
}

/**
 * Create the OAuth 1.0a strategy. Every `authorize()` call (every attempt, including retries) gets
 * a fresh nonce and timestamp and a signature over the exact method and URL sent.
 * Options are expected to be validated (see `createAuthStrategy`).
 *
 * @example
 * ```ts
 * const auth = createOAuth1Strategy({ type: 'oauth1', consumerKey, consumerSecret });
 * const headers = await auth.authorize({ method: 'GET', url: new URL(requestUrl) });
 * // { Authorization: 'OAuth oauth_consumer_key="…",oauth_nonce="…",…' }
 * ```
 */
export function createOAuth1Strategy(
  options: OAuth1Auth,
  deps: OAuth1StrategyDeps = {},
): AuthStrategy {
  const method: OAuth1SignatureMethod = options.signatureMethod ?? 'HMAC-SHA256';
  const now = deps.now ?? (() => Date.now());
  const nonce = deps.nonce ?? cryptoNonce;

  return {
    type: 'oauth1',
    async authorize(request: AuthRequest): Promise<Record<string, string>> {
      if (request.signal?.aborted)
        throw new AbortError(undefined, { cause: request.signal.reason });
      const params: Record<string, string> = {
        oauth_consumer_key: options.consumerKey,
        oauth_nonce: nonce(),
        oauth_signature_method: method,
        oauth_timestamp: String(Math.floor(now() / 1000)),
        oauth_version: '1.0',
      };
      const baseString = oauth1BaseString(request.method, request.url, params);
      params.oauth_signature = oauth1Signature(baseString, options.consumerSecret, method);
      return { Authorization: formatOAuthAuthorizationHeader(params) };
    },
    // Replaying a rejected signature cannot help: the credentials or the clock are wrong.
    async refresh(): Promise<boolean> {
      return false;
    },
    describe(): string {
      return `OAuth 1.0a (${method}, consumer key "${keyHint(options.consumerKey)}")`;
    },
    secrets(): string[] {
      return [options.consumerSecret];
    },
  };
}
