/**
 * The check schemas `parseRecord` uses, one pair per kind, version and `fields` projection, built
 * on first use: the fast compiled validator for the common valid record, and the detailed schema
 * that explains an invalid one.
 *
 * @module
 */
import type * as z from 'zod';
import { checkSchema, compiled, planFor } from './checks';
import type { Projection } from './normalize';
import type { ObjectPlan } from './plan';
import type { OneRosterVersion, SyncResource } from './types';

/** What `parseRecord` needs for one kind, version and projection. */
export interface Checker {
  /** Decides whether a record is valid (compiled unless zod is jitless). */
  readonly fast: z.ZodType;
  /** Reports the issues of an invalid record, with paths. */
  readonly detailed: z.ZodType;
  /** The field plan of the kind's full wire shape. */
  readonly plan: ObjectPlan;
  readonly projection: Projection;
}

function build(kind: SyncResource, version: OneRosterVersion, projection: Projection): Checker {
  return {
    fast: compiled(checkSchema(kind, version, projection, 'fast')),
    detailed: checkSchema(kind, version, projection, 'detailed'),
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
 * checkerFor('users', '1.2', ['sourcedId', 'givenName']).fast.validate(json);
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
