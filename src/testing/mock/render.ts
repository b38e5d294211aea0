/**
 * Rendering records as a version's wire JSON (`toWire`, which the models module owns, with
 * absolute hrefs under the server's canonical base URL), plus a cache of rendered records as
 * UTF-8 bytes, so that serving a page of already-served records is one memory copy.
 *
 * @module
 */
import { toWire } from '../../models/index';
import type { OneRosterVersion, RecordTypes, SyncResource } from '../../models/types';
import type { Dataset } from '../district/dataset';

/** The wire JSON object of a record, with absolute hrefs under `hrefBase`. */
export function renderRecord<K extends SyncResource>(
  kind: K,
  record: RecordTypes[K],
  version: OneRosterVersion,
  hrefBase: string,
): Record<string, unknown> {
  return toWire(kind, record, version, { hrefBase });
}

interface KindCache {
  revision: number;
  bytes: Map<string, Buffer>;
  size: number;
}

/** Default budget of cached JSON: 100,000 users or about 600,000 enrollments. */
export const DEFAULT_RENDER_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * Rendered JSON per record, per resource, for one version and href base. Entries of records that
 * change are dropped using the collection's change list, so a cached rendering is always the
 * current record's. Bounded by bytes: a resource's entries are dropped when the total would pass
 * the budget, which keeps memory flat for million-record collections.
 */
export class RenderCache {
  readonly #dataset: Dataset;
  readonly #version: OneRosterVersion;
  readonly #hrefBase: string;
  readonly #budget: number;
  readonly #caches = new Map<SyncResource, KindCache>();
  #bytes = 0;

  constructor(
    dataset: Dataset,
    version: OneRosterVersion,
    hrefBase: string,
    budget = DEFAULT_RENDER_CACHE_BYTES,
  ) {
    this.#dataset = dataset;
    this.#version = version;
    this.#hrefBase = hrefBase;
    this.#budget = budget;
  }

  /**
   * The JSON of a whole (unprojected) record as UTF-8, by sourcedId; `load` builds the record
   * only on a miss (building and rendering it is most of the cost of serving it).
   */
  json<K extends SyncResource>(kind: K, sourcedId: string, load: () => RecordTypes[K]): Buffer {
    const cache = this.#cacheFor(kind);
    let bytes = cache.bytes.get(sourcedId);
    if (bytes === undefined) {
      bytes = Buffer.from(
        JSON.stringify(renderRecord(kind, load(), this.#version, this.#hrefBase)),
      );
      if (this.#bytes + bytes.length > this.#budget) {
        this.#bytes -= cache.size;
        cache.bytes.clear();
        cache.size = 0;
      }
      if (bytes.length <= this.#budget) {
        cache.bytes.set(sourcedId, bytes);
        cache.size += bytes.length;
        this.#bytes += bytes.length;
      }
    }
    return bytes;
  }

  /** Render every record of the given resources ahead of time, within the budget. */
  warm(kinds: readonly SyncResource[]): number {
    let rendered = 0;
    for (const kind of kinds) {
      const collection = this.#dataset.collection(kind);
      const size = collection.size;
      for (let p = 0; p < size && this.#bytes < this.#budget; p++) {
        this.json(
          kind,
          collection.idAt(p) as string,
          () => collection.at(p) as RecordTypes[typeof kind],
        );
        rendered++;
      }
    }
    return rendered;
  }

  #cacheFor(kind: SyncResource): KindCache {
    const collection = this.#dataset.collection(kind);
    let cache = this.#caches.get(kind);
    if (!cache) {
      cache = { revision: collection.revision, bytes: new Map(), size: 0 };
      this.#caches.set(kind, cache);
    } else if (cache.revision !== collection.revision) {
      for (const id of collection.changedSince(cache.revision)) {
        const stale = cache.bytes.get(id);
        if (stale !== undefined) {
          cache.bytes.delete(id);
          cache.size -= stale.length;
          this.#bytes -= stale.length;
        }
      }
      cache.revision = collection.revision;
    }
    return cache;
  }
}
