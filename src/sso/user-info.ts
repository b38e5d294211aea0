/**
 * Parsing of ClassLink's `GET /v2/my/info`. ClassLink documents PascalCase keys with integer
 * ids, but real tenants differ: `OrgId` is an array in one tenant and `""` in another, ids
 * arrive as numbers or strings, undocumented keys (`or_email`) appear, and a client that read
 * snake_case shipped a bug. So keys are matched case- and underscore-insensitively, ids are
 * coerced to strings, and unknown keys are kept in `raw`.
 *
 * @module
 */
import { z } from 'zod';

/** The signed-in ClassLink user, normalised from `/v2/my/info`. */
export interface ClassLinkUser {
  /** ClassLink's own account id (`UserId`). Not a roster id. */
  userId: string;
  /** The district's ClassLink tenant id (`TenantId`); half of the roster key. */
  tenantId: string;
  /** District name (`Tenant`). */
  tenantName?: string;
  /**
   * The user's OneRoster `sourcedId` (`SourcedId`); only sent when the district has OneRoster
   * enabled. Unique within the tenant only.
   */
  sourcedId?: string;
  /** Login name (`LoginId`): the AD/Google/Azure username, equal to the roster `username`. */
  loginId?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  /** ClassLink role name: `Student`, `Teacher`, `Tenant Administrator`, ... (capitalised). */
  role?: string;
  /** `Role_Level`: 4 for students, 3 for teachers in observed tenants. */
  roleLevel?: number;
  /** `OrgId`, always as a list (ClassLink sends an array, a string or `""`). */
  orgIds: string[];
  stateId?: string;
  buildingId?: string;
  /** The response body as received (contains personal data; do not log it). */
  raw: Record<string, unknown>;
}

/** Keys folded for lookup: `Role_Level`, `roleLevel` and `role_level` are the same key. */
function foldKey(key: string): string {
  return key.replace(/[_\-\s]/g, '').toLowerCase();
}

const optionalText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => {
    if (value === null || value === undefined) return undefined;
    const text = String(value).trim();
    return text === '' ? undefined : text;
  });

const requiredId = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .refine((value) => value !== '', 'must not be empty');

const orgIdList = z
  .union([z.array(z.union([z.string(), z.number()])), z.string(), z.number(), z.null()])
  .optional()
  .transform((value): string[] => {
    if (value === null || value === undefined) return [];
    const items = Array.isArray(value) ? value : String(value).split(',');
    return items.map((item) => String(item).trim()).filter((item) => item !== '');
  });

const roleLevel = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value) => {
    if (value === null || value === undefined || value === '') return undefined;
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  });

/** Schema over the key-folded body. */
const folded = z.object({
  userid: requiredId,
  tenantid: requiredId,
  tenant: optionalText,
  sourcedid: optionalText,
  loginid: optionalText,
  email: optionalText,
  firstname: optionalText,
  lastname: optionalText,
  displayname: optionalText,
  role: optionalText,
  rolelevel: roleLevel,
  orgid: orgIdList,
  stateid: optionalText,
  buildingid: optionalText,
});

/** Documented spelling of each folded key, for messages. */
const DOCUMENTED_KEY: Record<string, string> = {
  userid: 'UserId',
  tenantid: 'TenantId',
  tenant: 'Tenant',
  sourcedid: 'SourcedId',
  loginid: 'LoginId',
  email: 'Email',
  firstname: 'FirstName',
  lastname: 'LastName',
  displayname: 'DisplayName',
  role: 'Role',
  rolelevel: 'Role_Level',
  orgid: 'OrgId',
  stateid: 'StateId',
  buildingid: 'BuildingId',
};

/** Where a field of `/v2/my/info` failed to parse. Never carries the value. */
export interface UserInfoIssue {
  field: string;
  message: string;
}

/** Result of {@link parseClassLinkUserInfo}. */
export type UserInfoParseResult =
  | { ok: true; user: ClassLinkUser }
  | { ok: false; issues: UserInfoIssue[] };

/**
 * Parse a `/v2/my/info` body into a {@link ClassLinkUser}. Only `UserId` and `TenantId` are
 * required; everything else is optional because tenants differ in what they share.
 *
 * @example
 * ```ts
 * const result = parseClassLinkUserInfo({ UserId: 8708718, TenantId: 2, SourcedId: 'u-1', OrgId: '' });
 * if (result.ok) console.log(result.user.tenantId, result.user.sourcedId); // '2' 'u-1'
 * ```
 */
export function parseClassLinkUserInfo(body: unknown): UserInfoParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ field: '(root)', message: 'expected a JSON object' }] };
  }
  const raw = body as Record<string, unknown>;
  const byFoldedKey: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const foldedKey = foldKey(key);
    // The first spelling wins, so a documented PascalCase key beats a later duplicate.
    if (!(foldedKey in byFoldedKey)) byFoldedKey[foldedKey] = value;
  }
  const parsed = folded.safeParse(byFoldedKey);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field:
          DOCUMENTED_KEY[String(issue.path[0])] ?? (issue.path.map(String).join('.') || '(root)'),
        message: issue.message,
      })),
    };
  }
  const v = parsed.data;
  const user: ClassLinkUser = { userId: v.userid, tenantId: v.tenantid, orgIds: v.orgid, raw };
  assign(user, 'tenantName', v.tenant);
  assign(user, 'sourcedId', v.sourcedid);
  assign(user, 'loginId', v.loginid);
  assign(user, 'email', v.email);
  assign(user, 'firstName', v.firstname);
  assign(user, 'lastName', v.lastname);
  assign(user, 'displayName', v.displayname);
  assign(user, 'role', v.role);
  assign(user, 'roleLevel', v.rolelevel);
  assign(user, 'stateId', v.stateid);
  assign(user, 'buildingId', v.buildingid);
  return { ok: true, user };
}

/** Set an optional property only when defined (`exactOptionalPropertyTypes`). */
function assign<K extends keyof ClassLinkUser>(
  target: ClassLinkUser,
  key: K,
  value: ClassLinkUser[K] | undefined,
): void {
  if (value !== undefined) target[key] = value;
}
