/**
 * Links a ClassLink login to the synced roster so a service learns, at login, who the person is
 * in the district's roster: roles, schools and classes.
 *
 * @module
 */
import type { Class, Enrollment, EnrollmentRole, Org, User, UserRole } from '../models/types';
import type { StorageAdapter } from '../storage/types';
import type { RosterKey } from './create-sso';

/** How the roster user was found. */
export type RosterMatchMethod = 'sourcedId' | 'loginId' | 'email';

/** Options of {@link findRosterUser}. */
export interface FindRosterUserOptions {
  /**
   * Matches tried, in order, when `(tenantId, sourcedId)` finds nobody (the district has no
   * OneRoster sourcedId in SSO, or ClassLink still sends an old one after a SIS change):
   * - `loginId`: ClassLink `LoginId` equals the roster `username` (ClassLink requires districts
   *   to make them equal), compared case-insensitively;
   * - `email`: only when listed here, because a district may put any address in `email`.
   *
   * A fallback only matches when exactly one live user has the value; two users sharing a
   * username or email are never guessed between.
   * @default ['loginId']
   */
  fallbacks?: readonly ('loginId' | 'email')[];
  /**
   * The storage tenant holding this district's roster. A string, or a function from the
   * ClassLink tenant id (return `undefined` for unknown districts).
   * @default the ClassLink tenant id itself
   */
  tenantId?: string | ((classLinkTenantId: string) => string | undefined);
  /** Also load the user's classes from stored enrollments. @default true */
  includeClasses?: boolean;
}

/** One class the user is enrolled in. */
export interface RosterClassMembership {
  class: Class;
  /** The enrollment role: `student`, `teacher`, `aide`, ... */
  role: EnrollmentRole;
  primary?: boolean;
  /** The enrollment record. */
  enrollment: Enrollment;
}

/** Result of {@link findRosterUser}. */
export interface RosterUserMatch {
  /** Which key found the user; anything but `sourcedId` is worth a log line. */
  matchedBy: RosterMatchMethod;
  /** The storage tenant searched. */
  tenantId: string;
  user: User;
  /** The user's roles (1.1's `role` + `orgs` are already normalised into these). */
  roles: UserRole[];
  /** The role of the primary entry (or the first one), e.g. `teacher`. */
  primaryRole: string | undefined;
  /** Orgs the user has a role at, as stored (missing ones are skipped). */
  orgs: Org[];
  /** The subset of `orgs` (plus the schools of their classes) that are schools. */
  schools: Org[];
  /** Active enrollments with their classes; empty when `includeClasses` is off. */
  classes: RosterClassMembership[];
}

