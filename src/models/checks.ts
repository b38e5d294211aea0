/**
 * The check schemas: what a wire record must satisfy, per kind, version and `fields` projection.
 * They only check (no transforms); the normaliser converts afterwards. Rules on top of the shapes
 * of `./shapes`:
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

/** A record-level rule: the predicate, and the path and message reported when it fails. */
export interface RecordRule {
  readonly path: string;
  readonly message: string;
  readonly valid: (record: Obj) => boolean;
  /**
   * The only fields `valid` reads: the whole-record parser may hand it a view holding just these
   * (see `./record-parser`).
   */
  readonly reads: readonly string[];
}

/** What the user role rules read. */
const ROLE_FIELDS = ['roles', 'role', 'orgs'] as const;

/**
 * The role requirements of users: at least one role, from 1.2 `roles` or from 1.1 `role` + `orgs`
 * (either form in either version), unless a projection left all of those fields out.
 */
export function userRoleRules(version: OneRosterVersion, projection: Projection): RecordRule[] {
  const expected =
    requested(projection, 'roles') ||
    requested(projection, 'role') ||
    requested(projection, 'orgs');
  if (!expected) return [];
  const presence: RecordRule[] =
    version === '1.2'
      ? [
          {
            path: 'roles',
            message: 'is required (or 1.1 role and orgs)',
            valid: (user) => hasRoles(user) || (user.role !== undefined && user.orgs !== undefined),
            reads: ROLE_FIELDS,
          },
        ]
      : [
          {
            path: 'role',
            message: 'is required (or 1.2 roles)',
            valid: (user) => hasRoles(user) || user.role !== undefined,
            reads: ROLE_FIELDS,
          },
          {
            path: 'orgs',
            message: 'is required (or 1.2 roles)',
            valid: (user) => hasRoles(user) || user.orgs !== undefined,
            reads: ROLE_FIELDS,
          },
        ];
  return [
    ...presence,
    {
      path: 'roles',
      message: 'must list at least one role',
      valid: (user) => !Array.isArray(user.roles) || user.roles.length > 0,
      reads: ROLE_FIELDS,
    },
    {
      path: 'orgs',
      message: 'must list at least one org',
      valid: (user) => hasRoles(user) || !Array.isArray(user.orgs) || user.orgs.length > 0,
      reads: ROLE_FIELDS,
    },
  ];
}

/** The record-level rules of a kind (only users have some). */
export function recordRules(
  kind: SyncResource,
  version: OneRosterVersion,
  projection: Projection,
): RecordRule[] {
  return kind === 'users' ? userRoleRules(version, projection) : [];
}

/** `object` with the record-level rules of `kind` as zod refinements. */
export function withRecordRules<T extends z.ZodObject>(
  object: T,
  kind: SyncResource,
  version: OneRosterVersion,
  projection: Projection,
): T {
  let checked = object;
  for (const rule of recordRules(kind, version, projection)) {
    checked = checked.refine(rule.valid, { path: [rule.path], error: rule.message }) as T;
  }
  return checked;
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
 * The detailed check schema of `kind` for `version` and `projection`: it reports every issue with
 * its path. (`parseRecord` decides validity with the fast path of `./fast-path`, which applies the
 * same rules, and uses this schema to explain a failure.)
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
  return withRecordRules(object, kind, version, projection);
}
