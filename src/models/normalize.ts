/**
 * The version mapping: the finishing steps that turn a validated wire object into the normalised
 * shape of `./types` (1.1 `role` + `orgs` -> `roles[]`, defaults, CSV-style aliases), and the
 * reverse mapping used to render 1.1 wire users.
 *
 * The same functions run in the zod schemas (which pass a reporter for the issues they find) and in
 * the unchecked normaliser of `validation: 'off'` (which passes none).
 *
 * @module
 */
import type * as z from 'zod';
import type { Class, OneRosterVersion, Ref, User, UserRole } from './types';

/** The fields a `fields` projection asked for; `undefined` means the whole record. */
export type Projection = ReadonlySet<string> | undefined;

/** Receives an issue found by a finishing step (path inside the record, message without values). */
export type IssueReporter = (path: string, message: string) => void;

type Obj = Record<string, unknown>;

/** Whether `field` is expected in a record returned for `projection`. */
export function requested(projection: Projection, field: string): boolean {
  return projection === undefined || projection.has(field);
}

/** An {@link IssueReporter} that adds custom issues to a zod transform's context. */
export function zodReporter(ctx: z.RefinementCtx): IssueReporter {
  return (path, message) => {
    ctx.issues.push({ code: 'custom', message, path: [path], input: undefined });
  };
}

/**
 * 1.1 `role` + `orgs` as 1.2 roles: one `primary` entry per org. 1.1 has one role per user, so
 * every entry carries it; 1.1 `administrator` stays `administrator` (1.2 has no equivalent: it
 * would be one of district/site/system administrator, which 1.1 does not say).
 *
 * @example
 * ```ts
 * rolesFromV1p1('teacher', [{ sourcedId: 's-1', type: 'org' }]);
 * // [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 's-1', type: 'org' } }]
 * ```
 */
export function rolesFromV1p1(role: string, orgs: readonly Ref[]): UserRole[] {
  return orgs.map((org) => ({ roleType: 'primary', role, org }));
}

/**
 * A user's roles as 1.1 `role` + `orgs`. `role` is the primary role at the primary org (else the
 * first primary role, else the first role); `orgs` lists each org once, the primary org first.
 * Lossy where 1.2 is richer than 1.1: secondary roles and differing roles per org collapse into
 * the one `role`, and role dates and `userProfile` are dropped.
 *
 * @example
 * ```ts
 * v1p1RoleAndOrgs(user); // { role: 'student', orgs: [{ sourcedId: 's-1', type: 'org' }] }
 * ```
 */
export function v1p1RoleAndOrgs(user: Pick<User, 'roles' | 'primaryOrg'>): {
  role: string | undefined;
  orgs: Ref[];
} {
  const roles = user.roles ?? [];
  const primaryOrgId = user.primaryOrg?.sourcedId;
  const main =
    roles.find((r) => r.roleType === 'primary' && r.org.sourcedId === primaryOrgId) ??
    roles.find((r) => r.roleType === 'primary') ??
    roles[0];
  const orgs: Ref[] = [];
  const seen = new Set<string>();
  const add = (org: Ref | undefined) => {
    if (org !== undefined && !seen.has(org.sourcedId)) {
      seen.add(org.sourcedId);
      orgs.push(org);
    }
  };
  if (primaryOrgId !== undefined) add(roles.find((r) => r.org.sourcedId === primaryOrgId)?.org);
  for (const r of roles) add(r.org);
  return { role: main?.role, orgs };
}

// CSV binding names of the preferred names (oneroster.md §12.2), seen on REST servers fed by CSV.
const NAME_ALIASES: ReadonlyArray<readonly [alias: string, name: string]> = [
  ['preferredGivenName', 'preferredFirstName'],
  ['preferredFamilyName', 'preferredLastName'],
];

/**
 * Finish a user: map 1.1 `role` + `orgs` (when there are no 1.2 `roles`), set `primaryOrg` from
 * the first 1.1 org, default `enabledUser` to `true`, and move CSV-style preferred-name aliases to
 * their REST names. Mutates and returns `user`, which must be an object the caller owns.
 *
 * Requirements checked (when `report` is given): at least one role, from `roles` or from
 * `role` + `orgs`, unless a projection left those fields out.
 */
export function finishUser(
  user: Obj,
  version: OneRosterVersion,
  projection: Projection,
  report?: IssueReporter,
): User {
  for (const [alias, name] of NAME_ALIASES) {
    const value = user[alias];
    if (typeof value === 'string' && user[name] === undefined) {
      user[name] = value;
      delete user[alias];
    }
  }
  const rolesExpected =
    requested(projection, 'roles') ||
    requested(projection, 'role') ||
    requested(projection, 'orgs');
  const { roles, role, orgs } = user;
  if (roles === undefined) {
    if (typeof role === 'string' && Array.isArray(orgs)) {
      if (orgs.length === 0 && report) report('orgs', 'must list at least one org');
      user.roles = rolesFromV1p1(role, orgs as Ref[]);
      const first = orgs[0] as Ref | undefined;
      // A copy, so that the primary org and the first role's org are not one shared object.
      if (user.primaryOrg === undefined && first !== undefined) user.primaryOrg = { ...first };
      delete user.role;
      delete user.orgs;
    } else if (rolesExpected && report) {
      if (version === '1.2') {
        report('roles', 'is required (or 1.1 role and orgs)');
      } else {
        if (role === undefined) report('role', 'is required (or 1.2 roles)');
        if (orgs === undefined) report('orgs', 'is required (or 1.2 roles)');
      }
    }
  } else if (Array.isArray(roles) && roles.length === 0 && rolesExpected && report) {
    report('roles', 'must list at least one role');
  }
  if (user.enabledUser === undefined && requested(projection, 'enabledUser')) {
    user.enabledUser = true;
  }
  return user as User;
}

/** Finish a 1.1 class: `terms` is optional in 1.1 and defaults to `[]`. */
export function finishClassV1p1(cls: Obj, projection: Projection): Class {
  if (cls.terms === undefined && requested(projection, 'terms')) cls.terms = [];
  return cls as Class;
}
