/**
 * Tenant discovery: which districts shared their roster with the partner application, and the
 * per-district proxy bearer and application id to reach each one.
 *
 * @module
 */
import { z } from 'zod';
import type { OneRosterClient } from '../client';
import {
  ConfigurationError,
  InvalidResponseError,
  PaginationError,
  redactUrl,
  ValidationError,
  type ValidationIssue,
} from '../errors';
import { type PartnerApiOptions, partnerTransport } from './partner-api';
import { type ClassLinkProxyOptions, createClassLinkProxyClient } from './proxy';
import { redactWhenSerialized } from './redact-serialized';

/** A district that shared its roster with the application (one `/applications` row). */
export interface ClassLinkTenant {
  /** ClassLink's tenant id (the district), as a string; the `tenantId` of SSO roster keys. */
  tenantId: string;
  tenantName: string;
  /**
   * `oneroster_application_id`: the proxy path segment, percent-encoded as ClassLink sent it.
   * Use it verbatim.
   */
  applicationId: string;
  /** The per-district proxy bearer. Shown as `[REDACTED]` by `JSON.stringify` and `console.log`. */
  bearer: string;
  /** The row id (the tenant–application pairing), not a path segment. */
  id: string | undefined;
  /** `application_id`: the partner application, the same on every row; not a path segment. */
  partnerApplicationId: string | undefined;
  /** The application's name. */
  applicationName: string | undefined;
  /** Sharing switched on (`enabled: "true"`). */
  enabled: boolean;
  /** `tenant_status`, e.g. `Active`. */
  status: string | undefined;
  /** Enabled and `Active`: calls through the proxy should work. */
  usable: boolean;
  /** The row as received, minus the bearer. */
  raw: Record<string, unknown>;
}

/** Options of {@link listClassLinkTenants}. */
export interface ListClassLinkTenantsOptions extends PartnerApiOptions {
  /** Rows per request; ClassLink accepts up to 10,000. @default 1000 */
  pageSize?: number;
  /** Safety bound on requests. @default 1000 */
  maxPages?: number;
  /**
   * `lenient` skips rows without a tenant id, application id or bearer (and reports them to
   * `onInvalidRow`); `strict` throws a `ValidationError` for the first one.
   * @default 'lenient'
   */
  validation?: 'strict' | 'lenient';
  /** Told about each skipped row (never with the bearer). */
  onInvalidRow?: (row: {
    index: number;
    id: string | undefined;
    issues: ValidationIssue[];
  }) => void;
}

const text = z.union([z.string(), z.number()]).transform((value) => String(value).trim());
const requiredText = text.refine((value) => value !== '', 'must not be empty');
const optionalText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) =>
    value === null || value === undefined || String(value).trim() === ''
      ? undefined
      : String(value).trim(),
  );
/** ClassLink sends `"true"`; real booleans, `1`/`0` and `"yes"` are read too. */
const looseBoolean = z
  .union([z.boolean(), z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    if (typeof value === 'string')
      return ['true', '1', 'yes', 'y'].includes(value.trim().toLowerCase());
    // Absent: the doc's sample rows have no `enabled`; a listed tenant is taken as enabled.
    return true;
  });

const rowSchema = z.looseObject({
  id: optionalText,
  tenant_id: requiredText,
  tenant_name: optionalText,
  application_id: optionalText,
  name: optionalText,
  oneroster_application_id: requiredText,
  bearer: requiredText,
  enabled: looseBoolean,
  tenant_status: optionalText,
});

const envelopeSchema = z.looseObject({ applications: z.array(z.unknown()) });

/**
 * Parse one `/applications` row. Returns the issues (field names only) when it is unusable.
 *
 * @example
 * ```ts
 * const parsed = parseClassLinkTenant({ tenant_id: 2, tenant_name: 'Demo', bearer: 'b',
 *   oneroster_application_id: 'MoYP%2Fly%3D', enabled: 'true', tenant_status: 'Active' });
 * if (parsed.ok) console.log(parsed.tenant.usable); // true
 * ```
 */
export function parseClassLinkTenant(
  row: unknown,
): { ok: true; tenant: ClassLinkTenant } | { ok: false; issues: ValidationIssue[] } {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    };
  }
  const v = parsed.data;
  const { bearer: _bearer, ...raw } = row as Record<string, unknown>;
  const status = v.tenant_status;
  const tenant: ClassLinkTenant = {
    tenantId: v.tenant_id,
    tenantName: v.tenant_name ?? '',
    applicationId: v.oneroster_application_id,
    bearer: v.bearer,
    id: v.id,
    partnerApplicationId: v.application_id,
    applicationName: v.name,
    enabled: v.enabled,
    status,
    // code.org's rule from live traffic: present, enabled and Active. A row without a status is
    // given the benefit of the doubt (the documented sample has none).
    usable: v.enabled && (status === undefined || status.toLowerCase() === 'active'),
    raw,
  };
  return { ok: true, tenant: redactWhenSerialized(tenant, ['bearer']) };
}

