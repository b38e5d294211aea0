/**
 * The core of the mock OneRoster server: one `handle(request) -> response` function that the
 * three access styles (injected `fetch`, msw handlers, a real HTTP server) adapt. A connection
 * reset is returned as `Response.error()` (a network error response) and each adapter turns it
 * into its own kind of failure.
 *
 * @module
 */
import { redactUrl } from '../../errors';
import type { OneRosterVersion, SyncResource } from '../../models/types';
import { decodeRfc3986 } from '../../query/encode';
import type { Dataset } from '../district/dataset';
import { project, serveCollectionPage } from './collection-page';
import { isKnownField } from './fields';
import { DatasetIndexes } from './indexes';
import type { AuthOutcome, RequestLog } from './log';
import { ModifiedIndex } from './modified-index';
import type { PagingHeaders } from './paging';
import { readFields, readQuery } from './query';
import { RenderCache, renderRecord } from './render';
import { matchRoute, type RouteDef } from './routes';
import { type CodeMinor, errorResponse, jsonResponse, statusInfo } from './status-info';
import { BASE_PATHS } from './versions';
import { type View, ViewCache } from './views';

/** What an auth check decided. */
export type AuthCheck =
  | { ok: true; outcome: AuthOutcome; scopes?: ReadonlySet<string> | undefined }
  | { ok: false; outcome: AuthOutcome; response: Response };

/** Verifies credentials and serves the token endpoint, if any. */
export interface AuthVerifier {
  /** Path of the OAuth 2 token endpoint (absolute path), if this server has one. */
  readonly tokenPath?: string | undefined;
  verify(request: Request, url: URL, context: RequestContext): Promise<AuthCheck>;
  /** Whether the authenticated request may use a route (scopes); `false` answers 403. */
  allows(check: AuthCheck & { ok: true }, route: RouteDef): boolean;
  token?(request: Request, context: RequestContext): Promise<Response>;
}

/** Per-request state shared with the auth verifier and the fault controller. */
export interface RequestContext {
  readonly requestId: string;
  readonly version: OneRosterVersion;
  /** Path relative to the version base, e.g. `/users`, or the absolute path elsewhere. */
  readonly path: string;
  readonly signal: AbortSignal;
}

/** Decisions the fault controller makes about a request. */
export interface FaultPlan {
  /** Faults applied, by kind, for the log. */
  readonly applied: string[];
  /** A response that replaces the normal one (429, 5xx, reset). */
  response?: Response | undefined;
  /** Extra delay before answering. */
  delayMs: number;
  /** Clamp the page size for this request. */
  clampLimit?: number | undefined;
  /** Break one record of the page (index in the page, field to drop or value to set). */
  invalidRecord?: { index: number | undefined; field: string; value?: unknown } | undefined;
  /** Cut the body after this share of its length. */
  truncateAt?: number | undefined;
  /** Change the data before serving this page (records inserted or removed before the offset). */
  shiftData?: { change: 'insert' | 'delete'; count: number } | undefined;
}

/** Decides faults per request. */
export interface FaultPlanner {
  plan(request: Request, context: RequestContext): FaultPlan;
  /** Carry out a data shift for a page about to be served. */
  shift(
    plan: NonNullable<FaultPlan['shiftData']>,
    page: { kind: SyncResource; view: View; offset: number },
  ): void;
}

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  dataset: Dataset;
  version: OneRosterVersion;
  /** Path before the version base path (from the `baseUrl` option), without trailing slash. */
  prefix: string;
  /**
   * The canonical versioned base URL hrefs point under, whichever origin a request came in on
   * (as providers behind proxies do; clients must key on sourcedId, not dereference hrefs).
   */
  hrefBase: string;
  /** Budget of the rendered-record cache in bytes. */
  renderCacheBytes?: number | undefined;
  pagingHeaders: PagingHeaders;
  maxPageSize: number;
  defaultPageSize: number;
  latencyMs: number;
  auth: AuthVerifier;
  faults: FaultPlanner;
  log: RequestLog;
}

/** Sleep that an abort cuts short; no timer at all for 0 ms (fake-timer friendly). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The core handler and its render-cache warm-up. */
export interface Handler {
  handle(request: Request): Promise<Response>;
  /** Render whole collections ahead of time (see `MockOneRoster.warm`). */
  warm(kinds: readonly SyncResource[]): number;
}

