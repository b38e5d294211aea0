/**
 * Lazily built lookup indexes over a dataset (enrollments by class, classes by school, ...),
 * rebuilt when the collection they scan changes. They let nested endpoints find their records
 * without scanning a million enrollments on every request.
 *
 * @module
 */

import type { RecordTypes, SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';

/** Positions (in sourcedId order) of the records of one key. */
export type Positions = readonly number[];

interface CachedIndex {
  revision: number;
  map: Map<string, number[]>;
}

/** Index definitions: the collection scanned and the keys of each record. */
type KeyFn<K extends SyncResource> = (
  record: RecordTypes[K],
) => string | readonly string[] | undefined;

/** Caches indexes per dataset; one per mock server. */
export class DatasetIndexes {
  readonly #dataset: Dataset;
  readonly #cache = new Map<string, CachedIndex>();

  constructor(dataset: Dataset) {
    this.#dataset = dataset;
  }

  /**
   * Positions of the `kind` records whose key (by `name`) is `key`. The positions are ascending,
   * so they are in sourcedId order.
   */
  lookup<K extends SyncResource>(kind: K, name: string, keys: KeyFn<K>, key: string): Positions {
    const collection = this.#dataset.collection(kind);
    const id = `${kind}:${name}`;
    let cached = this.#cache.get(id);
    if (!cached || cached.revision !== collection.revision) {
      const map = new Map<string, number[]>();
      const size = collection.size;
      for (let p = 0; p < size; p++) {
        const found = keys(collection.at(p) as RecordTypes[K]);
        if (found === undefined) continue;
        for (const k of typeof found === 'string' ? [found] : found) {
          let list = map.get(k);
          if (!list) {
            list = [];
            map.set(k, list);
          }
          // A record listing the same key twice is still one match.
          if (list[list.length - 1] !== p) list.push(p);
        }
      }
      cached = { revision: collection.revision, map };
      this.#cache.set(id, cached);
    }
    return cached.map.get(key) ?? [];
  }
}
