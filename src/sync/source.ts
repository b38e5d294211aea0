/**
 * What the sync engine needs from a OneRoster client, as structural types: a
 * `OneRosterClient` satisfies them as is, and tests can hand in a small fake.
 *
 * @module
 */
import type {
  AcademicSession,
  Class,
  Course,
  Demographics,
  Enrollment,
  OneRosterVersion,
  Org,
  User,
} from '../models/types';
import type { RequestOptions } from '../options';
import type { GetParams, ListParams } from '../query';

/** One page of records, as `paginator.pages()` yields it. */
export interface SyncPage<T> {
  readonly items: readonly T[];
  /** `X-Total-Count`, when the server sends it. */
  readonly totalCount?: number | undefined;
  /** Records of the page skipped as invalid (lenient validation). */
  readonly skipped?: number;
}

/** A lazy paged listing. */
export interface SyncPaginator<T> {
  pages(): AsyncIterable<SyncPage<T>>;
}

/** A top-level collection such as `client.users`. */
export interface SyncCollection<T> {
  list(params?: ListParams, options?: RequestOptions): SyncPaginator<T>;
  /**
   * One record; rejects with a `not_found` error when the server does not know it. Used to
   * confirm deletions that a paged read cannot prove (see `verify-absent.ts`).
   */
  get(sourcedId: string, params?: GetParams, options?: RequestOptions): Promise<T>;
}

/** A nested collection method such as `client.schools.listClasses(schoolId, params, options)`. */
export type SyncNestedList<T> = (
  parentId: string,
  params?: ListParams,
  options?: RequestOptions,
) => SyncPaginator<T>;

/**
 * The parts of `OneRosterClient` the sync engine uses. Pass a `OneRosterClient`.
 *
 * @example
 * ```ts
 * import { OneRosterClient } from '@smartpass/oneroster';
 * import type { SyncClient } from '@smartpass/oneroster/sync';
 *
 * const client: SyncClient = new OneRosterClient({ baseUrl: 'https://sis.example/ims/oneroster/v1p1' });
 * ```
 */
export interface SyncClient {
  readonly version: OneRosterVersion;
  readonly orgs: SyncCollection<Org>;
  readonly academicSessions: SyncCollection<AcademicSession>;
  readonly courses: SyncCollection<Course>;
  readonly classes: SyncCollection<Class>;
  readonly users: SyncCollection<User>;
  readonly enrollments: SyncCollection<Enrollment>;
  readonly demographics: SyncCollection<Demographics>;
  /** Nested collections used when the sync is scoped to some schools. */
  readonly schools: {
    readonly listCourses: SyncNestedList<Course>;
    readonly listClasses: SyncNestedList<Class>;
    readonly listStudents: SyncNestedList<User>;
    readonly listTeachers: SyncNestedList<User>;
    readonly listEnrollments: SyncNestedList<Enrollment>;
  };
}
