/**
 * `createMockOneRoster()`: a faithful OneRoster 1.1/1.2 Rostering server over a dataset,
 * usable as an injected `fetch`, as msw handlers, or as a real HTTP server.
 *
 * @module
 */
import type { HttpHandler } from 'msw';
import { ConfigurationError } from '../../errors';
import { type OneRosterVersion, SYNC_RESOURCES, type SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';
import { generateDistrict } from '../district/generate';
import type { Seed } from '../random';
import {
  createFetch,
  createMswHandlers,
  type ListenOptions,
  listenHttp,
  type MockListener,
} from './adapters';
import { createAuthVerifier, type MockAuthOptions } from './auth';
import { createFaults, type FaultController, type MockFault } from './faults';
import { createHandler } from './handle';
import { RequestLog } from './log';
import type { PagingHeaders } from './paging';
import { BASE_PATHS } from './versions';

/** Options of {@link createMockOneRoster}. */
export interface MockOneRosterOptions {
  /** The data to serve. @default generateDistrict() (a small seeded district) */
  dataset?: Dataset;
  /** OneRoster version: base path, wire shapes and error bodies follow it. */
  version: OneRosterVersion;
  /** How requests are authenticated. @default { type: 'none' } */
  auth?: MockAuthOptions;
  /** Paging headers on collection responses. @default 'both' */
  pagingHeaders?: PagingHeaders;
  /** Larger `limit`s are clamped to this, silently, as real servers do. @default 10_000 */
  maxPageSize?: number;
  /** `limit` when the request has none (the specification's default). @default 100 */
  defaultPageSize?: number;
  /** Delay before every response, in ms (uses timers, so fake timers apply). @default 0 */
  latencyMs?: number;
  /**
   * Origin (optionally with a path prefix, e.g. a proxy's `https://proxy.test/app-1`) the
   * server answers on in `fetch` and msw modes, and the canonical base of every record's
   * `href` in all modes (as behind a proxy, hrefs need not point where the request went: key on
   * sourcedId). `Link` URLs use the origin each request was sent to, so clients can follow them.
   * @default 'https://oneroster.mock.test'
   */
  baseUrl?: string;
  /**
   * Faults to inject from the start (see {@link MockFault}); change them at runtime through
   * `mock.faults`.
   */
  faults?: readonly MockFault[];
  /** Seed of probabilistic faults. @default the dataset's seed, else 1 */
  seed?: Seed;
}

/** A mock OneRoster server. */
export interface MockOneRoster {
  readonly version: OneRosterVersion;
  /** The versioned base URL for a client (`fetch` and msw modes), e.g. `https://oneroster.mock.test/ims/oneroster/v1p1`. */
  readonly baseUrl: string;
  /** The OAuth 2 token URL (`fetch` and msw modes), when auth is `oauth2`. */
  readonly tokenUrl: string | undefined;
  /**
   * msw request handlers for `setupServer(...mock.handlers)`. Built on first read; needs the
   * optional peer dependency msw.
   *
   * @throws {ConfigurationError} when msw is not installed.
   */
  readonly handlers: HttpHandler[];
  /** A `fetch` that serves this mock without patching any global; pass it as the client's `fetch`. */
  readonly fetch: typeof globalThis.fetch;
  /** Serve over real HTTP on 127.0.0.1. */
  listen(options?: ListenOptions): Promise<MockListener>;
  /** The core handler every style uses: any `Request` in, the server's `Response` out. */
  handle(request: Request): Promise<Response>;
  /** Every request served, for assertions. */
  readonly log: RequestLog;
  /** Add, replace and clear faults at runtime. */
  readonly faults: FaultController;
  /** Make every OAuth 2 token issued so far expired (no-op for other auth types). */
  expireTokens(): void;
  /**
   * Render whole collections ahead of time, so that serving them costs a memory copy per page
   * (for benchmarks that time a client, not the mock). Synchronous; rendered records stay cached
   * until they change, within a 256 MiB budget. Returns the number of records rendered.
   *
   * @example
   * ```ts
   * mock.warm(['users']);
   * const started = performance.now();
   * for await (const user of client.users.list()) count++;
   * ```
   */
  warm(resources?: readonly SyncResource[]): number;
  /** The dataset served (the same object that was passed in); change it with `mutate()`. */
  readonly dataset: Dataset;
}

const DEFAULT_BASE_URL = 'https://oneroster.mock.test';

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(name, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Create a mock OneRoster server that serves a dataset like a conforming provider: every
 * Rostering endpoint of the version, wrapper keys, paging, sorting, field selection, filters,
 * errors, auth and (optionally) the faults real districts produce.
 *
 * @throws {ConfigurationError} naming the option when an option is invalid.
 *
 * @example
 * ```ts
 * import { createMockOneRoster, generateDistrict } from '@smartpass/oneroster/testing';
 * import { OneRosterClient } from '@smartpass/oneroster';
 *
 * const mock = createMockOneRoster({ dataset: generateDistrict({ seed: 1 }), version: '1.2' });
 * const client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
 * const users = await client.users.list().toArray();
 * ```
 */
export function createMockOneRoster(options: MockOneRosterOptions): MockOneRoster {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('options', 'must be an object');
  }
  const version = options.version;
  if (version !== '1.1' && version !== '1.2') {
    throw new ConfigurationError('version', `must be '1.1' or '1.2', got ${String(version)}`);
  }
  const paging = options.pagingHeaders ?? 'both';
  if (!['both', 'total', 'link', 'none', 'classlink'].includes(paging)) {
    throw new ConfigurationError(
      'pagingHeaders',
      `must be 'both', 'total', 'link', 'none' or 'classlink', got ${String(paging)}`,
    );
  }
  const maxPageSize = positiveInteger('maxPageSize', options.maxPageSize, 10_000);
  const defaultPageSize = positiveInteger('defaultPageSize', options.defaultPageSize, 100);
  const latencyMs = options.latencyMs ?? 0;
  if (typeof latencyMs !== 'number' || !(latencyMs >= 0) || !Number.isFinite(latencyMs)) {
    throw new ConfigurationError('latencyMs', `must be a number >= 0, got ${String(latencyMs)}`);
  }
  let base: URL;
  try {
    base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
  } catch {
    throw new ConfigurationError('baseUrl', 'must be an absolute http(s) URL');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ConfigurationError('baseUrl', 'must be an absolute http(s) URL');
  }
  if (base.search !== '' || base.hash !== '') {
    throw new ConfigurationError('baseUrl', 'must not have a query or fragment');
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const basePath = `${prefix}${BASE_PATHS[version]}`;
  const dataset = options.dataset ?? generateDistrict();

  const log = new RequestLog();
  const auth = createAuthVerifier(options.auth);
  const faults = createFaults({
    faults: options.faults,
    seed: options.seed ?? dataset.seed ?? 1,
    dataset,
    version,
  });
  const handler = createHandler({
    dataset,
    version,
    prefix,
    hrefBase: `${base.origin}${basePath}`,
    pagingHeaders: paging,
    maxPageSize,
    defaultPageSize,
    latencyMs,
    auth,
    faults,
    log,
  });
  const handle = handler.handle;
  const ownsPath = (pathname: string) =>
    pathname === basePath ||
    pathname.startsWith(`${basePath}/`) ||
    (auth.tokenPath !== undefined && pathname === auth.tokenPath);
  const owns = (url: URL) => url.origin === base.origin && ownsPath(url.pathname);
  let handlers: HttpHandler[] | undefined;

  return {
    version,
    baseUrl: `${base.origin}${basePath}`,
    tokenUrl: auth.tokenPath === undefined ? undefined : `${base.origin}${auth.tokenPath}`,
    get handlers() {
      handlers ??= createMswHandlers(handle, owns);
      return handlers;
    },
    fetch: createFetch(handle, owns),
    listen: (listenOptions) =>
      listenHttp(handle, { basePath, tokenPath: auth.tokenPath }, listenOptions),
    handle,
    log,
    faults: faults.controller,
    expireTokens: () => auth.expireTokens(),
    warm: (resources = SYNC_RESOURCES) => handler.warm(resources),
    dataset,
  };
}
