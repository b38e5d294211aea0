/**
 * Assembly of {@link ChangeCounts} from the three aggregate queries both SQL adapters run per
 * resource: the staged rows compared with the stored ones, the live rows a sweep would
 * tombstone, and the live rows before the run.
 *
 * @module
 */
import type { ChangeCounts } from '../types';

/** The staged-versus-stored aggregate, as a driver returns it (pg returns bigint as text). */
export interface StagedCountsRow {
  created: unknown;
  updated: unknown;
  unchanged: unknown;
  deleted: unknown;
}

/** A SQL count or sum as a number (`SUM` over no rows is `NULL`; pg returns `bigint` as text). */
export function toCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new TypeError(`expected a row count, got ${typeof value}`);
  }
  return count;
}

/** Combine one resource's aggregates. `swept` is 0 for a resource that is not swept. */
export function toChangeCounts(
  staged: StagedCountsRow | undefined,
  swept: unknown,
  before: unknown,
): ChangeCounts {
  return {
    created: toCount(staged?.created),
    updated: toCount(staged?.updated),
    deleted: toCount(staged?.deleted) + toCount(swept),
    unchanged: toCount(staged?.unchanged),
    before: toCount(before),
  };
}

/**
 * Whether a run may commit, from the adapter's lock bookkeeping (checked inside the commit
 * transaction).
 */
export type CommitCheck =
  | { ok: false; reason: string }
  | {
      ok: true;
      /**
       * This process holds the tenant's lock for the run. Then no other writer can have changed
       * the tenant's records since `plan()`, and its counts can be reused instead of counted again.
       */
      lockHeld: boolean;
    };

/**
 * Counts remembered from `plan()`, reused by `commit()` when they cannot have gone stale: the
 * run holds the tenant lock, nothing was staged since, and the commit asks the same scope.
 */
export class PlannedCounts<C> {
  #planned: { key: string; counts: C } | null = null;

  /** Remember what `plan()` returned for `key`. */
  remember(key: string, counts: C): void {
    this.#planned = { key, counts: structuredClone(counts) };
  }

  /** Staging changed: forget. */
  forget(): void {
    this.#planned = null;
  }

  /** The remembered counts for `key` if `check` allows reuse, else `undefined`. */
  reusable(key: string, check: CommitCheck): C | undefined {
    if (!check.ok || !check.lockHeld || this.#planned?.key !== key) return undefined;
    return structuredClone(this.#planned.counts);
  }
}
