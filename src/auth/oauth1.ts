/**
 * OAuth 1.0a two-legged request signing (OneRoster 1.1, ClassLink Roster Server direct access).
 *
 * Signing is done by the `oauth-1.0a` package, fed so that its known weak spots cannot bite:
 * - it parses a URL's query by splitting on every `=` and does not RFC 3986-decode it, so it gets
 *   the query-less base URI and the query parameters parsed by our own {@link queryPairs};
 * - it merges parameters into plain objects, so a parameter named `__proto__` would vanish and a
 *   query parameter named like an `oauth_*` parameter would overwrite it: such queries are refused
 *   (no OneRoster request has them);
 * - its nonce comes from `Math.random`, so nonce and timestamp come from node:crypto and our clock.
 * The mock server verifies with our pure functions (`oauth1BaseString`); the tests check
 * that both agree on every request shape (`test/auth/oauth1-library-crosscheck.test.ts`).
 *
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { AbortError, ConfigurationError } from '../errors';
import type { OAuth1Auth } from '../options';
import {
  baseStringUri,
  formatOAuthAuthorizationHeader,
  type OAuth1SignatureMethod,
  queryPairs,
} from './oauth1-signature';
import type { AuthRequest, AuthStrategy } from './types';

/** Clock and nonce sources of {@link createOAuth1Strategy}; both default to the real ones. */
export interface OAuth1StrategyDeps {
  /** Milliseconds since the epoch. @default Date.now */
  now?: (() => number) | undefined;
  /** @default 32 hex characters (128 bits) from node:crypto */
  nonce?: (() => string) | undefined;
}

/**
 * The request's query parameters in the shape `oauth-1.0a` takes as `data` (repeated names become
 * arrays). Names it would mishandle are refused rather than signed wrongly.
 */
function queryData(url: URL): Record<string, string | string[]> {
  const data: Record<string, string | string[]> = {};
  for (const [name, value] of queryPairs(url.search)) {
    if (name.startsWith('oauth_') || name === '__proto__') {
      throw new ConfigurationError(
        'query',
        `the query parameter "${name}" cannot be sent with OAuth 1.0a signing`,
      );
    }
    const existing = data[name];
    if (existing === undefined) data[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else data[name] = [existing, value];
  }
  return data;
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
  const algorithm = method === 'HMAC-SHA256' ? 'sha256' : 'sha1';
  const signer = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: method,
    hash_function: (baseString, key) =>
      createHmac(algorithm, key).update(baseString).digest('base64'),
  });
  signer.getNonce = nonce;
  signer.getTimeStamp = () => Math.floor(now() / 1000);

  return {
    type: 'oauth1',
    async authorize(request: AuthRequest): Promise<Record<string, string>> {
      if (request.signal?.aborted)
        throw new AbortError(undefined, { cause: request.signal.reason });
      const signed = signer.authorize({
        url: baseStringUri(request.url),
        method: request.method.toUpperCase(),
        data: queryData(request.url),
      });
      // The library merges the query into the object it returns (its mergeObject mutates the
      // first argument); only the oauth_* parameters belong in the header.
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(signed)) {
        if (name.startsWith('oauth_')) params[name] = String(value);
      }
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
