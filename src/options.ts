/**
 * Public option types of {@link OneRosterClient}. Kept apart from the implementation so that
 * every module (http, auth, pagination, sync) can depend on them without cycles.
 *
 * @module
 */
import type { OneRosterVersion, ValidationMode } from './models/types';

/**
 * A pino-compatible logger (pino, bunyan-style and `console`-like objects with these methods fit).
 * The client logs requests and responses at `debug` level with credentials redacted and never
 * logs record bodies.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** OAuth 1.0a two-legged signing (OneRoster 1.1; ClassLink Roster Server direct access). */
export interface OAuth1Auth {
  type: 'oauth1';
  consumerKey: string;
  consumerSecret: string;
  /** @default 'HMAC-SHA256' */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
}

/** OAuth 2 client credentials (OneRoster 1.2, and 1.1 servers that offer it). */
export interface OAuth2Auth {
  type: 'oauth2';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes, or a list. */
  scope?: string | string[];
  /**
   * How the client authenticates at the token endpoint.
   * @default 'basic'
   */
  clientAuthentication?: 'basic' | 'body';
}

/** A static bearer token, or a function returning one (called before every request attempt). */
export interface BearerAuth {
  type: 'bearer';
  token: string | (() => string | Promise<string>);
}

/** How the client authenticates. */
export type AuthOptions = OAuth1Auth | OAuth2Auth | BearerAuth;

/** Proactive client-side rate limiting, per client instance. */
export interface RateLimitOptions {
  /** Requests in flight at once. @default 4 */
  maxConcurrent?: number;
  /** Requests started per second. @default 10 */
  requestsPerSecond?: number;
}

/** Retry of idempotent requests on 408/429/5xx and connection errors. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 5 */
  retries?: number;
  /** First backoff delay. @default 500 */
  minDelayMs?: number;
  /** Backoff cap. @default 30_000 */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; longer waits fail with the `RateLimitError`. @default 120_000 */
  maxRetryAfterMs?: number;
  /** Total time budget for one request including all retries. @default 300_000 */
  totalTimeoutMs?: number;
}

/** Something the client did, for progress displays and metrics. Never carries credentials. */
export type ClientEvent =
  | { type: 'request'; method: string; url: string; attempt: number }
  | {
      type: 'response';
      method: string;
      url: string;
      status: number;
      durationMs: number;
      attempt: number;
    }
  | { type: 'retry'; method: string; url: string; attempt: number; delayMs: number; reason: string }
  | {
      type: 'rate_limit_wait';
      delayMs: number;
      reason: 'client_limit' | 'server_429' | 'server_headers';
    }
  | {
      type: 'invalid_record';
      resource: string;
      sourcedId: string | undefined;
      issues: Array<{ path: string; message: string }>;
    };

/** Options of `new OneRosterClient(options)`. */
export interface ClientOptions {
  /**
   * The service base URL, ending in `/ims/oneroster/v1p1` or `/ims/oneroster/rostering/v1p2`
   * (the version is read from it), or any base with an explicit `version`.
   */
  baseUrl: string;
  /** Overrides the version read from `baseUrl`. */
  version?: OneRosterVersion;
  auth?: AuthOptions;
  /** `false` disables client-side limiting. */
  rateLimit?: RateLimitOptions | false;
  /** `false` disables retries. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout in ms. @default 30_000 */
  timeout?: number;
  /** `limit` sent on collection requests. @default 1000 */
  pageSize?: number;
  /** Safety bound on pages per collection walk. @default 100_000 */
  maxPages?: number;
  /** @default 'lenient' */
  validation?: ValidationMode;
  logger?: Logger;
  /** Observe requests, retries, waits and invalid records. */
  onEvent?: (event: ClientEvent) => void;
  /** A `fetch` implementation (e.g. the mock server's). @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** Options accepted by every request method. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout in ms for this call. */
  timeout?: number;
  headers?: Record<string, string>;
  /** Validation mode for this call (overrides the client's). */
  validation?: ValidationMode;
  /**
   * Observe this call's requests, retries, rate-limit waits and invalid records, in addition to
   * the client-wide `onEvent` (the sync engine uses it for progress and to learn which records
   * were skipped).
   */
  onEvent?: (event: ClientEvent) => void;
}
