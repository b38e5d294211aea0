/**
 * One resource's records in a generated dataset: a lazily materialised base (records built on
 * demand from the seed and an index, so 1,000,000 enrollments cost no memory until read) plus a
 * small overlay of changes (replaced, added and hard-deleted records).
 *
 * @module
 */
import type { RecordTypes, SyncResource } from '../../models/types';

/**
 * Where a collection's generated records come from. `idAt` must be strictly ascending in
 * UTF-16 code-unit order, so that index order is sourcedId order without sorting.
 */
export interface RecordSource<T> {
  readonly size: number;
  idAt(index: number): string;
  recordAt(index: number): T;
}

/** Code-unit order, the default order of every collection (`localeCompare` is not stable across ICU versions). */
export function compareIds(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Freeze an object graph in place (records are plain JSON-like data, so no cycles). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The records of one resource, in sourcedId order (UTF-16 code-unit order, which equals code
 * point order for the identifiers the generator makes).
 *
 * Reading is cheap at any size: `at(position)` and `get(sourcedId)` build one record. Records
 * you get back are read-only snapshots (changed records are deep-frozen); change data with
 * {@link RecordCollection.set} and {@link RecordCollection.delete}, or with `mutate()`.
 *
 * @example
 * ```ts
 * const district = generateDistrict({ seed: 7 });
 * const first = district.users.at(0);
 * const same = district.users.get(first!.sourcedId);
 * for (const enrollment of district.enrollments) count++;
 * ```
 */
export class RecordCollection<K extends SyncResource> implements Iterable<RecordTypes[K]> {
  /** The resource these records belong to. */
  readonly kind: K;
  readonly #base: RecordSource<RecordTypes[K]>;
  /** Replaced base records by sourcedId. */
  readonly #overrides = new Map<string, RecordTypes[K]>();
  /** Records that are not in the base, by sourcedId. */
  readonly #added = new Map<string, RecordTypes[K]>();
  /** Ids of added records that were deleted again (so they are never handed out anew). */
  readonly #retired = new Set<string>();
  /** Hard-deleted base indexes (allocated on first delete). */
  #deleted: Uint8Array | null = null;
  #deletedCount = 0;
  /**
   * Position -> record, rebuilt lazily after a structural change: `i >= 0` is base index `i`,
   * `-(j + 1)` is `#addedIds[j]`. `null` while positions equal base indexes.
   */
  #order: Int32Array | null = null;
  #addedIds: string[] = [];
  #orderDirty = false;
  /** sourcedIds changed (set or deleted), in order: the revision is its length. */
  readonly #changes: string[] = [];

  constructor(kind: K, base: RecordSource<RecordTypes[K]>) {
    this.kind = kind;
    this.#base = base;
  }

  /** Number of records. */
  get size(): number {
    return this.#base.size - this.#deletedCount + this.#added.size;
  }

  /** Increases on every change; caches keyed on it stay valid while it is unchanged. */
  get revision(): number {
    return this.#changes.length;
  }

  /**
   * The sourcedIds set or deleted since `revision` (an earlier value of
   * {@link RecordCollection.revision}), oldest first, with repeats. Lets a cache drop just what
   * changed.
   */
  changedSince(revision: number): string[] {
    return this.#changes.slice(Math.max(0, revision));
  }

  /** The record with this sourcedId, or `undefined`. */
  get(sourcedId: string): RecordTypes[K] | undefined {
    const added = this.#added.get(sourcedId);
    if (added) return added;
    const index = this.#baseIndexOf(sourcedId);
    return index < 0 ? undefined : this.#baseRecord(index);
  }

  /** Whether a record with this sourcedId exists. */
  has(sourcedId: string): boolean {
    return this.#added.has(sourcedId) || this.#baseIndexOf(sourcedId) >= 0;
  }

  /** The record at `position` in sourcedId order (0-based), or `undefined` past the end. */
  at(position: number): RecordTypes[K] | undefined {
    if (!Number.isInteger(position) || position < 0 || position >= this.size) return undefined;
    const order = this.#currentOrder();
    if (order === null) return this.#baseRecord(position);
    const slot = order[position] as number;
    return slot >= 0
      ? this.#baseRecord(slot)
      : this.#added.get(this.#addedIds[-slot - 1] as string);
  }

  /** The sourcedId at `position`, without building the record. */
  idAt(position: number): string | undefined {
    if (!Number.isInteger(position) || position < 0 || position >= this.size) return undefined;
    const order = this.#currentOrder();
    if (order === null) return this.#base.idAt(position);
    const slot = order[position] as number;
    return slot >= 0 ? this.#base.idAt(slot) : this.#addedIds[-slot - 1];
  }

  /**
   * Whether a record with this sourcedId exists or existed (hard-deleted). New records must not
   * reuse such an id: a sync engine would see a deleted record come back.
   */
  wasUsed(sourcedId: string): boolean {
    if (this.#added.has(sourcedId) || this.#retired.has(sourcedId)) return true;
    let lo = 0;
    let hi = this.#base.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = this.#base.idAt(mid);
      if (id === sourcedId) return true;
      if (id < sourcedId) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Position of `sourcedId` in sourcedId order, or -1. */
  positionOf(sourcedId: string): number {
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = this.idAt(mid) as string;
      if (id === sourcedId) return mid;
      if (id < sourcedId) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Records in `[start, end)` positions. */
  slice(start = 0, end = this.size): Array<RecordTypes[K]> {
    const out: Array<RecordTypes[K]> = [];
    const stop = Math.min(end, this.size);
    for (let p = Math.max(0, start); p < stop; p++) out.push(this.at(p) as RecordTypes[K]);
    return out;
  }

  /** Every record in sourcedId order, built one at a time. */
  *values(): IterableIterator<RecordTypes[K]> {
    const size = this.size;
    for (let p = 0; p < size; p++) yield this.at(p) as RecordTypes[K];
  }

  /** Every sourcedId in order. */
  *ids(): IterableIterator<string> {
    const size = this.size;
    for (let p = 0; p < size; p++) yield this.idAt(p) as string;
  }

  [Symbol.iterator](): IterableIterator<RecordTypes[K]> {
    return this.values();
  }

  /** All records as an array (materialises everything: fine for small districts). */
  toArray(): Array<RecordTypes[K]> {
    return this.slice();
  }

  /**
   * Insert or replace a record (matched by `sourcedId`). The record is deep-frozen: build a new
   * object to change it again. Returns whether it was created or replaced.
   */
  set(record: RecordTypes[K]): 'created' | 'updated' {
    const id = record.sourcedId;
    deepFreeze(record);
    this.#changes.push(id);
    if (this.#added.has(id)) {
      this.#added.set(id, record);
      return 'updated';
    }
    const index = this.#baseIndexOf(id);
    if (index >= 0) {
      this.#overrides.set(id, record);
      return 'updated';
    }
    this.#added.set(id, record);
    this.#retired.delete(id);
    this.#orderDirty = true;
    return 'created';
  }

  /** Hard-delete a record. Returns `false` when there was none. */
  delete(sourcedId: string): boolean {
    if (this.#added.delete(sourcedId)) {
      this.#retired.add(sourcedId);
      this.#changes.push(sourcedId);
      this.#orderDirty = true;
      return true;
    }
    const index = this.#baseIndexOf(sourcedId);
    if (index < 0) return false;
    this.#deleted ??= new Uint8Array(this.#base.size);
    this.#deleted[index] = 1;
    this.#deletedCount++;
    this.#overrides.delete(sourcedId);
    this.#changes.push(sourcedId);
    this.#orderDirty = true;
    return true;
  }

  #baseRecord(index: number): RecordTypes[K] {
    if (this.#overrides.size > 0) {
      const override = this.#overrides.get(this.#base.idAt(index));
      if (override) return override;
    }
    return this.#base.recordAt(index);
  }

  /** Base index of a live base record, or -1 (binary search: base ids are ascending). */
  #baseIndexOf(sourcedId: string): number {
    let lo = 0;
    let hi = this.#base.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = this.#base.idAt(mid);
      if (id === sourcedId) return this.#deleted?.[mid] === 1 ? -1 : mid;
      if (id < sourcedId) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  #currentOrder(): Int32Array | null {
    if (!this.#orderDirty) return this.#order;
    this.#orderDirty = false;
    if (this.#added.size === 0 && this.#deletedCount === 0) {
      this.#order = null;
      return null;
    }
    // Merge the ascending base with the sorted added ids; only the insertion points need string
    // comparisons, so a rebuild is linear in the base size plus a few binary searches.
    this.#addedIds = [...this.#added.keys()].sort(compareIds);
    const order = new Int32Array(this.size);
    const base = this.#base;
    const deleted = this.#deleted;
    let out = 0;
    let next = 0;
    for (let j = 0; j < this.#addedIds.length; j++) {
      const insertAt = lowerBound(base, this.#addedIds[j] as string);
      for (; next < insertAt; next++) if (deleted?.[next] !== 1) order[out++] = next;
      order[out++] = -(j + 1);
    }
    for (; next < base.size; next++) if (deleted?.[next] !== 1) order[out++] = next;
    this.#order = order;
    return order;
  }
}

/** First base index whose id is >= `id`. */
function lowerBound(base: RecordSource<unknown>, id: string): number {
  let lo = 0;
  let hi = base.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (base.idAt(mid) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
