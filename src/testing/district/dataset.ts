/**
 * The dataset type shared by the generator, `mutate()` and the mock server: one
 * {@link RecordCollection} per resource, holding normalised records (`src/models/types.ts`).
 *
 * @module
 */
import { ConfigurationError } from '../../errors';
import {
  type OneRosterRecord,
  type RecordTypes,
  SYNC_RESOURCES,
  type SyncResource,
} from '../../models/types';
import type { Seed } from '../random';
import { compareIds, deepFreeze, RecordCollection, type RecordSource } from './collection';
import type { ResolvedDistrictOptions } from './options';

/** sourcedId prefixes of generated records (demographics reuse their student's id). */
export const ID_PREFIX: Readonly<Record<SyncResource, string>> = {
  orgs: 'org-',
  academicSessions: 'as-',
  courses: 'crs-',
  classes: 'cls-',
  users: 'usr-',
  enrollments: 'enr-',
  demographics: 'usr-',
};

/** Records per resource, for {@link createDataset}. */
export type DatasetRecords = { [K in SyncResource]?: ReadonlyArray<RecordTypes[K]> };

/** What {@link Dataset} is built from. */
export interface DatasetInit {
  collections: { [K in SyncResource]: RecordCollection<K> };
  latestModified: string;
  seed?: Seed | undefined;
  options?: ResolvedDistrictOptions | undefined;
}

/**
 * A OneRoster district: normalised records per resource, in sourcedId order. Made by
 * `generateDistrict()` or {@link createDataset}, changed by `mutate()`, served by
 * `createMockOneRoster()`. Changes are visible to a mock server serving it at once.
 *
 * Generated references carry `sourcedId` and `type` but no `href`: the mock server adds
 * absolute hrefs for the origin it is reached on.
 *
 * @example
 * ```ts
 * const district = generateDistrict({ seed: 42, schools: 2 });
 * district.users.size;                    // number of users
 * district.collection('classes').at(0);   // first class by sourcedId
 * ```
 */
export class Dataset {
  readonly orgs: RecordCollection<'orgs'>;
  readonly academicSessions: RecordCollection<'academicSessions'>;
  readonly courses: RecordCollection<'courses'>;
  readonly classes: RecordCollection<'classes'>;
  readonly users: RecordCollection<'users'>;
  readonly enrollments: RecordCollection<'enrollments'>;
  readonly demographics: RecordCollection<'demographics'>;
  /** The generator seed (absent for {@link createDataset} datasets). */
  readonly seed: Seed | undefined;
  /** The generator options after defaults (absent for {@link createDataset} datasets). */
  readonly options: ResolvedDistrictOptions | undefined;
  #latestModified: string;
  readonly #idCounters = new Map<SyncResource, number>();

  constructor(init: DatasetInit) {
    this.orgs = init.collections.orgs;
    this.academicSessions = init.collections.academicSessions;
    this.courses = init.collections.courses;
    this.classes = init.collections.classes;
    this.users = init.collections.users;
    this.enrollments = init.collections.enrollments;
    this.demographics = init.collections.demographics;
    this.seed = init.seed;
    this.options = init.options;
    this.#latestModified = init.latestModified;
  }

  /** The collection of one resource. */
  collection<K extends SyncResource>(kind: K): RecordCollection<K> {
    // TypeScript cannot correlate `this[kind]` with `K` (it widens to the union of all seven
    // collections); the property names are exactly the resource names, so this holds.
    return this[kind] as unknown as RecordCollection<K>;
  }

  /** Sum of the collections' revisions: changes whenever any record changes. */
  get revision(): number {
    let total = 0;
    for (const kind of SYNC_RESOURCES) total += this.collection(kind).revision;
    return total;
  }

  /**
   * An instant no record's `dateLastModified` is later than. `mutate()` stamps changes strictly
   * after it and moves it forward.
   */
  get latestModified(): string {
    return this.#latestModified;
  }

  /** Move {@link Dataset.latestModified} forward (never back). */
  noteModified(instant: string): void {
    if (Date.parse(instant) > Date.parse(this.#latestModified)) this.#latestModified = instant;
  }

  /**
   * A sourcedId never used by a record of `kind` (not even a deleted one), in the generator's style
   * (`usr-0481`, `enr-0001234`), for records that `mutate()` and faults add.
   */
  newId(kind: SyncResource): string {
    const collection = this.collection(kind);
    const width = Math.max(4, String(collection.size).length);
    let counter = this.#idCounters.get(kind) ?? collection.size;
    let id: string;
    do id = `${ID_PREFIX[kind]}${String(counter++).padStart(width, '0')}`;
    while (collection.wasUsed(id));
    this.#idCounters.set(kind, counter);
    return id;
  }

  /** Record counts per resource. */
  counts(): Record<SyncResource, number> {
    const out = {} as Record<SyncResource, number>;
    for (const kind of SYNC_RESOURCES) out[kind] = this.collection(kind).size;
    return out;
  }
}

/** A source over a sorted array of records. */
function arraySource<T extends OneRosterRecord>(records: readonly T[]): RecordSource<T> {
  return {
    size: records.length,
    idAt: (i) => (records[i] as T).sourcedId,
    recordAt: (i) => records[i] as T,
  };
}

/**
 * Build a dataset from hand-written records (fixtures), for tests that need exact data rather
 * than a generated district. Records are copied, frozen and sorted by sourcedId.
 *
 * @throws {ConfigurationError} when a record has no sourcedId, a sourcedId repeats within a
 * resource, or a `dateLastModified` is not a date-time.
 *
 * @example
 * ```ts
 * const dataset = createDataset({
 *   orgs: [{ sourcedId: 'org-1', status: 'active', dateLastModified: '2025-01-01T00:00:00Z',
 *            name: 'North High', type: 'school' }],
 * });
 * const mock = createMockOneRoster({ dataset, version: '1.2' });
 * ```
 */
export function createDataset(records: DatasetRecords): Dataset {
  let latest = 0;
  const build = <K extends SyncResource>(kind: K): RecordCollection<K> => {
    const list = [...(records[kind] ?? [])] as Array<RecordTypes[K]>;
    const seen = new Set<string>();
    for (const [i, record] of list.entries()) {
      const id = (record as { sourcedId?: unknown } | null)?.sourcedId;
      if (typeof id !== 'string' || id === '') {
        throw new ConfigurationError(`${kind}[${i}].sourcedId`, 'must be a non-empty string');
      }
      if (seen.has(id)) throw new ConfigurationError(`${kind}[${i}].sourcedId`, 'is repeated');
      seen.add(id);
      const modified = Date.parse(record.dateLastModified);
      if (Number.isNaN(modified)) {
        throw new ConfigurationError(`${kind}[${i}].dateLastModified`, 'must be a date-time');
      }
      latest = Math.max(latest, modified);
      // Copied so that later edits to the caller's fixtures cannot change served data behind
      // the collections' revision counters.
      list[i] = deepFreeze(structuredClone(record));
    }
    list.sort((a, b) => compareIds(a.sourcedId, b.sourcedId));
    return new RecordCollection(kind, arraySource(list));
  };
  const collections = {
    orgs: build('orgs'),
    academicSessions: build('academicSessions'),
    courses: build('courses'),
    classes: build('classes'),
    users: build('users'),
    enrollments: build('enrollments'),
    demographics: build('demographics'),
  };
  return new Dataset({ collections, latestModified: new Date(latest).toISOString() });
}
