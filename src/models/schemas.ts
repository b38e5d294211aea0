/**
 * The compiled check schemas `parseRecord` uses, one per kind, version and `fields` projection.
 * Each is compiled with `z.compile` on first use: zod's ahead-of-time validator answers valid
 * input without building anything, and invalid input falls back to the regular parser, so issues
 * are identical. Skipped when zod runs jitless (`z.config({ jitless: true })`, for environments
 * that forbid `new Function`).
 *
 * @module
 */
import * as z from 'zod';
import { checkSchema, planFor } from './checks';
import type { Projection } from './normalize';
import type { ObjectPlan } from './plan';
import type { OneRosterVersion, SyncResource } from './types';

/** What `parseRecord` needs for one kind, version and projection. */
export interface Checker {
  /** The check schema (compiled unless zod is jitless). */
  readonly schema: z.ZodType;
  /** The field plan of the kind's full wire shape. */
  readonly plan: ObjectPlan;
  readonly projection: Projection;
}

function build(kind: SyncResource, version: OneRosterVersion, projection: Projection): Checker {
  const schema = checkSchema(kind, version, projection);
  return {
    schema: z.config().jitless ? schema : z.compile(schema),
    plan: planFor(kind, version),
    projection,
  };
}

// Full-record checkers: at most 14, looked up without building a key (this runs per record).
const full: Record<OneRosterVersion, Partial<Record<SyncResource, Checker>>> = {
  '1.1': {},
  '1.2': {},
};
// Projection checkers: one per distinct `fields` list, bounded because the lists come from
// callers.
const projected = new Map<string, Checker>();
const MAX_PROJECTIONS = 200;

function projectedChecker(
  kind: SyncResource,
  version: OneRosterVersion,
  fields: readonly string[],
): Checker {
  const key = `${version}:${kind}:${fields.join(',')}`;
  let checker = projected.get(key);
  if (checker === undefined) {
    if (projected.size >= MAX_PROJECTIONS) {
      const oldest = projected.keys().next().value;
      if (oldest !== undefined) projected.delete(oldest);
    }
    checker = build(kind, version, new Set(fields));
    projected.set(key, checker);
  }
  return checker;
}

/**
 * The checker for records of `kind` in `version`, returned with projection `fields`.
 *
 * @example
 * ```ts
 * checkerFor('users', '1.2', ['sourcedId', 'givenName']).schema.validate(json);
 * ```
 */
export function checkerFor(
  kind: SyncResource,
  version: OneRosterVersion,
  fields: readonly string[] | undefined,
): Checker {
  if (fields === undefined) {
    const byKind = full[version];
    let checker = byKind[kind];
    if (checker === undefined) {
      checker = build(kind, version, undefined);
      byKind[kind] = checker;
    }
    return checker;
  }
  return projectedChecker(kind, version, fields);
}
