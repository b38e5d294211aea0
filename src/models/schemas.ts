/**
 * The schema `parseRecord` uses for a kind, version and `fields` projection: the exported schema
 * of `./v1p1` or `./v1p2`, or for a projection a variant in which the fields that were not asked
 * for are optional. Each is compiled with `z.compile` on first use (zod's ahead-of-time fast path
 * for valid input; invalid input falls back to the regular parser, so issues are identical), unless
 * zod runs jitless (`z.config({ jitless: true })`, for environments without `new Function`).
 *
 * @module
 */
import * as z from 'zod';
import {
  finishClassV1p1,
  finishUser,
  type IssueReporter,
  type Projection,
  zodReporter,
} from './normalize';
import { type ObjectPlan, planOf } from './plan';
import { objectSchema } from './shapes';
import type { OneRosterVersion, SyncResource } from './types';
import * as v1p1 from './v1p1';
import * as v1p2 from './v1p2';

type Kind = SyncResource;

/** The exported schema of every kind, per version. */
export const SCHEMAS: Record<OneRosterVersion, Record<Kind, z.ZodType>> = {
  '1.1': {
    orgs: v1p1.orgSchema,
    academicSessions: v1p1.academicSessionSchema,
    courses: v1p1.courseSchema,
    classes: v1p1.classSchema,
    users: v1p1.userSchema,
    enrollments: v1p1.enrollmentSchema,
    demographics: v1p1.demographicsSchema,
  },
  '1.2': {
    orgs: v1p2.orgSchema,
    academicSessions: v1p2.academicSessionSchema,
    courses: v1p2.courseSchema,
    classes: v1p2.classSchema,
    users: v1p2.userSchema,
    enrollments: v1p2.enrollmentSchema,
    demographics: v1p2.demographicsSchema,
  },
};

type Finisher = (
  value: Record<string, unknown>,
  version: OneRosterVersion,
  projection: Projection,
  report: IssueReporter | undefined,
) => unknown;

/** The finishing step of a kind (see `./normalize`), if it has one in this version. */
export function finisherOf(kind: Kind, version: OneRosterVersion): Finisher | undefined {
  if (kind === 'users') return finishUser;
  if (kind === 'classes' && version === '1.1') {
    return (value, _version, projection) => finishClassV1p1(value, projection);
  }
  return undefined;
}

/** The field plan of a kind's wire shape. */
export function planFor(kind: Kind, version: OneRosterVersion): ObjectPlan {
  return planOf(objectSchema(kind, version));
}

function projected(kind: Kind, version: OneRosterVersion, projection: ReadonlySet<string>) {
  const object = objectSchema(kind, version);
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(object.shape as Record<string, z.ZodType>)) {
    const optional = field.def.type === 'optional' || field.def.type === 'default';
    shape[key] = optional || projection.has(key) ? field : field.exactOptional();
  }
  const variant = z.looseObject(shape);
  const finish = finisherOf(kind, version);
  if (finish === undefined) return variant;
  return variant.transform((value, ctx) => finish(value, version, projection, zodReporter(ctx)));
}

function compiled<T extends z.ZodType>(schema: T): T {
  return z.config().jitless ? schema : z.compile(schema);
}

// Full-record parsers: at most 14. Projection parsers: one per distinct `fields` list, bounded
// because the lists come from callers.
const full = new Map<string, z.ZodType>();
const projections = new Map<string, z.ZodType>();
const MAX_PROJECTIONS = 200;

/**
 * The (compiled) schema that parses records of `kind` for `version` and projection `fields`.
 *
 * @example
 * ```ts
 * parserFor('users', '1.2', ['sourcedId', 'givenName']).safeParse(json);
 * ```
 */
export function parserFor(
  kind: Kind,
  version: OneRosterVersion,
  fields: readonly string[] | undefined,
): z.ZodType {
  if (fields === undefined) {
    const key = `${version}:${kind}`;
    let parser = full.get(key);
    if (parser === undefined) {
      parser = compiled(SCHEMAS[version][kind]);
      full.set(key, parser);
    }
    return parser;
  }
  const key = `${version}:${kind}:${fields.join(',')}`;
  let parser = projections.get(key);
  if (parser === undefined) {
    if (projections.size >= MAX_PROJECTIONS) {
      const oldest = projections.keys().next().value;
      if (oldest !== undefined) projections.delete(oldest);
    }
    parser = compiled(projected(kind, version, new Set(fields)));
    projections.set(key, parser);
  }
  return parser;
}