/** Build the core request handler. */
export function createHandler(options: HandlerOptions): Handler {
  const { dataset, version, log } = options;
  const basePath = `${options.prefix}${BASE_PATHS[version]}`;
  const indexes = new DatasetIndexes(dataset);
  const modified = new ModifiedIndex(dataset);
  const views = new ViewCache();
  const hrefBase = options.hrefBase;
  const rendered = new RenderCache(dataset, version, hrefBase, options.renderCacheBytes);
  let sequence = 0;
  let inFlight = 0;

  return { handle, warm: (kinds) => rendered.warm(kinds) };

  async function handle(request: Request): Promise<Response> {
    const id = ++sequence;
    const started = Date.now();
    inFlight++;
    const entryInFlight = inFlight;
    const url = new URL(request.url);
    const path = relativePath(url.pathname, basePath);
    const context: RequestContext = {
      requestId: `req-${id}`,
      version,
      path,
      signal: request.signal,
    };
    let auth: AuthOutcome = 'skipped';
    let plan: FaultPlan | undefined;
    let response: Response;
    let failure: string | undefined;
    try {
      plan = options.faults.plan(request, context);
      await delay(options.latencyMs + plan.delayMs, request.signal);
      if (plan.response) {
        response = plan.response;
      } else {
        const result = await serve(request, url, context, plan);
        auth = result.auth;
        response = result.response;
      }
    } catch (error) {
      if (request.signal.aborted) {
        inFlight--;
        throw error;
      }
      // A bug in the mock must still look like a server error to the client, not hang it; the
      // log keeps the reason so the test that hit it can show it.
      failure = error instanceof Error ? error.message : String(error);
      response = errorResponse(
        version,
        500,
        'internal_server_error',
        'Internal server error',
        context.requestId,
      );
    }
    inFlight--;
    log.add({
      id,
      method: request.method,
      url: redactUrl(url),
      path,
      status: response.type === 'error' ? 0 : response.status,
      time: started,
      durationMs: Date.now() - started,
      auth,
      inFlight: entryInFlight,
      faults: plan?.applied ?? [],
      ...(failure === undefined ? {} : { error: failure }),
    });
    return response;
  }

  async function serve(
    request: Request,
    url: URL,
    context: RequestContext,
    plan: FaultPlan,
  ): Promise<{ auth: AuthOutcome; response: Response }> {
    const fail = (status: number, codeMinor: CodeMinor, description: string) =>
      errorResponse(version, status, codeMinor, description, context.requestId);

    if (options.auth.tokenPath !== undefined && url.pathname === options.auth.tokenPath) {
      const token = options.auth.token;
      if (token)
        return { auth: 'none', response: await token.call(options.auth, request, context) };
    }
    const check = await options.auth.verify(request, url, context);
    if (!check.ok) return { auth: check.outcome, response: check.response };
    let auth = check.outcome;

    if (!url.pathname.startsWith(`${basePath}/`) && url.pathname !== basePath) {
      return { auth, response: fail(404, 'unknownobject', 'Unknown endpoint') };
    }
    const segments = decodeSegments(context.path);
    const matched = segments && matchRoute(segments);
    if (!matched) return { auth, response: fail(404, 'unknownobject', 'Unknown endpoint') };
    if (request.method !== 'GET') {
      return {
        auth,
        response: errorResponse(
          version,
          405,
          'invaliddata',
          `Method ${request.method} is not allowed; this service is read-only`,
          context.requestId,
          { Allow: 'GET' },
        ),
      };
    }
    const { route, params } = matched;
    if (!options.auth.allows(check, route)) {
      auth = 'forbidden';
      // 1.1's code-minor vocabulary has no `forbidden` (oneroster.md §8.2).
      const minor = version === '1.2' ? 'forbidden' : 'unauthorisedrequest';
      return { auth, response: fail(403, minor, 'Insufficient scope for this endpoint') };
    }
    const query = readQuery(url.search);
    const warnings: Array<Record<string, unknown>> = [];
    const warn = (codeMinor: CodeMinor, description: string) =>
      warnings.push(
        statusInfo(version, {
          codeMajor: 'success',
          severity: 'warning',
          codeMinor,
          description,
          requestId: context.requestId,
        }),
      );

    // fields: 1.2 rejects unknown names; 1.1 warns and returns everything (oneroster.md §7.3).
    let fields = readFields(query);
    if (fields !== undefined) {
      if (fields.length === 0) {
        const minor =
          version === '1.1' ? 'invalid_blank_selection_field' : 'invalid_selection_field';
        return { auth, response: fail(400, minor, "Query parameter 'fields' is blank") };
      }
      const unknown = fields.filter(
        (f) => !isKnownField(route.kind, version, f) || f.includes('.'),
      );
      if (unknown.length > 0) {
        const description = `Unknown selection field: ${unknown.join(', ')}`;
        if (version === '1.2')
          return { auth, response: fail(400, 'invalid_selection_field', description) };
        warn('invalid_selection_field', description);
        fields = undefined;
      }
    }

    const resolution = route.resolve({ dataset, indexes }, params);
    if (resolution.type === 'not-found') {
      return { auth, response: fail(404, 'unknownobject', resolution.description) };
    }
    if (resolution.type === 'single') {
      const wire = project(
        renderRecord(resolution.kind, resolution.record, version, hrefBase),
        fields,
      );
      const body: Record<string, unknown> = { [route.wrapper]: wire };
      if (warnings.length > 0) body.statusInfoSet = warnings;
      return { auth, response: jsonResponse(200, body) };
    }

    return {
      auth,
      response: serveCollectionPage(
        {
          dataset,
          version,
          views,
          rendered,
          indexes,
          modified,
          hrefBase,
          faults: options.faults,
          pagingHeaders: options.pagingHeaders,
          maxPageSize: options.maxPageSize,
          defaultPageSize: options.defaultPageSize,
        },
        { route, params, resolution, query, url, context, plan, fields, warnings, warn },
      ),
    };
  }
}

/** The request path relative to the version base, without a trailing slash (tolerated). */
function relativePath(pathname: string, basePath: string): string {
  let path = pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === basePath) return '/';
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : path;
}

/** Percent-decoded path segments, or `undefined` when one is malformed. */
function decodeSegments(path: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of path.split('/').slice(1)) {
    const segment = decodeRfc3986(raw);
    if (segment === undefined) return undefined;
    out.push(segment);
  }
  return out;
}
