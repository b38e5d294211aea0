/**
 * A small in-memory stand-in for OneRosterClient, for unit tests of the engine's decisions
 * (the integration tests use the real client against the mock server). It pages, understands
 * `dateLastModified>='…'`, reports invalid records like the client does, and can fail on cue.
 */
import {
  NotFoundError,
  PermissionDeniedError,
  ServerError,
  ValidationError,
} from '../../src/errors';
import type {
  Class,
  Demographics,
  Enrollment,
  Org,
  RecordTypes,
  SyncResource,
  User,
} from '../../src/models/types';
import type { ClientEvent, RequestOptions } from '../../src/options';
import type { ListParams } from '../../src/query';
import type { SyncClient, SyncPage, SyncPaginator } from '../../src/sync/source';

export type Dataset = { [R in SyncResource]: RecordTypes[R][] };

/** A record the fake serves as invalid: skipped, reported with this sourcedId (or none). */
export interface InvalidMarker {
  invalid: true;
  sourcedId: string | undefined;
}

export interface Request {
  path: string;
  filter: string | undefined;
}

export interface FakeClient extends SyncClient {
  data: { [R in SyncResource]: Array<RecordTypes[R] | InvalidMarker> };
  requests: Request[];
  /** Throw this error when `path` is requested (page index `page`, default 0). */
  failOn: Map<string, { error: Error; page?: number }>;
  pageSize: number;
  /** Send `totalCount` on pages. @default true */
  sendTotals: boolean;
  /** Called after each page is handed out (to change data between pages). */
  afterPage?: ((path: string, page: number) => void) | undefined;
}

const T = '2026-01-10T00:00:00.000Z';

export function emptyDataset(): Dataset {
  return {
    orgs: [],
    academicSessions: [],
    courses: [],
    classes: [],
    users: [],
    enrollments: [],
    demographics: [],
  };
}

export function org(id: string, extra: Partial<Org> = {}): Org {
  return {
    sourcedId: id,
    status: 'active',
    dateLastModified: T,
    name: `Org ${id}`,
    type: 'school',
    ...extra,
  };
}

export function user(id: string, school: string, extra: Partial<User> = {}): User {
  return {
    sourcedId: id,
    status: 'active',
    dateLastModified: T,
    enabledUser: true,
    givenName: 'Given',
    familyName: `Family ${id}`,
    roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: school } }],
    ...extra,
  };
}

export function klass(id: string, school: string, extra: Partial<Class> = {}): Class {
  return {
    sourcedId: id,
    status: 'active',
    dateLastModified: T,
    title: `Class ${id}`,
    school: { sourcedId: school },
    terms: [{ sourcedId: 'term-1' }],
    ...extra,
  };
}

export function enrollment(
  id: string,
  userId: string,
  classId: string,
  school: string,
): Enrollment {
  return {
    sourcedId: id,
    status: 'active',
    dateLastModified: T,
    user: { sourcedId: userId },
    class: { sourcedId: classId },
    school: { sourcedId: school },
    role: 'student',
  };
}

export function demographics(id: string): Demographics {
  return { sourcedId: id, status: 'active', dateLastModified: T, sex: 'female' };
}

/** A district: `schools` schools with `perSchool` students and one class each. */
export function district(schools = 2, perSchool = 10): Dataset {
  const d = emptyDataset();
  d.orgs.push(org('district', { type: 'district' }));
  for (let s = 1; s <= schools; s++) {
    const school = `school-${s}`;
    d.orgs.push(org(school, { parent: { sourcedId: 'district' } }));
    d.classes.push(klass(`class-${s}`, school));
    for (let u = 1; u <= perSchool; u++) {
      const id = `u-${s}-${String(u).padStart(3, '0')}`;
      d.users.push(user(id, school));
      d.enrollments.push(enrollment(`e-${s}-${u}`, id, `class-${s}`, school));
      d.demographics.push(demographics(id));
    }
  }
  d.academicSessions.push({
    sourcedId: 'term-1',
    status: 'active',
    dateLastModified: T,
    title: 'Term 1',
    type: 'term',
    startDate: '2026-01-01',
    endDate: '2026-06-01',
    schoolYear: '2026',
  });
  d.courses.push({ sourcedId: 'course-1', status: 'active', dateLastModified: T, title: 'Math' });
  return d;
}

function isInvalid(value: unknown): value is InvalidMarker {
  return (value as InvalidMarker).invalid === true;
}

