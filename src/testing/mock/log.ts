/**
 * The mock server's request log: what a client did, for assertions on request counts, rates
 * and concurrency.
 *
 * @module
 */

/** How a request's credentials were judged. */
export type AuthOutcome =
  /** The server has no auth configured. */
  | 'none'
  | 'ok'
  /** No credentials sent. */
  | 'missing'
  /** Credentials of an unknown consumer/client, a malformed header, or an unknown token. */
  | 'invalid'
  /** An OAuth 2 token that has expired. */
  | 'expired'
  /** OAuth 1.0a: the signature did not verify. */
  | 'bad-signature'
  /** OAuth 1.0a: the timestamp is outside the window. */
  | 'stale-timestamp'
  /** OAuth 1.0a: the nonce was seen before. */
  | 'replayed-nonce'
  /** OAuth 1.0a: a signature method the server does not accept. */
  | 'unsupported-method'
  /** Authenticated, but the token lacks the endpoint's scope (403). */
  | 'forbidden'
  /** The request never reached the auth check (a fault answered first). */
  | 'skipped';

/** One request as the server saw it. */
export interface RequestLogEntry {
  /** 1-based sequence number. */
  id: number;
  method: string;
  /** The request URL with credentials redacted. */
  url: string;
  /** Path relative to the version base (`/users`), or the full path for other endpoints. */
  path: string;
  /** HTTP status sent; `0` for a connection reset. */
  status: number;
  /** Start time, epoch ms (`Date.now()`, so fake timers apply). */
  time: number;
  durationMs: number;
  auth: AuthOutcome;
  /** Requests in flight when this one started, itself included. */
  inFlight: number;
  /** The faults applied to this request, by kind. */
  faults: string[];
  /** Set when the mock itself failed (it answered 500): the error message, to debug the mock. */
  error?: string;
}

/**
 * The request log of a mock server.
 *
 * @example
 * ```ts
 * await client.users.list().toArray();
 * expect(mock.log.count((e) => e.path === '/users')).toBe(3);
 * expect(mock.log.maxInFlight()).toBeLessThanOrEqual(4);
 * expect(mock.log.maxRate(1000)).toBeLessThanOrEqual(10); // requests per second
 * ```
 */
export class RequestLog implements Iterable<RequestLogEntry> {
  readonly #entries: RequestLogEntry[] = [];

  /** Every entry so far, oldest first (a copy). */
  get entries(): RequestLogEntry[] {
    return [...this.#entries];
  }

  /** Number of entries. */
  get length(): number {
    return this.#entries.length;
  }

  [Symbol.iterator](): IterableIterator<RequestLogEntry> {
    return this.entries[Symbol.iterator]();
  }

  /** Forget every entry. */
  clear(): void {
    this.#entries.length = 0;
  }

  /** Entries matching a predicate. */
  filter(predicate: (entry: RequestLogEntry) => boolean): RequestLogEntry[] {
    return this.#entries.filter(predicate);
  }

  /** How many entries match (all when no predicate). */
  count(predicate?: (entry: RequestLogEntry) => boolean): number {
    return predicate ? this.#entries.filter(predicate).length : this.#entries.length;
  }

  /** The highest number of requests that were in flight at once. */
  maxInFlight(): number {
    let max = 0;
    for (const entry of this.#entries) max = Math.max(max, entry.inFlight);
    return max;
  }

  /**
   * The most requests that arrived within any `windowMs` span (by their `time`): what a client's
   * requests-per-second limit should bound.
   */
  maxRate(windowMs = 1000): number {
    const times = this.#entries.map((e) => e.time).sort((a, b) => a - b);
    let max = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  /** The most recent entry. */
  last(): RequestLogEntry | undefined {
    return this.#entries[this.#entries.length - 1];
  }

  /** @internal Append an entry (the server does this). */
  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
  }
}
