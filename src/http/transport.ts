/**
 * The HTTP transport: the one place that sends requests. Retry, rate limiting, timeouts, error
 * mapping and logging are layered here so every resource gets them for free.
 *
 * @module
 */
import ky from 'ky';
import type { AuthStrategy } from '../auth/types';
import { ApiError, ConnectionError, InvalidResponseError, redactUrl } from '../errors';
import type { ClientEvent, Logger, RateLimitOptions, RetryOptions } from '../options';
import type { Transport, TransportRequest, TransportResponse } from './types';

/** What {@link createHttpTransport} needs. The client validates these before calling it. */
export interface HttpTransportOptions {
  /** Already validated by the client, e.g. `https://x.test/ims/oneroster/v1p1`. */
  baseUrl: URL;
  /** Built by `createAuthStrategy` from `src/auth`. */
  auth: AuthStrategy;
  /** @default globalThis.fetch (looked up per request, so msw patching after creation works) */
  fetch?: typeof globalThis.fetch;
  /** `false` disables client-side limiting. */
  rateLimit: RateLimitOptions | false;
  /** `false` disables retries. */
  retry: RetryOptions | false;
  /** Per-attempt timeout in ms. */
  timeout: number;
  logger?: Logger;
  onEvent?: (event: ClientEvent) => void;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Clock seam for tests. @default Date.now */
  now?: () => number;
  /** Sleep seam for tests; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness seam for jitter. @default Math.random */
  random?: () => number;
}

/**
 * Create the transport that resources and the paginator use.
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({
 *   baseUrl: new URL('https://x.test/ims/oneroster/v1p1'),
 *   auth: createAuthStrategy({ type: 'bearer', token: 't' }),
 *   rateLimit: { maxConcurrent: 4, requestsPerSecond: 10 },
 *   retry: { retries: 5 },
 *   timeout: 30_000,
 * });
 * const { body } = await transport.get({ path: '/users', query: { limit: 100 } });
 * ```
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  // Provisional single-attempt implementation; retry, rate limiting and logging follow.
  const baseUrl = new URL(options.baseUrl);
  return {
    baseUrl,
    async get(request: TransportRequest): Promise<TransportResponse> {
      const url =
        request.path instanceof URL
          ? new URL(request.path)
          : new URL(baseUrl.pathname.replace(/\/+$/, '') + request.path, baseUrl);
      const authHeaders = await options.auth.authorize({ method: 'GET', url });
      let response: Response;
      try {
        response = await ky(url, {
          method: 'GET',
          retry: 0,
          throwHttpErrors: false,
          timeout: request.timeout ?? options.timeout,
          headers: {
            accept: 'application/json',
            ...options.headers,
            ...request.headers,
            ...authHeaders,
          },
          ...(request.signal ? { signal: request.signal } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
      } catch (error) {
        throw new ConnectionError(`GET ${redactUrl(url)} failed`, {
          url: redactUrl(url),
          cause: error,
        });
      }
      const text = await response.text();
      if (!response.ok) {
        throw ApiError.fromStatus({ status: response.status, method: 'GET', url: redactUrl(url) });
      }
      try {
        return { status: response.status, url, headers: response.headers, body: JSON.parse(text) };
      } catch (error) {
        throw new InvalidResponseError({
          status: response.status,
          method: 'GET',
          url: redactUrl(url),
          reason: 'malformed JSON',
          cause: error,
        });
      }
    },
  };
}
