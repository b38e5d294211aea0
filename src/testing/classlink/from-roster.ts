/**
 * Build mock ClassLink accounts from roster users, so the people who sign in at the mock are
 * the people a sync stored (`LoginId` = `username`, `SourcedId` = `sourcedId`), as ClassLink
 * requires of districts.
 *
 * @module
 */
import type { User } from '../../models/types';
import type { MockClassLinkUser } from './types';

const ADMIN_ROLES = new Set([
  'administrator',
  'districtAdministrator',
  'siteAdministrator',
  'systemAdministrator',
  'principal',
]);

/** ClassLink's capitalised role name for a OneRoster role. */
function classLinkRole(role: string | undefined): string {
  if (role === undefined || role === 'student') return 'Student';
  if (ADMIN_ROLES.has(role)) return 'Tenant Administrator';
  if (role === 'guardian' || role === 'parent' || role === 'relative') return 'Parent';
  // Graider saw ClassLink collapse all other staff to Teacher.
  return 'Teacher';
}

/**
 * Mock ClassLink users for roster users of one tenant. Users without a `username` sign in with
 * their sourcedId.
 *
 * @example
 * ```ts
 * const users = classLinkUsersFromRoster(district.users, { tenantId: 2 });
 * const mock = createMockClassLink({ tenants: [{ tenantId: 2, name: 'Demo' }], users });
 * ```
 */
export function classLinkUsersFromRoster(
  users: Iterable<User>,
  options: { tenantId: number; omitSourcedId?: boolean },
): MockClassLinkUser[] {
  const result: MockClassLinkUser[] = [];
  for (const user of users) {
    const primary = user.roles.find((role) => role.roleType === 'primary') ?? user.roles[0];
    const account: MockClassLinkUser = {
      loginId: user.username ?? user.sourcedId,
      tenantId: options.tenantId,
      firstName: user.givenName,
      lastName: user.familyName,
      role: classLinkRole(primary?.role),
      orgIds: [...new Set(user.roles.map((role) => role.org.sourcedId))],
    };
    if (!options.omitSourcedId) account.sourcedId = user.sourcedId;
    if (user.email !== undefined) account.email = user.email;
    result.push(account);
  }
  return result;
}
