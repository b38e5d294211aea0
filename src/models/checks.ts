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
 * Each comes in two forms built from the same shapes: the detailed schema, which reports every
 * issue with its path, and the fast one, which only answers valid or not (see {@link fastLists}).
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

function isObjectSchema(schema: z.core.$ZodType): boolean {
  const type = schema._zod.def.type;
  return type === 'object' || type === 'pipe';
}

/** `field` with any list of objects in it checked by one predicate (see {@link fastLists}). */
function fastField(field: z.core.$ZodType): z.core.$ZodType {
  const def = field._zod.def;
  if (def.type === 'optional') {
    const inner = fastField((def as z.core.$ZodOptionalDef).innerType);
    if (inner === (def as z.core.$ZodOptionalDef).innerType) return field;
    return field instanceof z.ZodExactOptional
      ? (inner as z.ZodType).exactOptional()
      : (inner as z.ZodType).optional();
  }
  if (def.type !== 'array') return field;
  const element = (def as z.core.$ZodArrayDef).element;
  if (!isObjectSchema(element)) return field;
  const elementSchema =
    element._zod.def.type === 'object' ? fastLists(element as z.ZodObject) : element;
  // A minimum length (1.2 `terms`: at least one) is kept; a list with any other check is left to
  // zod, so that nothing is lost.
  let minimum = 0;
  for (const check of def.checks ?? []) {
    const checkDef = check._zod.def as { check: string; minimum?: unknown };
    if (checkDef.check !== 'min_length' || typeof checkDef.minimum !== 'number') return field;
    minimum = Math.max(minimum, checkDef.minimum);
  }
  const valid = compiled(elementSchema as z.ZodType);
  const isValid = (item: unknown) => valid.validate(item);
  return z.custom(
    (value) => Array.isArray(value) && value.length >= minimum && value.every(isValid),
  );
}

/**
 * A copy of `object` for the fast validator: every list of objects (roles, user ids, references)
 * is checked by one predicate that runs the element's compiled validator on each item. zod's
 * compiled validator builds a copy of every object inside an array even when it only validates;
 * this does not. It accepts exactly what `object` accepts (the element schemas are the same), but
 * reports only that the list is invalid: parseRecord explains failures with the detailed schema.
 */
export function fastLists(object: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.core.$ZodType> = {};
  let changed = false;
  for (const [key, field] of Object.entries(object.shape as Record<string, z.core.$ZodType>)) {
    shape[key] = fastField(field);
    if (shape[key] !== field) changed = true;
  }
  return changed ? z.looseObject(shape) : object;
}

/**
 * `schema` compiled with `z.compile`: zod's ahead-of-time validator answers valid input without
 * allocating. Not when zod runs jitless (`z.config({ jitless: true })`, for environments that
 * forbid `new Function`).
 */
export function compiled<T extends z.ZodType>(schema: T): T {
  return z.config().jitless ? schema : z.compile(schema);
}

/**
 * The check schema of `kind` for `version` and `projection`: `detailed` reports every issue with
 * its path; `fast` only decides (see {@link fastLists}).
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
  form: 'detailed' | 'fast' = 'detailed',
): z.ZodObject {
  const base = objectSchema(kind, version);
  const projected = projection === undefined ? base : projectObject(base, projection);
  const object = form === 'fast' ? fastLists(projected) : projected;
  return kind === 'users' ? withUserRoleChecks(object, version, projection) : object;
}
