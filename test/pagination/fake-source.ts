/**
 * An in-memory {@link PageSource} that behaves like a configurable OneRoster server: clamping,
 * optional totals, several Link styles, latency, failures, and instrumentation (requests, in
 * flight, pages handed out).
 */
import { AbortError, ServerError } from '../../src/errors';
import type { PageSource, PageTarget, RawPage } from '../../src/pagination';

export interface FakeRecord {
  sourcedId: string;
  n: number;
}

export type LinkStyle =
  | 'none'
  /** `offset + received`, like a correct server. */
  | 'offset'
  /** `offset + limit` even when the page was clamped: following it would skip records. */
  | 'offset-plus-limit'
  /** An opaque cursor the client cannot compute itself. */
  | 'cursor'
  /** A next link on another origin. */
  | 'foreign'
  /** Always the same next link (a loop). */
  | 'same';

export interface FakeServerOptions {
  count: number;
  /** Largest page served whatever `limit` asks for. */
  clamp?: number;
  /** Apply `clamp` only from this offset on (a server whose behaviour changes mid-walk). */
  clampFrom?: number;
  /** Send the total (default true). */
  total?: boolean;
  /** Report this total instead of the real count. */
  totalOverride?: number;
  link?: LinkStyle;
  /** ms before a page resolves (0 = next macrotask). */
  delayMs?: number;
  /** Ignore `offset` (always serve from 0). */
  ignoreOffset?: boolean;
  /** Serve records without sourcedId (a `fields` projection that leaves it out). */
  noIds?: boolean;
  /** Fail these request numbers (1-based) once with a ServerError. */
  failOn?: number[];
}

export const ORIGIN = 'https://sis.test';
export const BASE = `${ORIGIN}/ims/oneroster/v1p1`;

export function records(count: number): FakeRecord[] {
  return Array.from({ length: count }, (_, n) => ({
    sourcedId: `r-${String(n).padStart(6, '0')}`,
    n,
  }));
}

export interface FakeServer {
  requests: string[];
  /** Requests that resolved with a page. */
  completed: number;
  inFlight: number;
  maxInFlight: number;
  /** Requests that ended because their signal aborted. */
  aborted: number;
  load(url: URL, signal: AbortSignal | undefined): Promise<RawPage>;
}

export function fakeServer(options: FakeServerOptions): FakeServer {
  const data = records(options.count);
  const failures = new Set(options.failOn ?? []);
  const server: FakeServer = {
    requests: [],
    completed: 0,
    inFlight: 0,
    maxInFlight: 0,
    aborted: 0,
    async load(url, signal) {
      server.requests.push(url.href);
      const number = server.requests.length;
      server.inFlight++;
      server.maxInFlight = Math.max(server.maxInFlight, server.inFlight);
      try {
        await wait(options.delayMs ?? 0, signal);
        if (signal?.aborted) throw new AbortError('aborted');
        if (failures.delete(number)) {
          throw new ServerError({ status: 503, method: 'GET', url: url.href });
        }
        const offset = options.ignoreOffset ? 0 : Number(url.searchParams.get('offset') ?? 0);
        const cursor = url.searchParams.get('cursor');
        const start = cursor === null ? offset : Number(cursor);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const clamped = start >= (options.clampFrom ?? 0);
        const size = Math.min(limit, clamped ? (options.clamp ?? limit) : limit);
        const slice = data.slice(start, start + size);
        const page = options.noIds ? slice.map(({ n }) => ({ n })) : slice;
        const end = start + page.length;
        const more = end < data.length;
        let nextLink: URL | undefined;
        switch (options.link ?? 'none') {
          case 'offset':
            if (more) nextLink = new URL(`${BASE}/users?limit=${limit}&offset=${end}`);
            break;
          case 'offset-plus-limit':
            if (more) nextLink = new URL(`${BASE}/users?limit=${limit}&offset=${start + limit}`);
            break;
          case 'cursor':
            if (more) nextLink = new URL(`${BASE}/users?limit=${limit}&cursor=${end}`);
            break;
          case 'foreign':
            if (more) nextLink = new URL(`https://evil.test/users?offset=${end}`);
            break;
          case 'same':
            nextLink = new URL(`${BASE}/users?limit=${limit}&cursor=0`);
            break;
          case 'none':
            break;
        }
        server.completed++;
        return {
          records: page,
          totalCount: options.total === false ? undefined : (options.totalOverride ?? data.length),
          nextLink,
          url,
        };
      } catch (error) {
        if (error instanceof AbortError) server.aborted++;
        throw error;
      } finally {
        server.inFlight--;
      }
    },
  };
  return server;
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface SourceOptions {
  limit?: number;
  offset?: number;
  maxPages?: number;
  prefetch?: number;
  signal?: AbortSignal;
}

/** A PageSource over `server` whose `accept` hands records through unchanged. */
export function sourceFor(
  server: FakeServer,
  options: SourceOptions = {},
): PageSource<FakeRecord> & { accepted: number } {
  const limit = options.limit ?? 100;
  const source = {
    offset: options.offset ?? 0,
    limit,
    maxPages: options.maxPages ?? 100_000,
    prefetch: options.prefetch ?? 1,
    signal: options.signal,
    origin: ORIGIN,
    accepted: 0,
    load: (target: PageTarget, signal: AbortSignal | undefined) =>
      server.load(
        target.url ?? new URL(`${BASE}/users?limit=${limit}&offset=${target.offset}`),
        signal,
      ),
    accept(page: RawPage) {
      source.accepted++;
      return { items: page.records as FakeRecord[], skipped: 0 };
    },
  };
  return source;
}
