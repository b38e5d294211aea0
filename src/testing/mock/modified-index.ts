/**
 * `dateLastModified` of every record by position, so that a delta request
 * (`filter=dateLastModified>='...'`, what every incremental sync sends) skips the records that
 * cannot match before rendering and testing them. Without it, the first page of each new cursor
 * rendered and tested the whole collection: about 2 s for 500,000 enrollments.
 *
 * The index only narrows: records it lets through are still tested with the full filter on
 * their wire form, so filter semantics do not depend on it. It reads `dateLastModified` from the
 * stored record, which `toWire` passes through unchanged (the mock fidelity tests pin both).
 *
 * Kept current from the collection's change list: records changed in place are re-read one by
 * one; a change in the set of ids (records added or hard-deleted) shifts positions, and the
 * index is rebuilt on the next delta request.
 *
 * @module
 */
import type { RecordTypes, SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';
import { type FilterClause, order, type ParsedFilter } from './filter';

interface KindIndex {
  revision: number;
  size: number;
  /** Epoch ms per position; `NaN` when the value is not a date-time text (left to the filter). */
  instants: Float64Array;
}

/** The operators a stored instant can decide (`!=` and `~` cannot: they match unparsable values). */
const RANGE = new Set(['=', '>', '>=', '<', '<=']);

/** Per-resource `dateLastModified` instants of one dataset; one per mock server. */
export class ModifiedIndex {
  readonly #dataset: Dataset;
  readonly #kinds = new Map<SyncResource, KindIndex>();

  constructor(dataset: Dataset) {
    this.#dataset = dataset;
  }

  /**
   * A cheap test that every record matching `filter` passes (others may pass too), or
   * `undefined` when the filter has no `dateLastModified` range clause that all matches must meet.
   */
  prefilter(kind: SyncResource, filter: ParsedFilter): ((position: number) => boolean) | undefined {
    // With OR, a record can match through another clause; with AND, every clause must hold.
    if (filter.logic !== 'AND' && filter.clauses.length > 1) return undefined;
    const clause = filter.clauses.find(
      (c) => c.field === 'dateLastModified' && c.instant !== undefined && RANGE.has(c.operator),
    );
    if (clause === undefined) return undefined;
    const instants = this.#current(kind).instants;
    return (position) => satisfies(instants[position] as number, clause);
  }

  #current(kind: SyncResource): KindIndex {
    const collection = this.#dataset.collection(kind);
    const cached = this.#kinds.get(kind);
    if (cached?.revision === collection.revision) return cached;
    if (cached && collection.size === cached.size) {
      const changed = new Set(collection.changedSince(cached.revision));
      // Every changed id still present and the same count: the set of ids, and so every
      // position (ids are in sourcedId order), is unchanged. Only the changed records are read.
      const positions: number[] = [];
      for (const id of changed) {
        const position = collection.positionOf(id);
        if (position < 0) break;
        positions.push(position);
      }
      if (positions.length === changed.size) {
        for (const position of positions) {
          cached.instants[position] = instantOf(collection.at(position));
        }
        cached.revision = collection.revision;
        return cached;
      }
    }
    const size = collection.size;
    const instants = new Float64Array(size);
    for (let position = 0; position < size; position++) {
      instants[position] = instantOf(collection.at(position));
    }
    const built: KindIndex = { revision: collection.revision, size, instants };
    this.#kinds.set(kind, built);
    return built;
  }
}

function instantOf(record: RecordTypes[SyncResource] | undefined): number {
  const value = record?.dateLastModified;
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/**
 * The filter's comparison of instants (`filter.ts`). A record whose value the index could not
 * read passes: the full filter decides it, so the index can only ever skip true non-matches.
 */
function satisfies(instant: number, clause: FilterClause): boolean {
  const sign = instant - (clause.instant as number);
  return Number.isNaN(sign) || order(sign, clause.operator);
}
