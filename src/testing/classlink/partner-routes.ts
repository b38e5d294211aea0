/**
 * The mock's partner endpoints on `oneroster-proxy.classlink.io`: tenant discovery
 * (`/applications`, `/applications/{id}/server`) and the OneRoster proxy
 * (`/{applicationId}/ims/oneroster/v1p1/...`), faithful to what integrators observed: string
 * booleans, no count headers on `/applications`, an application id matched exactly as sent
 * (so a double-encoded `%252F` fails like the real one), per-district bearers.
 *
 * @module
 */
import { createOAuth1Strategy } from '../../auth/oauth1';
import type { MockClassLinkStore, StoredTenant } from './store';

const PROXY_PREFIX = ['ims', 'oneroster', 'v1p1'] as const;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

function bearerOf(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
}

function unauthorized(): Response {
  return json({ status: 0, message: 'Unauthorized' }, 401, { 'www-authenticate': 'Bearer' });
}

function intParam(value: string | null, fallback: number): number {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  return Number(value);
}

function row(store: MockClassLinkStore, tenant: StoredTenant): Record<string, unknown> {
  return {
    id: String(tenant.pairingId),
    tenant_name: tenant.name,
    tenant_id: tenant.tenantId,
    application_id: store.partnerApplicationId,
    bearer: tenant.bearer,
    name: 'SmartPass (mock)',
    oneroster_application_id: tenant.applicationId,
    // Strings, not booleans: what ClassLink sends.
    enabled: tenant.enabled === false ? 'false' : 'true',
    tenant_status: tenant.status ?? 'Active',
  };
}

/** `GET /applications`: every district that shared with the partner app, paged, no counts. */
export function handleApplications(store: MockClassLinkStore, request: Request): Response {
  if (bearerOf(request) !== store.partnerKey) return unauthorized();
  const url = new URL(request.url);
  const max = store.quirks.applications?.maxPageSize ?? 10_000;
  const limit = Math.min(intParam(url.searchParams.get('limit'), 100), max);
  const offset = intParam(url.searchParams.get('offset'), 0);
  const page = store.tenants.slice(offset, offset + limit).map((tenant) => row(store, tenant));
  return json({ status: 1, applications: page }, 200, { 'x-page-generation-time-ms': '9' });
}

/** `GET /applications/{oneroster_application_id}/server`: direct-mode credentials. */
export function handleServer(
  store: MockClassLinkStore,
  request: Request,
  rawApplicationId: string,
): Response {
  if (bearerOf(request) !== store.partnerKey) return unauthorized();
  const tenant = store.tenants.find((t) => t.applicationId === rawApplicationId);
  if (!tenant?.server) return json({ status: 0, message: 'Application not found' }, 404);
  return json({
    status: 1,
    server: {
      client_id: tenant.server.clientId,
      client_secret: tenant.server.clientSecret,
      endpoint_url: tenant.server.endpointUrl,
    },
    message: 'Success',
  });
}

/** Whether a raw path (not decoded) is a proxy call; returns the application id and the rest. */
export function matchProxyPath(
  rawPath: string,
): { applicationId: string; rest: string } | undefined {
  const segments = rawPath.split('/');
  const [, applicationId, ...tail] = segments;
  if (!applicationId || tail.length < PROXY_PREFIX.length) return undefined;
  if (PROXY_PREFIX.some((segment, i) => tail[i] !== segment)) return undefined;
  return { applicationId, rest: tail.slice(PROXY_PREFIX.length).join('/') };
}

/** Items in the first array of a collection body, for `x-count`. */
function collectionSize(text: string): number | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return undefined;
    const list = Object.values(body).find(Array.isArray);
    return list === undefined ? undefined : (list as unknown[]).length;
  } catch {
    return undefined;
  }
}

/** `GET /{applicationId}/ims/oneroster/v1p1/...`: check the bearer, forward, add `x-count`. */
export async function handleProxy(
  store: MockClassLinkStore,
  request: Request,
  match: { applicationId: string; rest: string },
): Promise<Response> {
  // Exact comparison on the raw segment: `%252F` (re-encoded) does not name the application.
  const tenant = store.tenants.find((t) => t.applicationId === match.applicationId);
  if (!tenant) return json({ status: 0, message: 'Invalid application' }, 404);
  if (bearerOf(request) !== tenant.bearer) return unauthorized();
  if (tenant.enabled === false || (tenant.status ?? 'Active') !== 'Active') {
    return json({ status: 0, message: 'Sharing is disabled for this application' }, 403);
  }
  if (request.method !== 'GET') return json({ status: 0, message: 'Method not allowed' }, 405);
  const upstream = tenant.roster;
  if (!upstream) return json({ status: 0, message: 'No roster server behind this tenant' }, 502);
  const target = new URL(
    `${upstream.baseUrl.replace(/\/+$/, '')}/${match.rest}${new URL(request.url).search}`,
  );
  const headers: Record<string, string> = { accept: 'application/json' };
  if (upstream.oauth1) {
    // The real proxy signs to the district's Roster Server with OAuth 1.0a on the partner's behalf.
    const signer = createOAuth1Strategy({ type: 'oauth1', ...upstream.oauth1 });
    Object.assign(headers, await signer.authorize({ method: 'GET', url: target }));
  }
  const response = await upstream.fetch(new Request(target, { method: 'GET', headers }));
  const text = await response.text();
  const outHeaders = new Headers(response.headers);
  // The body was decoded by fetch; the upstream's length and encoding no longer apply.
  outHeaders.delete('content-length');
  outHeaders.delete('content-encoding');
  if (store.quirks.proxy?.countHeader !== false && !outHeaders.has('x-count')) {
    const size = response.ok ? collectionSize(text) : undefined;
    if (size !== undefined) outHeaders.set('x-count', String(size));
  }
  return new Response(text, { status: response.status, headers: outHeaders });
}
