/**
 * `fields` projections across versions: callers name the normalised fields (`roles`,
 * `primaryOrg`), but a OneRoster 1.1 server only knows its own wire names for them (`role` and
 * `orgs`), which normalisation maps to `roles` and `primaryOrg` (see `./normalize`).
 *
 * @module
 */
import type { OneRosterVersion, SyncResource } from './types';

/** 1.1 user fields that carry what the normalised user has in `roles` and `primaryOrg`. */
const V1P1_USER_ROLE_FIELDS: readonly string[] = ['role', 'orgs'];

/** Normalised user fields that 1.1 servers send as {@link V1P1_USER_ROLE_FIELDS}. */
const NORMALISED_ROLE_FIELDS: ReadonlySet<string> = new Set(['roles', 'primaryOrg']);

/**
 * The field names to send for a projection that names normalised fields: on 1.1, `roles` and
 * `primaryOrg` of users become `role` and `orgs` (both are needed: the normalised roles are built
 * from the one role and every org, and the primary org is the first org). Other names, and every
 * name on 1.2, are sent as they are. Order is kept and no name is sent twice.
 *
 * @example
 * ```ts
 * wireFields('users', '1.1', ['sourcedId', 'roles']); // ['sourcedId', 'role', 'orgs']
 * wireFields('users', '1.2', ['sourcedId', 'roles']); // ['sourcedId', 'roles']
 * ```
 */
export function wireFields(
  kind: SyncResource,
  version: OneRosterVersion,
  fields: readonly string[],
): string[] {
  if (kind !== 'users' || version !== '1.1') return [...fields];
  const out = new Set<string>();
  for (const field of fields) {
    if (NORMALISED_ROLE_FIELDS.has(field)) for (const wire of V1P1_USER_ROLE_FIELDS) out.add(wire);
    else out.add(field);
  }
  return [...out];
}