function fold(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Find the synced roster user for a ClassLink login and load their roles, schools and classes.
 * Returns `null` when nobody matches (an unknown user: ClassLink suggests auto-provisioning or a
 * "contact your district" page).
 *
 * Matching: `(tenantId, sourcedId)` first; then the `fallbacks` in order. The storage read API
 * has no secondary indexes, so a fallback and the class lookup each scan the tenant's users or
 * enrollments once; cache the result in the session rather than calling this per request.
 *
 * @example
 * ```ts
 * import { createClassLinkSso, findRosterUser } from '@smartpass/oneroster/sso';
 *
 * const login = await sso.handleCallback(url, pending);
 * const match = await findRosterUser(storage, login.rosterKey, { fallbacks: ['loginId'] });
 * if (!match) return showUnknownUser();
 * console.log(match.matchedBy, match.primaryRole, match.schools.map((s) => s.name));
 * ```
 */
export async function findRosterUser(
  storage: Pick<StorageAdapter, 'get' | 'list'>,
  rosterKey: RosterKey,
  options: FindRosterUserOptions = {},
): Promise<RosterUserMatch | null> {
  const tenantId =
    typeof options.tenantId === 'function'
      ? options.tenantId(rosterKey.tenantId)
      : (options.tenantId ?? rosterKey.tenantId);
  if (tenantId === undefined) return null;
  const read = { tenantId };

  let found: { user: User; matchedBy: RosterMatchMethod } | undefined;
  if (rosterKey.sourcedId) {
    const stored = await storage.get('users', rosterKey.sourcedId, read);
    if (stored) found = { user: stored.data, matchedBy: 'sourcedId' };
  }
  const fallbacks = (options.fallbacks ?? ['loginId']).filter(
    (method) => (method === 'loginId' ? rosterKey.loginId : rosterKey.email) !== undefined,
  );
  if (!found && fallbacks.length > 0) {
    found = await matchByFallback(storage, tenantId, rosterKey, fallbacks);
  }
  if (!found) return null;

  const { user, matchedBy } = found;
  const roles = user.roles ?? [];
  const primary = roles.find((role) => role.roleType === 'primary') ?? roles[0];
  const orgIds = new Set(roles.map((role) => role.org.sourcedId));
  const classes =
    options.includeClasses === false ? [] : await loadClasses(storage, tenantId, user.sourcedId);
  const schoolIds = new Set(classes.map((membership) => membership.class.school.sourcedId));

  const orgs: Org[] = [];
  const schools: Org[] = [];
  for (const id of new Set([...orgIds, ...schoolIds])) {
    const org = (await storage.get('orgs', id, read))?.data;
    if (!org) continue;
    if (orgIds.has(id)) orgs.push(org);
    if (org.type === 'school') schools.push(org);
  }
  return {
    matchedBy,
    tenantId,
    user,
    roles,
    primaryRole: primary?.role,
    orgs,
    schools,
    classes,
  };
}

async function matchByFallback(
  storage: Pick<StorageAdapter, 'list'>,
  tenantId: string,
  key: RosterKey,
  fallbacks: readonly ('loginId' | 'email')[],
): Promise<{ user: User; matchedBy: RosterMatchMethod } | undefined> {
  const wanted = {
    loginId: key.loginId === undefined ? undefined : fold(key.loginId),
    email: key.email === undefined ? undefined : fold(key.email),
  };
  // One scan collects candidates for every fallback; `null` marks an ambiguous value.
  const hits: Record<'loginId' | 'email', User | null | undefined> = {
    loginId: undefined,
    email: undefined,
  };
  const note = (method: 'loginId' | 'email', user: User): void => {
    hits[method] = hits[method] === undefined ? user : null;
  };
  for await (const record of storage.list('users', { tenantId })) {
    const user = record.data;
    if (
      fallbacks.includes('loginId') &&
      user.username !== undefined &&
      fold(user.username) === wanted.loginId
    ) {
      note('loginId', user);
    }
    if (
      fallbacks.includes('email') &&
      user.email !== undefined &&
      fold(user.email) === wanted.email
    ) {
      note('email', user);
    }
  }
  for (const method of fallbacks) {
    const user = hits[method];
    if (user) return { user, matchedBy: method };
  }
  return undefined;
}

async function loadClasses(
  storage: Pick<StorageAdapter, 'get' | 'list'>,
  tenantId: string,
  userSourcedId: string,
): Promise<RosterClassMembership[]> {
  const enrollments: Enrollment[] = [];
  for await (const record of storage.list('enrollments', { tenantId })) {
    const enrollment = record.data;
    if (enrollment.user.sourcedId === userSourcedId && enrollment.status === 'active') {
      enrollments.push(enrollment);
    }
  }
  const memberships: RosterClassMembership[] = [];
  for (const enrollment of enrollments) {
    const stored = await storage.get('classes', enrollment.class.sourcedId, { tenantId });
    if (!stored) continue;
    memberships.push({
      class: stored.data,
      role: enrollment.role,
      ...(enrollment.primary === undefined ? {} : { primary: enrollment.primary }),
      enrollment,
    });
  }
  return memberships;
}
