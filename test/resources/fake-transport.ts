/**
 * A scripted {@link Transport} for resource tests: records every request and answers from a
 * handler, building the URL the way the real transport does (base path + path + RFC 3986 query).
 */
import type { Transport, TransportRequest, TransportResponse } from '../../src/http/types';
import type { ClientEvent, Logger } from '../../src/options';
import { serializeQuery } from '../../src/query';
import type { ResourceContext } from '../../src/resources';

export const BASE_URL = 'https://sis.test/ims/oneroster/v1p1';

export interface FakeReply {
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

export interface FakeTransport extends Transport {
  requests: Array<TransportRequest & { url: URL }>;
}

export function fakeTransport(
  handler: (url: URL, request: TransportRequest) => FakeReply | Promise<FakeReply>,
  baseUrl = BASE_URL,
): FakeTransport {
  const base = new URL(baseUrl);
  const transport: FakeTransport = {
    baseUrl: base,
    requests: [],
    async get(request) {
      let url: URL;
      if (request.path instanceof URL) {
        url = new URL(request.path);
      } else {
        url = new URL(base.href.replace(/\/+$/, '') + request.path);
        const query = request.query ? serializeQuery(request.query) : '';
        url.search = query;
      }
      transport.requests.push({ ...request, url });
      const reply = await handler(url, request);
      const response: TransportResponse = {
        status: reply.status ?? 200,
        url,
        headers: new Headers(reply.headers ?? {}),
        body: reply.body,
      };
      return response;
    },
  };
  return transport;
}

export function contextFor(
  transport: Transport,
  overrides: Partial<ResourceContext> = {},
): ResourceContext {
  return {
    transport,
    version: '1.1',
    pageSize: 100,
    maxPages: 1000,
    validation: 'lenient',
    prefetch: 1,
    logger: undefined,
    onEvent: undefined,
    ...overrides,
  };
}

export interface CapturedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

export function captureLogger(): Logger & { lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  const at =
    (level: CapturedLog['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function captureEvents(): { events: ClientEvent[]; listener: (e: ClientEvent) => void } {
  const events: ClientEvent[] = [];
  return { events, listener: (event) => events.push(event) };
}
