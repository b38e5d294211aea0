/**
 * The contract between resources/pagination and the HTTP layer. Only `http/` imports ky.
 *
 * @module
 */
import type { ClientEvent } from '../options';

/** Query parameter values; arrays are joined with commas (OneRoster's `fields` form). */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type QueryParams = Record<string, QueryValue>;

/** One GET request through retry, rate limiting, auth and logging. */
export interface TransportRequest {
  /**
   * A path relative to the client's base URL (`/users`, `/schools/s1/classes`), or an absolute
   * URL (a `Link: rel="next"` target), which must be on the base URL's origin.
   */
  path: string | URL;
  query?: QueryParams | undefined;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
  headers?: Record<string, string> | undefined;
  /** Per-request listener, called in addition to the transport-wide `onEvent`. */
  onEvent?: ((event: ClientEvent) => void) | undefined;
}

/** A successful (2xx) response with its JSON body parsed. */
export interface TransportResponse {
  status: number;
  /** The URL requested (not redacted; do not log it). */
  url: URL;
  headers: Headers;
  body: unknown;
}

/** What resources and the paginator use to talk to the server. */
export interface Transport {
  /** Throws a typed `OneRosterError` for any failure; never returns a non-2xx response. */
  get(request: TransportRequest): Promise<TransportResponse>;
  /** The resolved base URL, e.g. `https://x.test/ims/oneroster/v1p1`. */
  readonly baseUrl: URL;
}
