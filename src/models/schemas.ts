/**
 * What `parseRecord` uses per kind, version and `fields` projection, built on first use: the fast
 * path for the common valid record, and the detailed zod schema that explains an invalid one.
 *
 * @module
 */
import type * as z from 'zod';
import { checkSchema, planFor } from './checks';
import { type FastParse, fastParser } from './fast-path';
import type { Projection } from './normalize';
import type { ObjectPlan } from './plan';
import { type RecordParse, recordParser } from './record-parser';
import type { OneRosterVersion, SyncResource } from './types';

/** What `parseRecord` needs for one kind, version and projection. */
export interface Checker {
  /** Checks and converts a record in one pass (see `./fast-path`). */
  readonly fast: FastParse;
  /**
   * The common case in one go: a valid record without nulls, normalised, or `undefined` to take
   * the general path (see `./record-parser`). Absent where code may not be generated.
   */
  readonly whole: RecordParse | undefined;
  /** Reports the issues of an invalid record, with paths. */
  readonly detailed: z.ZodType;
  /** The field plan of the kind's full wire shape. */
  readonly plan: ObjectPlan;
  readonly projection: Projection;
}

function build(kind: SyncResource, version: OneRosterVersion, projection: Projection): Checker {
  const plan = planFor(kind, version);
  return {
    fast: fastParser(kind, version, plan, projection),
    whole: recordParser(kind, version, plan, projection),
    detailed: checkSchema(kind, version, projection),
    plan,
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
 * checkerFor('users', '1.2', ['sourcedId', 'givenName']).detailed.safeParse(json);
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
