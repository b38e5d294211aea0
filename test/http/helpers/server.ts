/**
 * A real loopback HTTP server for transport tests: scripted per-request behaviour, and a record
 * of what arrived (method, URL, headers, arrival time, concurrency).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Arrival {
  method: string;
  /** Path and query exactly as sent on the request line. */
  rawUrl: string;
  headers: IncomingMessage['headers'];
  at: number;
  /** Requests being handled at this arrival, this one included. */
  concurrent: number;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  index: number,
) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  arrivals: Arrival[];
  maxConcurrent: () => number;
  close(): Promise<void>;
}

/** Start a server on 127.0.0.1 with an ephemeral port. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const arrivals: Arrival[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    active++;
    peak = Math.max(peak, active);
    const index = arrivals.length;
    arrivals.push({
      method: req.method ?? '',
      rawUrl: req.url ?? '',
      headers: req.headers,
      at: performance.now(),
      concurrent: active,
    });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      active--;
    };
    // Counted as finished when the handler has produced the whole response (or the socket died),
    // i.e. before the client can possibly see the end of it.
    res.on('finish', finish);
    res.on('close', finish);
    Promise.resolve(handler(req, res, index)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    arrivals,
    maxConcurrent: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Send a JSON body. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Send a text body with an explicit content type. */
export function text(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain',
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}
