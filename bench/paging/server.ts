/**
 * A loopback node:http server answering `GET <base>/users?limit=&offset=` from pre-rendered
 * pages, with `X-Total-Count` and an optional per-response latency.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RenderedPages } from './pages';

export const BASE_PATH = '/ims/oneroster/v1p1';

export interface BenchServer {
  baseUrl: string;
  /** Delay before each response, in ms. */
  latencyMs: number;
  requests: number;
  close(): Promise<void>;
}

const EMPTY = Buffer.from('{"users":[]}');

/**
 * Start the server on 127.0.0.1 with an ephemeral port.
 *
 * @example
 * ```ts
 * const server = await startServer(pages);
 * server.latencyMs = 20;
 * ```
 */
export async function startServer(pages: RenderedPages): Promise<BenchServer> {
  const state = { latencyMs: 0, requests: 0 };
  const http: Server = createServer((request, response) => {
    state.requests++;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== `${BASE_PATH}/users`) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (limit !== pages.pageSize || offset % pages.pageSize !== 0) {
      // The benchmark only asks for aligned pages; anything else is a bug in it.
      response.writeHead(400, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const body = pages.bodies[offset / pages.pageSize] ?? EMPTY;
    const send = () =>
      response
        .writeHead(200, {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-total-count': String(pages.total),
        })
        .end(body);
    if (state.latencyMs > 0) setTimeout(send, state.latencyMs);
    else send();
  });
  http.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${BASE_PATH}`,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value: number) {
      state.latencyMs = value;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
