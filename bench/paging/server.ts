/**
 * A loopback node:http server answering `GET /lat-<ms><base>/users?limit=&offset=` from
 * pre-rendered pages, with `X-Total-Count`. The first path segment sets the latency added before
 * each response (`/lat-0/...` none, `/lat-20/...` 20 ms), so one server serves every scenario and
 * the client picks one through its base URL. `<base>` is `/ims/oneroster/v1p1` (1.1 pages) or
 * `/ims/oneroster/rostering/v1p2` (1.2 pages).
 *
 * It counts requests in flight (received, not yet answered): the latency scenario reads the peak
 * to check that the client really keeps `maxConcurrent` requests outstanding.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OneRosterVersion } from '../../src/models/types';
import type { RenderedPages } from './pages';

/** The base path of each version, as a real server exposes it. */
export const BASE_PATHS: Readonly<Record<OneRosterVersion, string>> = {
  '1.1': '/ims/oneroster/v1p1',
  '1.2': '/ims/oneroster/rostering/v1p2',
};

/** What the server saw since the last reset. */
export interface ServerStats {
  requests: number;
  /** Most requests in flight at once. */
  peakInFlight: number;
  /** Requests in flight on average over the time since the last reset (time-weighted). */
  meanInFlight: number;
}

export interface BenchServer {
  port: number;
  stats(): ServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

/** Base URL for a version and latency on a server listening on `port`. */
export function baseUrlFor(port: number, version: OneRosterVersion, latencyMs: number): string {
  return `http://127.0.0.1:${port}/lat-${latencyMs}${BASE_PATHS[version]}`;
}

const EMPTY = Buffer.from('{"users":[]}');
const ROUTE = /^\/lat-(\d{1,4})(\/ims\/oneroster\/(?:v1p1|rostering\/v1p2))\/users$/;

/**
 * Start the server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * ```ts
 * const server = await startServer(renderUserPages({ count: 1000, pageSize: 100, seed: 7 }));
 * const url = baseUrlFor(server.port, '1.2', 20);
 * ```
 */
export async function startServer(sets: readonly RenderedPages[]): Promise<BenchServer> {
  const byBase = new Map(sets.map((pages) => [BASE_PATHS[pages.version], pages]));
  let requests = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  // Time-weighted sum of the in-flight count since the last reset.
  let since = performance.now();
  let changedAt = since;
  let area = 0;
  const setInFlight = (value: number) => {
    const now = performance.now();
    area += inFlight * (now - changedAt);
    changedAt = now;
    inFlight = value;
  };
  const http: Server = createServer((request, response) => {
    requests++;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = ROUTE.exec(url.pathname);
    const pages = route ? byBase.get(route[2] ?? '') : undefined;
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (!route || !pages || limit !== pages.pageSize || offset % pages.pageSize !== 0) {
      // The benchmark only asks for aligned pages of a known path; anything else is a bug in it.
      response.writeHead(400, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    setInFlight(inFlight + 1);
    peakInFlight = Math.max(peakInFlight, inFlight);
    const body = pages.bodies[offset / pages.pageSize] ?? EMPTY;
    const send = () => {
      setInFlight(inFlight - 1);
      response
        .writeHead(200, {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-total-count': String(pages.total),
        })
        .end(body);
    };
    const latencyMs = Number(route[1]);
    if (latencyMs > 0) setTimeout(send, latencyMs);
    else send();
  });
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    port,
    stats: () => {
      setInFlight(inFlight);
      const elapsed = changedAt - since;
      return { requests, peakInFlight, meanInFlight: elapsed > 0 ? area / elapsed : 0 };
    },
    resetStats() {
      setInFlight(inFlight);
      requests = 0;
      peakInFlight = inFlight;
      since = changedAt;
      area = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
