/**
 * The three ways to reach the core handler: an injected `fetch`, msw request handlers, and a
 * real HTTP server on 127.0.0.1. Each turns the core's network-error response (a connection
 * reset fault) into what that transport really does.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from 'msw';
import { ConfigurationError } from '../../errors';

/** The core handler. */
export type Handle = (request: Request) => Promise<Response>;

/** An error shaped like undici's for a failed connection: `TypeError('fetch failed')` + `cause.code`. */
function networkError(code: 'ECONNRESET' | 'ENOTFOUND', message: string): TypeError {
  const cause = Object.assign(new Error(message), {
    code,
    errno: code === 'ECONNRESET' ? -104 : -3008,
    syscall: code === 'ECONNRESET' ? 'read' : 'getaddrinfo',
  });
  return new TypeError('fetch failed', { cause });
}

/**
 * A `fetch` that serves requests from the core without any global patching. Requests for
 * another origin fail like an unknown host does (`ENOTFOUND`), so a client following a foreign
 * link is caught.
 */
export function createFetch(handle: Handle, owns: (url: URL) => boolean): typeof globalThis.fetch {
  const mockFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const url = new URL(request.url);
    if (!owns(url)) {
      throw networkError(
        'ENOTFOUND',
        `getaddrinfo ENOTFOUND ${url.hostname} (not the mock server)`,
      );
    }
    const response = await handle(request);
    if (response.type === 'error') throw networkError('ECONNRESET', 'read ECONNRESET');
    return response;
  };
  return mockFetch as typeof globalThis.fetch;
}

interface MswModule {
  http: typeof import('msw').http;
  HttpResponse: typeof import('msw').HttpResponse;
}

/**
 * msw is an optional peer dependency: load it synchronously only when `handlers` is read
 * (Node 22.12+ can `require()` an ES module), so the rest of the kit works without it.
 */
function loadMsw(): MswModule {
  try {
    return createRequire(import.meta.url)('msw') as MswModule;
  } catch (cause) {
    const error = new ConfigurationError(
      'handlers',
      'msw is not installed. Install it (`npm install -D msw`) to use `mock.handlers`, or use ' +
        '`mock.fetch` / `mock.listen()`, which do not need it',
    );
    throw Object.assign(error, { cause });
  }
}

/** msw request handlers that answer every request the server owns. */
export function createMswHandlers(handle: Handle, owns: (url: URL) => boolean): HttpHandler[] {
  const { http, HttpResponse } = loadMsw();
  return [
    http.all(
      ({ request }) => owns(new URL(request.url)),
      async ({ request }) => {
        const response = await handle(request);
        return response.type === 'error' ? HttpResponse.error() : response;
      },
    ),
  ];
}

/** A running loopback server. */
export interface MockListener {
  /** Origin, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** The versioned base URL to give a client, e.g. `http://127.0.0.1:43121/ims/oneroster/v1p1`. */
  baseUrl: string;
  /** The OAuth 2 token URL, when the server has OAuth 2 auth. */
  tokenUrl: string | undefined;
  port: number;
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/** Options of `listen()`. */
export interface ListenOptions {
  /** @default 0 (any free port) */
  port?: number;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Serve the core over real HTTP on 127.0.0.1. */
export async function listenHttp(
  handle: Handle,
  paths: { basePath: string; tokenPath: string | undefined },
  options: ListenOptions = {},
): Promise<MockListener> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError('port', `must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const server = createServer((req, res) => {
    void respond(req, res);
  });
  async function respond(req: IncomingMessage, res: ServerResponse) {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('client disconnected'));
    });
    try {
      const method = req.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
      }
      const host = req.headers.host ?? `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const request = new Request(`http://${host}${req.url ?? '/'}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: new Uint8Array(body) }),
        signal: abort.signal,
      });
      const response = await handle(request);
      if (response.type === 'error') {
        req.socket.destroy();
        return;
      }
      const payload = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      out['content-length'] = String(payload.length);
      res.writeHead(response.status, out);
      res.end(payload);
    } catch {
      // The client went away mid-request (or the socket broke): nothing left to answer.
      if (!res.headersSent) req.socket.destroy();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    url: origin,
    baseUrl: `${origin}${paths.basePath}`,
    tokenUrl: paths.tokenPath === undefined ? undefined : `${origin}${paths.tokenPath}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
