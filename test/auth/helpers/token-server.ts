/**
 * A real OAuth 2 token endpoint on 127.0.0.1 for tests: records every request (headers and
 * body) and answers with whatever the current handler says.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Resolves `true` if the client went away before the response was sent. */
  aborted: Promise<boolean>;
}

export type TokenHandler = (request: RecordedRequest, response: ServerResponse) => unknown;

export interface TokenServer {
  url: string;
  requests: RecordedRequest[];
  handle(handler: TokenHandler): void;
  close(): Promise<void>;
}

/** Answer with JSON. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A handler issuing `token-1`, `token-2`, … (or another prefix) with the given extra fields. */
export function issueTokens(
  extra: Record<string, unknown> = { expires_in: 3600 },
  prefix = 'token',
): TokenHandler {
  let n = 0;
  return (_request, response) => {
    n++;
    sendJson(response, 200, { access_token: `${prefix}-${n}`, token_type: 'Bearer', ...extra });
  };
}

export async function startTokenServer(
  initial: TokenHandler = issueTokens(),
): Promise<TokenServer> {
  let handler = initial;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let settle: (value: boolean) => void = () => {};
    const aborted = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    res.on('close', () => settle(!res.writableFinished));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        aborted,
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth/token`,
    requests,
    handle(next) {
      handler = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
