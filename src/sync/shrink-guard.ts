/**
 * The shrink guard: refuse a full run that would delete a suspicious share of a resource. A
 * district that switches off data sharing for a school, or a provider that answers with an
 * empty page during an outage, looks exactly like "everyone left"; applying it would unenrol a
 * school's students until someone notices (field-lessons §1.3).
 *
 * @module
 */
import type { SyncResource } from '../models/types';
import type { ChangeCounts } from '../storage/types';
import type { ShrinkGuardOptions } from './options';

/** Why one resource was refused. */
export interface ShrinkViolation {
  resource: SyncResource;
  before: number;
  deleted: number;
  /** The pull returned no record at all. */
  empty: boolean;
}

/**
 * The resources of a full run's plan that the guard refuses, for the resources that are swept.
 *
 * @example
 * ```ts
 * const violations = shrinkViolations(plan, ['users'], { users: 0 }, { maxDeleteShare: 0.5, minRecords: 10 });
 * ```
 */
export function shrinkViolations(
  plan: Partial<Record<SyncResource, ChangeCounts>>,
  swept: readonly SyncResource[],
  fetched: Partial<Record<SyncResource, number>>,
  guard: Required<ShrinkGuardOptions>,
): ShrinkViolation[] {
  const violations: ShrinkViolation[] = [];
  for (const resource of swept) {
    const counts = plan[resource];
    if (!counts || counts.before === 0 || counts.deleted === 0) continue;
    const empty = (fetched[resource] ?? 0) === 0;
    const share = counts.deleted / counts.before;
    if (empty || (counts.before >= guard.minRecords && share > guard.maxDeleteShare)) {
      violations.push({ resource, before: counts.before, deleted: counts.deleted, empty });
    }
  }
  return violations;
}

/**
 * One sentence for the report's `reason`, naming each resource and its numbers.
 *
 * @example
 * ```ts
 * describeViolations([{ resource: 'users', before: 10, deleted: 6, empty: false }], 0.5);
 * // 'Refused by the shrink guard: users would lose 6 of 10 stored records (60%, limit 50%). …'
 * ```
 */
export function describeViolations(
  violations: readonly ShrinkViolation[],
  maxShare: number,
): string {
  const parts = violations.map(({ resource, before, deleted, empty }) =>
    empty
      ? `${resource} came back empty while ${before} records are stored`
      : `${resource} would lose ${deleted} of ${before} stored records ` +
        `(${Math.round((deleted / before) * 100)}%, limit ${Math.round(maxShare * 100)}%)`,
  );
  return (
    `Refused by the shrink guard: ${parts.join('; ')}. Nothing was changed; check the ` +
    "district's data sharing, then run again with force: true to apply"
  );
}
