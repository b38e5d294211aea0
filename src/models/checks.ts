/**
 * The check schemas: what a wire record must satisfy, per kind, version and `fields` projection.
 * They only check (no transforms), so zod's compiled validator runs them without allocating; the
 * normaliser converts afterwards. Rules on top of the shapes of `./shapes`:
 *
 * - Users need at least one role: 1.2 `roles`, or 1.1 `role` + `orgs` (either form is accepted in
 *   both versions: ClassLink serves 1.2-shaped users on `/v1p1`).
 * - A projection makes every field that was not asked for optional (the server sends only the
 *   requested ones); requested fields keep their rules, so `sourcedId` is required only if asked.
 *
 * @module
 */
import * as z from 'zod';
import { type Projection, requested } from './normalize';
import { type ObjectPlan, planOf } from './plan';
import { objectSchema } from './shapes';
import type { OneRosterVersion, SyncResource } from './types';

type Obj = Record<string, unknown>;

/** The field plan of a kind's wire shape in a version. */
export function planFor(kind: SyncResource, version: OneRosterVersion): ObjectPlan {
  return planOf(objectSchema(kind, version));
}

const hasRoles = (user: Obj) => user.roles !== undefined;

/**
 * Add the role requirements to a user object schema. Plain predicates with fixed paths (`refine`),
 * so the compiled validator calls them without allocating.
 */
export function withUserRoleChecks<T extends z.ZodObject>(
  object: T,
  version: OneRosterVersion,
  projection: Projection,
): T {
  const expected =
    requested(projection, 'roles') ||
    requested(projection, 'role') ||
    requested(projection, 'orgs');
  if (!expected) return object;
  const checked =
    version === '1.2'
      ? object.refine(
          (user: Obj) => hasRoles(user) || (user.role !== undefined && user.orgs !== undefined),
          { path: ['roles'], error: 'is required (or 1.1 role and orgs)' },
        )
      : object
          .refine((user: Obj) => hasRoles(user) || user.role !== undefined, {
            path: ['role'],
            error: 'is required (or 1.2 roles)',
          })
          .refine((user: Obj) => hasRoles(user) || user.orgs !== undefined, {
            path: ['orgs'],
            error: 'is required (or 1.2 roles)',
          });
  return checked
    .refine((user: Obj) => !Array.isArray(user.roles) || user.roles.length > 0, {
      path: ['roles'],
      error: 'must list at least one role',
    })
    .refine((user: Obj) => hasRoles(user) || !Array.isArray(user.orgs) || user.orgs.length > 0, {
      path: ['orgs'],
      error: 'must list at least one org',
    }) as T;
}

/** `object` with every field that `projection` does not name made optional. */
function projectObject(object: z.ZodObject, projection: ReadonlySet<string>): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    const optional = field.def.type === 'optional' || field.def.type === 'default';
    shape[key] = optional || projection.has(key) ? field : field.exactOptional();
  }
  return z.looseObject(shape);
}

/**
 * The check schema of `kind` for `version` and `projection`.
 *
 * @example
 * ```ts
 * checkSchema('users', '1.2', new Set(['sourcedId', 'givenName'])).safeParse(json).success;
 * ```
 */
export function checkSchema(
  kind: SyncResource,
  version: OneRosterVersion,
  projection: Projection,
): z.ZodObject {
  const base = objectSchema(kind, version);
  const object = projection === undefined ? base : projectObject(base, projection);
  return kind === 'users' ? withUserRoleChecks(object, version, projection) : object;
}