/**
 * List every district that shared its roster with the partner application, from
 * `GET /applications` with the partner API key. ClassLink sends no count headers there, so this
 * pages with `limit`/`offset` until an empty page (a short page is not the end: the server may
 * clamp `limit`).
 *
 * @throws {AuthenticationError} for a rejected partner key (the key is never in the message).
 * @throws {InvalidResponseError} for a body without an `applications` list.
 * @throws {PaginationError} when the server ignores `offset` (the same page twice) or `maxPages`
 * is reached.
 *
 * @example
 * ```ts
 * import { clientForTenant, listClassLinkTenants } from '@smartpass/oneroster';
 *
 * const tenants = await listClassLinkTenants({ partnerKey: process.env.CLASSLINK_PARTNER_KEY! });
 * for (const tenant of tenants.filter((t) => t.usable)) {
 *   const client = clientForTenant(tenant);
 *   console.log(tenant.tenantName, await client.schools.list().toArray());
 * }
 * ```
 */
export async function listClassLinkTenants(
  options: ListClassLinkTenantsOptions,
): Promise<ClassLinkTenant[]> {
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    throw new ConfigurationError('pageSize', 'must be an integer from 1 to 10000');
  }
  const maxPages = options.maxPages ?? 1000;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new ConfigurationError('maxPages', 'must be a positive integer');
  }
  const transport = partnerTransport(options);
  const tenants: ClassLinkTenant[] = [];
  let offset = 0;
  let previousFirst: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= maxPages) {
      throw new PaginationError(
        `Stopped listing ClassLink tenants after ${maxPages} pages (maxPages); raise it if you have more districts`,
      );
    }
    const response = await transport.get({
      path: '/applications',
      query: { limit: pageSize, offset },
      signal: options.signal,
    });
    const envelope = envelopeSchema.safeParse(response.body);
    if (!envelope.success) {
      throw new InvalidResponseError({
        status: response.status,
        method: 'GET',
        url: redactUrl(response.url),
        reason: 'expected an object with an `applications` list',
        retryable: false,
      });
    }
    const rows = envelope.data.applications;
    if (rows.length === 0) return tenants;
    const first = JSON.stringify(rows[0]);
    if (first === previousFirst) {
      throw new PaginationError(
        'ClassLink returned the same page of tenants twice: the server ignored `offset`',
        { url: redactUrl(response.url) },
      );
    }
    previousFirst = first;
    rows.forEach((row, i) => {
      const parsed = parseClassLinkTenant(row);
      if (parsed.ok) {
        tenants.push(parsed.tenant);
        return;
      }
      const rawId = (row as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
      if (options.validation === 'strict') {
        throw new ValidationError({
          resource: 'applications',
          sourcedId: id,
          issues: parsed.issues,
        });
      }
      options.onInvalidRow?.({ index: offset + i, id, issues: parsed.issues });
    });
    // Advance by what was received, never by `limit`: a clamped page must not skip rows.
    offset += rows.length;
  }
}

/** Options of {@link clientForTenant}: client options besides the URL and the bearer. */
export type ClientForTenantOptions = Omit<ClassLinkProxyOptions, 'applicationId' | 'bearer'> & {
  /** Build the client even when the tenant is not `usable` (disabled or not Active). */
  allowUnusable?: boolean;
};

/**
 * A proxy-mode client for a tenant from {@link listClassLinkTenants}.
 *
 * @throws {ConfigurationError} naming `tenant` when the district disabled sharing or is not
 * Active (pass `allowUnusable` to try anyway).
 *
 * @example
 * ```ts
 * const client = clientForTenant(tenant, { pageSize: 1000 });
 * const classes = await client.classes.list().toArray();
 * ```
 */
export function clientForTenant(
  tenant: ClassLinkTenant,
  options: ClientForTenantOptions = {},
): OneRosterClient {
  const { allowUnusable, ...clientOptions } = options;
  if (!tenant.usable && !allowUnusable) {
    throw new ConfigurationError(
      'tenant',
      `district ${tenant.tenantId} (${tenant.tenantName}) is not usable: enabled=${tenant.enabled}, status=${tenant.status ?? 'unknown'}`,
    );
  }
  return createClassLinkProxyClient({
    ...clientOptions,
    applicationId: tenant.applicationId,
    bearer: tenant.bearer,
  });
}
