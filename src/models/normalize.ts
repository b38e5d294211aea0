/**
 * Normalisation: a checked wire record to the shape of `./types`. Field conversion (`./convert`)
 * then the version mapping (1.1 `role` + `orgs` -> `roles[]`, defaults, CSV-style aliases). Also
 * the reverse mapping used to render 1.1 wire users.
 *
 * The same code runs after validation (`strict`, `lenient`, the exported zod schemas) and without
 * it (`off`), where it must cope with any input without throwing.
 *
 * @module
 */
import { convertRecord } from './convert';
import type { ObjectPlan } from './plan';
import type { OneRosterVersion, RecordTypes, Ref, SyncResource, User, UserRole } from './types';

/** The fields a `fields` projection asked for; `undefined` means the whole record. */
export type Projection = ReadonlySet<string> | undefined;

type Obj = Record<string, unknown>;

/** Whether `field` is expected in a record returned for `projection`. */
export function requested(projection: Projection, field: string): boolean {
  return projection === undefined || projection.has(field);
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
  // This runs for every user of 1.1 pulls, nearly always with one org: a literal allocates an
  // array of exactly one element (`push` onto `[]` reserves room for 17).
  const first = orgs[0];
  if (orgs.length === 1 && first !== undefined) return [{ roleType: 'primary', role, org: first }];
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

/** The alias field names that {@link finishUserFields} moves to their REST names. */
export const USER_NAME_ALIASES: readonly string[] = NAME_ALIASES.map(([alias]) => alias);

/**
 * Finish a user: map 1.1 `role` + `orgs` when there are no 1.2 `roles` (the checks guarantee one
 * or the other), set `primaryOrg` from the first 1.1 org, default `enabledUser` to `true` (1.1
 * makes it optional; 1.2 requires it, but a missing flag is no reason to drop a user), and move
 * CSV-style preferred-name aliases to their REST names. `user` is an object the caller owns; the
 * result is `user` or, when fields had to be removed, a copy without them (removing keys with
 * `delete` would leave the object in V8's slow dictionary mode for every later access).
 */
function finishUser(user: Obj, projection: Projection): Obj {
  let out = user;
  const { role, orgs } = user;
  if (user.roles === undefined && typeof role === 'string' && Array.isArray(orgs)) {
    out = copyWithout(user, 'role', 'orgs');
    addV1p1Roles(out, role, orgs as Ref[]);
  }
  return finishUserFields(out, projection);
}

/**
 * The 1.1 mapping of {@link finishUser} for a user the caller built without `role` and `orgs`
 * (the whole-record parser leaves them out while copying instead of copying twice): appends
 * `roles`, and `primaryOrg` (a copy of the first org) when absent. Modifies `user`.
 */
export function addV1p1Roles(user: Obj, role: string, orgs: readonly Ref[]): void {
  user.roles = rolesFromV1p1(role, orgs);
  const first = orgs[0];
  // A copy, so that the primary org and the first role's org are not one shared object.
  if (user.primaryOrg === undefined && typeof first === 'object' && first !== null) {
    user.primaryOrg = { ...first };
  }
}

/**
 * The rest of {@link finishUser}, after the 1.1 mapping: preferred-name aliases and the
 * `enabledUser` default. `user` is an object the caller owns; the result is it or a copy.
 */
export function finishUserFields(user: Obj, projection: Projection): Obj {
  const out =
    'preferredGivenName' in user || 'preferredFamilyName' in user ? moveAliases(user) : user;
  return defaultEnabledUser(out, projection);
}

/**
 * The last step of {@link finishUserFields}: `enabledUser` is `true` when absent (and requested).
 * Modifies and returns `user`.
 */
export function defaultEnabledUser(user: Obj, projection: Projection): Obj {
  if (user.enabledUser === undefined && requested(projection, 'enabledUser'))
    user.enabledUser = true;
  return user;
}

function moveAliases(user: Obj): Obj {
  let out = user;
  for (const [alias, name] of NAME_ALIASES) {
    const value = out[alias];
    if (typeof value === 'string' && out[name] === undefined) {
      out = copyWithout(out, alias);
      out[name] = value;
    }
  }
  return out;
}

/**
 * A copy of `record` without the keys `a` and `b` (a for-in copy: faster in V8 than rest
 * destructuring). An own `__proto__` key stays a plain field instead of setting the prototype.
 */
function copyWithout(record: Obj, a: string, b?: string): Obj {
  const out: Obj = {};
  for (const key in record) {
    if (key === a || key === b) continue;
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: record[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = record[key];
    }
  }
  return out;
}

/** Finish a 1.1 class: `terms` is optional in 1.1 and defaults to `[]`. */
function finishClassV1p1(cls: Obj, projection: Projection): void {
  if (cls.terms === undefined && requested(projection, 'terms')) cls.terms = [];
}

/**
 * The version mapping of an already converted record (see the functions above). `record` is an
 * object the caller owns; the result is it or a copy.
 */
export function finishRecord<K extends SyncResource>(
  kind: K,
  version: OneRosterVersion,
  record: Obj,
  projection: Projection,
): RecordTypes[K] {
  if (kind === 'users') return finishUser(record, projection) as RecordTypes[K];
  if (kind === 'classes' && version === '1.1') finishClassV1p1(record, projection);
  return record as RecordTypes[K];
}

/**
 * Normalise a wire record of `kind` (already cleaned of `null`s; see `./clean`): convert its
 * fields and apply the version mapping. Returns a new top-level object; nested objects that need
 * no change are shared with `record`, which is never modified.
 *
 * @example
 * ```ts
 * normalizeRecord('users', '1.1', wireUser, planFor('users', '1.1'), undefined).roles;
 * ```
 */
export function normalizeRecord<K extends SyncResource>(
  kind: K,
  version: OneRosterVersion,
  record: Obj,
  plan: ObjectPlan,
  projection: Projection,
): RecordTypes[K] {
  return finishRecord(kind, version, convertRecord(record, plan), projection);
}
