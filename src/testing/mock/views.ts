/**
 * Filtered and sorted views of a collection, as lists of positions, cached until the dataset
 * changes. Paging a view is index slicing: no request materialises a whole collection except
 * the first one that filters or sorts it.
 *
 * @module
 */
import { toWire } from '../../models/index';
import type { OneRosterVersion, RecordTypes, SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';
import { matchesFilter, type ParsedFilter } from './filter';
import type { Positions } from './indexes';
import type { ModifiedIndex } from './modified-index';

/** A view: every record (`'all'`, positions equal indexes) or an explicit position list. */
export type View = Positions | 'all';

/** What a view is computed from. */
export interface ViewSpec {
  kind: SyncResource;
  base: View;
  filter: ParsedFilter | undefined;
  sort: { field: string; descending: boolean } | undefined;
  version: OneRosterVersion;
  /** Lets a `dateLastModified` filter skip records that cannot match without rendering them. */
  modified?: ModifiedIndex;
}

// One collator for every explicit sort: Unicode collation as the 1.2 text asks (oneroster.md
// §7.2). The default order (no `sort`) stays plain sourcedId code-unit order.
const collator = new Intl.Collator('und');

/** Number of records in a view. */
export function viewSize(dataset: Dataset, kind: SyncResource, view: View): number {
  return view === 'all' ? dataset.collection(kind).size : view.length;
}

/** The first scalar at a dot path of a wire record, as text. */
function sortKey(record: Record<string, unknown>, path: string): string | undefined {
  let value: unknown = record;
  for (const segment of path.split('.')) {
    if (Array.isArray(value)) value = value[0];
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') {
    const id = (value as { sourcedId?: unknown }).sourcedId;
    return typeof id === 'string' ? id : JSON.stringify(value);
  }
  return String(value);
}

/**
 * Whether the keys are already in the requested order (strictly, so ties need no tie-break):
 * a base view is in sourcedId order, so an ascending sort by sourcedId usually is, and one pass
 * of comparisons is much cheaper than a sort.
 */
function alreadySorted(keys: ReadonlyArray<string | undefined>, sign: number): boolean {
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1];
    const b = keys[i];
    if (a === undefined || b === undefined || sign * collator.compare(a, b) >= 0) return false;
  }
  return true;
}

/** Apply a filter and a sort to a base view. */
export function computeView(dataset: Dataset, spec: ViewSpec): View {
  if (!spec.filter && !spec.sort) return spec.base;
  const collection = dataset.collection(spec.kind);
  const size = viewSize(dataset, spec.kind, spec.base);
  const kept: number[] = [];
  const keys: Array<string | undefined> = [];
  const mayMatch = spec.filter && spec.modified?.prefilter(spec.kind, spec.filter);
  // Sorting by sourcedId (what sync engines pin) needs no rendering: the key is the id.
  const byId = spec.sort?.field === 'sourcedId';
  for (let i = 0; i < size; i++) {
    const position = spec.base === 'all' ? i : (spec.base[i] as number);
    if (mayMatch && !mayMatch(position)) continue;
    if (!spec.filter && byId) {
      kept.push(position);
      keys.push(collection.idAt(position));
      continue;
    }
    const record = collection.at(position) as RecordTypes[SyncResource];
    // Filters and sorts see the version's wire form: 1.1 `role`, 1.2 string booleans.
    const wire = toWire(spec.kind, record, spec.version);
    if (spec.filter && !matchesFilter(wire, spec.filter)) continue;
    kept.push(position);
    if (spec.sort) keys.push(sortKey(wire, spec.sort.field));
  }
  if (!spec.sort) return kept;
  const sign = spec.sort.descending ? -1 : 1;
  if (alreadySorted(keys, sign)) return kept;
  const order = kept.map((_, i) => i);
  order.sort((a, b) => {
    const ka = keys[a];
    const kb = keys[b];
    // Missing values sort last ascending and first descending (PostgreSQL's default).
    const byKey =
      ka === kb ? 0 : ka === undefined ? 1 : kb === undefined ? -1 : collator.compare(ka, kb);
    if (byKey !== 0) return sign * byKey;
    return (kept[a] as number) - (kept[b] as number);
  });
  return order.map((i) => kept[i] as number);
}

/** A bounded cache of computed views, keyed by request shape and dataset revision. */
export class ViewCache {
  readonly #entries = new Map<string, View>();
  readonly #limit: number;

  constructor(limit = 32) {
    this.#limit = limit;
  }

  get(key: string, compute: () => View): View {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Refresh recency: Map iteration order is insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const view = compute();
    this.#entries.set(key, view);
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return view;
  }
}
