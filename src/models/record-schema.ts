/**
 * The exported per-version record schemas (`v1p1.userSchema`, `v1p2.orgSchema`, ...): for users
 * who want plain zod schemas. Each does what `parseRecord` does, minus the raw-record link:
 * remove `null`s, check, normalise.
 *
 * @module
 */
import * as z from 'zod';
import { withRecordRules } from './checks';
import { cleanRecord, isObject } from './clean';
import { normalizeRecord } from './normalize';
import { planOf } from './plan';
import type { OneRosterVersion, RecordTypes, SyncResource } from './types';

/**
 * A zod schema that parses a wire record of `kind` (checked by `object`) into its normalised type.
 *
 * @example
 * ```ts
 * const orgSchema = recordSchema('orgs', '1.2', orgObject);
 * orgSchema.parse(json.org).type; // 'school'
 * ```
 */
export function recordSchema<K extends SyncResource>(
  kind: K,
  version: OneRosterVersion,
  object: z.ZodObject,
): z.ZodType<RecordTypes[K], unknown> {
  const plan = planOf(object);
  const checked = withRecordRules(object, kind, version, undefined);
  return z
    .preprocess((value) => (isObject(value) ? cleanRecord(value, plan) : value), checked)
    .transform((value) => normalizeRecord(kind, version, value, plan, undefined));
}
