/**
 * Where each resource is read from: the top-level collection, or, when the sync is scoped to
 * some schools, the schools' nested collections.
 *
 * Scoped pulls, and why:
 * - `courses`, `classes`, `enrollments`: `/schools/{id}/courses|classes|enrollments`. The server
 *   applies the scope, so we never download another school's roster.
 * - `users`: `/schools/{id}/students` and `/schools/{id}/teachers`, de-duplicated (a teacher in
 *   two schools appears twice). Administrators, aides and guardians have no school-scoped
 *   endpoint in OneRoster and are not synced in scoped mode.
 * - `orgs`: the top-level `/orgs` (a district has few orgs and they carry no personal data),
 *   keeping the scoped schools and their ancestors (the district). Always pulled completely,
 *   also in incremental runs, because whether an org is in scope depends on its parents.
 * - `academicSessions`: the top-level collection. `/schools/{id}/terms` has terms only, while
 *   courses and classes also reference school years and grading periods; sessions are calendar
 *   data shared by the district and carry no personal data.
 * - `demographics`: the top-level collection, keeping records whose user is in scope (a
 *   demographics record has its user's sourcedId).
 *
 * @module
 */
import type { RecordTypes, SyncResource } from '../models/types';
import type { RequestOptions } from '../options';
import type { ListParams } from '../query';
import type { SyncClient, SyncCollection, SyncPaginator } from './source';

/** One listing that contributes records to a resource. */
export interface Stream<R extends SyncResource> {
  /** For messages, e.g. `/schools/s-1/classes`. */
  readonly label: string;
  open(params: ListParams, options: RequestOptions): SyncPaginator<RecordTypes[R]>;
}

/**
 * The listings of one resource.
 *
 * @example
 * ```ts
 * const streams = streamsFor(client, 'classes', ['s-1', 's-2']); // two nested listings
 * ```
 */
export function streamsFor<R extends SyncResource>(
  client: SyncClient,
  resource: R,
  schools: readonly string[] | undefined,
): Stream<R>[] {
  return streamsOf(client, resource, schools) as Stream<R>[];
}

function streamsOf(
  client: SyncClient,
  resource: SyncResource,
  schools: readonly string[] | undefined,
): Stream<SyncResource>[] {
  const top = <R extends SyncResource>(r: R): Stream<R>[] => [
    {
      label: `/${r}`,
      open: (params, options) =>
        (client[r] as unknown as SyncCollection<RecordTypes[R]>).list(params, options),
    },
  ];
  if (!schools) return top(resource);
  const s = client.schools;
  switch (resource) {
    case 'courses':
      return schools.map((id) => ({
        label: `/schools/${id}/courses`,
        open: (params, options) => s.listCourses(id, params, options),
      }));
    case 'classes':
      return schools.map((id) => ({
        label: `/schools/${id}/classes`,
        open: (params, options) => s.listClasses(id, params, options),
      }));
    case 'enrollments':
      return schools.map((id) => ({
        label: `/schools/${id}/enrollments`,
        open: (params, options) => s.listEnrollments(id, params, options),
      }));
    case 'users':
      return schools.flatMap((id) => [
        {
          label: `/schools/${id}/students`,
          open: (params: ListParams, options: RequestOptions) =>
            s.listStudents(id, params, options),
        },
        {
          label: `/schools/${id}/teachers`,
          open: (params: ListParams, options: RequestOptions) =>
            s.listTeachers(id, params, options),
        },
      ]);
    default:
      return top(resource);
  }
}

/**
 * The orgs a scoped sync keeps: the scoped schools and every ancestor reachable through
 * `parent` (the district, and any region in between), plus the schools the server lacks.
 *
 * @example
 * ```ts
 * const { keep, missing } = orgsInScope(allOrgs, ['s-1']);
 * ```
 */
export function orgsInScope(
  orgs: readonly RecordTypes['orgs'][],
  schools: readonly string[],
): { keep: Set<string>; missing: string[] } {
  const byId = new Map(orgs.map((org) => [org.sourcedId, org]));
  const keep = new Set<string>();
  const missing: string[] = [];
  for (const school of schools) {
    if (!byId.has(school)) {
      missing.push(school);
      continue;
    }
    let id: string | undefined = school;
    // `keep.has` also stops a parent cycle in bad data.
    while (id !== undefined && byId.has(id) && !keep.has(id)) {
      keep.add(id);
      id = byId.get(id)?.parent?.sourcedId;
    }
  }
  return { keep, missing };
}