function schoolOf(resource: SyncResource, record: RecordTypes[SyncResource]): string[] {
  switch (resource) {
    case 'classes':
    case 'enrollments':
      return [(record as Class).school.sourcedId];
    case 'users':
      return (record as User).roles.map((r) => r.org.sourcedId);
    case 'courses':
      return [(record as { org?: { sourcedId: string } }).org?.sourcedId ?? 'school-1'];
    default:
      return [];
  }
}

export function createFakeClient(dataset: Dataset, pageSize = 4): FakeClient {
  const fake = {
    version: '1.2',
    data: dataset,
    requests: [] as Request[],
    failOn: new Map<string, { error: Error; page?: number }>(),
    pageSize,
    sendTotals: true,
  } as unknown as FakeClient;

  const listing = <R extends SyncResource>(
    resource: R,
    path: string,
    keep: (record: RecordTypes[R]) => boolean,
  ) => {
    return (params?: ListParams, options?: RequestOptions): SyncPaginator<RecordTypes[R]> => ({
      async *pages(): AsyncGenerator<SyncPage<RecordTypes[R]>> {
        const text = params?.filter === undefined ? undefined : String(params.filter);
        const since = text === undefined ? undefined : /^dateLastModified>='(.+)'$/.exec(text)?.[1];
        if (text !== undefined && since === undefined)
          throw new Error(`fake: unsupported filter ${text}`);
        // Read per page, like a server does, so a test can change the data between pages.
        const current = () =>
          (fake.data[resource] as Array<RecordTypes[R] | InvalidMarker>).filter(
            (row) =>
              isInvalid(row) ||
              (keep(row) &&
                (since === undefined || Date.parse(row.dateLastModified) >= Date.parse(since))),
          );
        for (let offset = 0, page = 0; ; offset += fake.pageSize, page++) {
          const rows = current();
          options?.signal?.throwIfAborted();
          fake.requests.push({ path, filter: text });
          const failure = fake.failOn.get(path);
          if (failure && (failure.page ?? 0) === page) throw failure.error;
          const slice = rows.slice(offset, offset + fake.pageSize);
          if (slice.length === 0) return;
          const items: RecordTypes[R][] = [];
          let skipped = 0;
          for (const row of slice) {
            if (!isInvalid(row)) {
              items.push(structuredClone(row));
              continue;
            }
            skipped++;
            const event: ClientEvent = {
              type: 'invalid_record',
              resource,
              sourcedId: row.sourcedId,
              issues: [{ path: 'status', message: 'Invalid input' }],
            };
            options?.onEvent?.(event);
          }
          yield { items, totalCount: fake.sendTotals ? rows.length : undefined, skipped };
          fake.afterPage?.(path, page);
          // Give aborts and concurrent runs a chance, as real I/O would.
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
    });
  };

  for (const resource of [
    'orgs',
    'academicSessions',
    'courses',
    'classes',
    'users',
    'enrollments',
    'demographics',
  ] as const) {
    (fake as unknown as Record<string, unknown>)[resource] = {
      list: listing(resource, `/${resource}`, () => true),
      get: async (id: string) => {
        const path = `/${resource}/${id}`;
        fake.requests.push({ path, filter: undefined });
        const failure = fake.failOn.get(path);
        if (failure) throw failure.error;
        const rows = fake.data[resource] as Array<RecordTypes[SyncResource] | InvalidMarker>;
        const row = rows.find((r) => r.sourcedId === id);
        if (!row) {
          throw new NotFoundError({ status: 404, method: 'GET', url: `https://sis.test${path}` });
        }
        if (isInvalid(row)) {
          const issues = [{ path: 'status', message: 'Invalid input' }];
          throw new ValidationError({ resource, sourcedId: id, issues });
        }
        return structuredClone(row);
      },
    };
  }
  const nested =
    <R extends SyncResource>(resource: R, child: string, role?: string) =>
    (id: string, params?: ListParams, options?: RequestOptions) =>
      listing(resource, `/schools/${id}/${child}`, (record) => {
        if (!schoolOf(resource, record).includes(id)) return false;
        return role === undefined || (record as User).roles.some((r) => r.role === role);
      })(params, options);
  (fake as unknown as Record<string, unknown>).schools = {
    listCourses: nested('courses', 'courses'),
    listClasses: nested('classes', 'classes'),
    listStudents: nested('users', 'students', 'student'),
    listTeachers: nested('users', 'teachers', 'teacher'),
    listEnrollments: nested('enrollments', 'enrollments'),
  };
  return fake;
}

export const serverError = () =>
  new ServerError({ status: 503, method: 'GET', url: 'https://sis.test/ims/oneroster/v1p1/x' });

export const forbidden = () =>
  new PermissionDeniedError({
    status: 403,
    method: 'GET',
    url: 'https://sis.test/ims/oneroster/v1p1/demographics',
  });
