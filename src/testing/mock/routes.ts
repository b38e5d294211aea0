/**
 * Every Rostering endpoint of OneRoster 1.1 and 1.2 (the same 41 paths in both versions,
 * oneroster.md §2.1-2.2): what records each returns, under which wrapper key, with which scope.
 *
 * @module
 */

import type { Class, Enrollment, RecordTypes, SyncResource, User } from '../../models/types';
import type { Dataset } from '../district/dataset';
import type { DatasetIndexes, Positions } from './indexes';
import type { RosterScope } from './versions';

/** What a route resolved to. */
export type Resolution =
  | { type: 'collection'; kind: SyncResource; positions: Positions | 'all' }
  | { type: 'single'; kind: SyncResource; record: RecordTypes[SyncResource] }
  | { type: 'not-found'; description: string };

/** What resolvers read. */
export interface RouteContext {
  dataset: Dataset;
  indexes: DatasetIndexes;
}

/** One endpoint. */
export interface RouteDef {
  /** The path as the specification writes it, e.g. `/schools/{schoolSourcedId}/classes`. */
  readonly path: string;
  readonly segments: readonly string[];
  /** Resource of the returned records. */
  readonly kind: SyncResource;
  /** Key of the response body (oneroster.md §2.1). */
  readonly wrapper: string;
  readonly single: boolean;
  /** Any one of these scopes grants access (oneroster.md §10.3: the OpenAPI lists read as OR). */
  readonly scopes: readonly RosterScope[];
  resolve(context: RouteContext, params: readonly string[]): Resolution;
}

const CORE: readonly RosterScope[] = ['roster-core.readonly', 'roster.readonly'];
const NESTED: readonly RosterScope[] = ['roster.readonly'];
const DEMOGRAPHICS: readonly RosterScope[] = ['roster-demographics.readonly'];

const SINGULAR: Readonly<Record<SyncResource, string>> = {
  orgs: 'org',
  academicSessions: 'academicSession',
  courses: 'course',
  classes: 'class',
  users: 'user',
  enrollments: 'enrollment',
  // The specification uses the plural for both (oneroster.md §2.1).
  demographics: 'demographics',
};

const notFound = (what: string, id: string): Resolution => ({
  type: 'not-found',
  description: `Unknown ${what}: ${id}`,
});

const hasRole = (user: User, role: string) => user.roles.some((r) => r.role === role);

/** Positions of the records of `kind` matching `test`, cached per collection revision. */
function where<K extends SyncResource>(
  context: RouteContext,
  kind: K,
  name: string,
  test: (record: RecordTypes[K]) => boolean,
): Positions {
  return context.indexes.lookup(kind, `where:${name}`, (r) => (test(r) ? '' : undefined), '');
}

/** Positions of `ids` in a collection, ascending and without duplicates. */
function positionsOf(context: RouteContext, kind: SyncResource, ids: Iterable<string>): Positions {
  const collection = context.dataset.collection(kind);
  const out = new Set<number>();
  for (const id of ids) {
    const position = collection.positionOf(id);
    if (position >= 0) out.add(position);
  }
  return [...out].sort((a, b) => a - b);
}

function enrollmentsOf(
  context: RouteContext,
  by: 'class' | 'user',
  id: string,
  role?: 'student' | 'teacher',
): Enrollment[] {
  const enrollments = context.dataset.enrollments;
  const positions = context.indexes.lookup('enrollments', `by:${by}`, (e) => e[by]?.sourcedId, id);
  const out: Enrollment[] = [];
  for (const p of positions) {
    const enrollment = enrollments.at(p) as Enrollment;
    if (role === undefined || enrollment.role === role) out.push(enrollment);
  }
  return out;
}

/** Users enrolled in a class with a role (`/classes/{id}/students`). */
function usersOfClass(context: RouteContext, classId: string, role: 'student' | 'teacher') {
  const ids = enrollmentsOf(context, 'class', classId, role).map((e) => e.user.sourcedId);
  return positionsOf(context, 'users', ids);
}

/** Classes a user is enrolled in (`/users/{id}/classes`), optionally with one role. */
function classesOfUser(context: RouteContext, userId: string, role?: 'student' | 'teacher') {
  const ids = enrollmentsOf(context, 'user', userId, role).map((e) => e.class.sourcedId);
  return positionsOf(context, 'classes', ids);
}

/** Users with a role at an org (`/schools/{id}/students`). */
function usersAtSchool(context: RouteContext, schoolId: string, role: 'student' | 'teacher') {
  return context.indexes.lookup(
    'users',
    `at:${role}`,
    (u) => u.roles.filter((r) => r.role === role).map((r) => r.org.sourcedId),
    schoolId,
  );
}

/** A school (an org of type school) or a not-found resolution. */
function school(context: RouteContext, id: string) {
  const org = context.dataset.orgs.get(id);
  return org?.type === 'school' ? org : undefined;
}

function classInSchool(context: RouteContext, schoolId: string, classId: string) {
  if (!school(context, schoolId)) return { error: notFound('school', schoolId) };
  const found = context.dataset.classes.get(classId);
  if (!found || found.school.sourcedId !== schoolId) {
    return { error: notFound('class in this school', classId) };
  }
  return { found };
}

function session(context: RouteContext, id: string, type: string) {
  const found = context.dataset.academicSessions.get(id);
  return found?.type === type ? found : undefined;
}

type Resolver = (context: RouteContext, params: readonly string[]) => Resolution;

function route(
  path: string,
  kind: SyncResource,
  single: boolean,
  scopes: readonly RosterScope[],
  resolve: Resolver,
): RouteDef {
  return {
    path,
    segments: path.split('/').filter(Boolean),
    kind,
    wrapper: single ? SINGULAR[kind] : kind,
    single,
    scopes,
    resolve,
  };
}

const all =
  (kind: SyncResource): Resolver =>
  () => ({ type: 'collection', kind, positions: 'all' });

const filtered =
  <K extends SyncResource>(kind: K, name: string, test: (r: RecordTypes[K]) => boolean): Resolver =>
  (context) => ({ type: 'collection', kind, positions: where(context, kind, name, test) });

const one =
  <K extends SyncResource>(
    kind: K,
    what: string,
    test: (r: RecordTypes[K]) => boolean = () => true,
  ): Resolver =>
  (context, [id = '']) => {
    const record = context.dataset.collection(kind).get(id);
    return record && test(record) ? { type: 'single', kind, record } : notFound(what, id);
  };

const collection = (kind: SyncResource, positions: Positions): Resolution => ({
  type: 'collection',
  kind,
  positions,
});

const isSchool = (org: RecordTypes['orgs']) => org.type === 'school';
const isStudent = (user: User) => hasRole(user, 'student');
const isTeacher = (user: User) => hasRole(user, 'teacher');

/** The route table. Order does not matter: paths are distinct. */
export const ROUTES: readonly RouteDef[] = [
  route('/academicSessions', 'academicSessions', false, CORE, all('academicSessions')),
  route(
    '/academicSessions/{sourcedId}',
    'academicSessions',
    true,
    CORE,
    one('academicSessions', 'academic session'),
  ),
  route('/classes', 'classes', false, CORE, all('classes')),
  route('/classes/{sourcedId}', 'classes', true, CORE, one('classes', 'class')),
  route('/classes/{classSourcedId}/students', 'users', false, NESTED, (c, [id = '']) =>
    c.dataset.classes.has(id)
      ? collection('users', usersOfClass(c, id, 'student'))
      : notFound('class', id),
  ),
  route('/classes/{classSourcedId}/teachers', 'users', false, NESTED, (c, [id = '']) =>
    c.dataset.classes.has(id)
      ? collection('users', usersOfClass(c, id, 'teacher'))
      : notFound('class', id),
  ),
  route('/courses', 'courses', false, CORE, all('courses')),
  route('/courses/{sourcedId}', 'courses', true, CORE, one('courses', 'course')),
  route('/courses/{courseSourcedId}/classes', 'classes', false, NESTED, (c, [id = '']) =>
    c.dataset.courses.has(id)
      ? collection(
          'classes',
          c.indexes.lookup('classes', 'by:course', (k: Class) => k.course?.sourcedId, id),
        )
      : notFound('course', id),
  ),
  route('/demographics', 'demographics', false, DEMOGRAPHICS, all('demographics')),
  route(
    '/demographics/{sourcedId}',
    'demographics',
    true,
    DEMOGRAPHICS,
    one('demographics', 'demographics'),
  ),
  route('/enrollments', 'enrollments', false, CORE, all('enrollments')),
  route('/enrollments/{sourcedId}', 'enrollments', true, CORE, one('enrollments', 'enrollment')),
  route(
    '/gradingPeriods',
    'academicSessions',
    false,
    CORE,
    filtered('academicSessions', 'gradingPeriod', (s) => s.type === 'gradingPeriod'),
  ),
  route(
    '/gradingPeriods/{sourcedId}',
    'academicSessions',
    true,
    CORE,
    one('academicSessions', 'grading period', (s) => s.type === 'gradingPeriod'),
  ),
  route('/orgs', 'orgs', false, CORE, all('orgs')),
  route('/orgs/{sourcedId}', 'orgs', true, CORE, one('orgs', 'org')),
  route('/schools', 'orgs', false, CORE, filtered('orgs', 'school', isSchool)),
  route('/schools/{sourcedId}', 'orgs', true, CORE, one('orgs', 'school', isSchool)),
  route('/schools/{schoolSourcedId}/classes', 'classes', false, NESTED, (c, [id = '']) =>
    school(c, id)
      ? collection(
          'classes',
          c.indexes.lookup('classes', 'by:school', (k) => k.school.sourcedId, id),
        )
      : notFound('school', id),
  ),
  route(
    '/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments',
    'enrollments',
    false,
    NESTED,
    (c, [s = '', k = '']) => {
      const found = classInSchool(c, s, k);
      if (found.error) return found.error;
      return collection(
        'enrollments',
        c.indexes.lookup('enrollments', 'by:class', (e) => e.class?.sourcedId, k),
      );
    },
  ),
  route(
    '/schools/{schoolSourcedId}/classes/{classSourcedId}/students',
    'users',
    false,
    NESTED,
    (c, [s = '', k = '']) => {
      const found = classInSchool(c, s, k);
      return found.error ?? collection('users', usersOfClass(c, k, 'student'));
    },
  ),
  route(
    '/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers',
    'users',
    false,
    NESTED,
    (c, [s = '', k = '']) => {
      const found = classInSchool(c, s, k);
      return found.error ?? collection('users', usersOfClass(c, k, 'teacher'));
    },
  ),
  route('/schools/{schoolSourcedId}/courses', 'courses', false, NESTED, (c, [id = '']) =>
    school(c, id)
      ? collection(
          'courses',
          c.indexes.lookup('courses', 'by:org', (k) => k.org?.sourcedId, id),
        )
      : notFound('school', id),
  ),
  route('/schools/{schoolSourcedId}/enrollments', 'enrollments', false, NESTED, (c, [id = '']) =>
    school(c, id)
      ? collection(
          'enrollments',
          c.indexes.lookup('enrollments', 'by:school', (e) => e.school?.sourcedId, id),
        )
      : notFound('school', id),
  ),
  route('/schools/{schoolSourcedId}/students', 'users', false, NESTED, (c, [id = '']) =>
    school(c, id) ? collection('users', usersAtSchool(c, id, 'student')) : notFound('school', id),
  ),
  route('/schools/{schoolSourcedId}/teachers', 'users', false, NESTED, (c, [id = '']) =>
    school(c, id) ? collection('users', usersAtSchool(c, id, 'teacher')) : notFound('school', id),
  ),
  route('/schools/{schoolSourcedId}/terms', 'academicSessions', false, NESTED, (c, [id = '']) => {
    if (!school(c, id)) return notFound('school', id);
    // 1.2 sessions have no org link (oneroster.md §4.2): a school's terms are the terms its
    // classes are scheduled in.
    const classes = c.indexes.lookup('classes', 'by:school', (k) => k.school.sourcedId, id);
    const ids = new Set<string>();
    for (const p of classes)
      for (const t of c.dataset.classes.at(p)?.terms ?? []) ids.add(t.sourcedId);
    const terms = [...ids].filter((t) => session(c, t, 'term'));
    return collection('academicSessions', positionsOf(c, 'academicSessions', terms));
  }),
  route('/students', 'users', false, CORE, filtered('users', 'student', isStudent)),
  route('/students/{sourcedId}', 'users', true, CORE, one('users', 'student', isStudent)),
  route('/students/{studentSourcedId}/classes', 'classes', false, NESTED, (c, [id = '']) => {
    const user = c.dataset.users.get(id);
    return user && isStudent(user)
      ? collection('classes', classesOfUser(c, id, 'student'))
      : notFound('student', id);
  }),
  route('/teachers', 'users', false, CORE, filtered('users', 'teacher', isTeacher)),
  route('/teachers/{sourcedId}', 'users', true, CORE, one('users', 'teacher', isTeacher)),
  route('/teachers/{teacherSourcedId}/classes', 'classes', false, NESTED, (c, [id = '']) => {
    const user = c.dataset.users.get(id);
    return user && isTeacher(user)
      ? collection('classes', classesOfUser(c, id, 'teacher'))
      : notFound('teacher', id);
  }),
  route(
    '/terms',
    'academicSessions',
    false,
    CORE,
    filtered('academicSessions', 'term', (s) => s.type === 'term'),
  ),
  route(
    '/terms/{sourcedId}',
    'academicSessions',
    true,
    CORE,
    one('academicSessions', 'term', (s) => s.type === 'term'),
  ),
  route('/terms/{termSourcedId}/classes', 'classes', false, NESTED, (c, [id = '']) =>
    session(c, id, 'term')
      ? collection(
          'classes',
          c.indexes.lookup('classes', 'by:term', (k) => k.terms.map((t) => t.sourcedId), id),
        )
      : notFound('term', id),
  ),
  route(
    '/terms/{termSourcedId}/gradingPeriods',
    'academicSessions',
    false,
    NESTED,
    (c, [id = '']) =>
      session(c, id, 'term')
        ? collection(
            'academicSessions',
            c.indexes.lookup(
              'academicSessions',
              'gradingPeriods:by:parent',
              (s) => (s.type === 'gradingPeriod' ? s.parent?.sourcedId : undefined),
              id,
            ),
          )
        : notFound('term', id),
  ),
  route('/users', 'users', false, CORE, all('users')),
  route('/users/{sourcedId}', 'users', true, CORE, one('users', 'user')),
  route('/users/{userSourcedId}/classes', 'classes', false, NESTED, (c, [id = '']) =>
    c.dataset.users.has(id) ? collection('classes', classesOfUser(c, id)) : notFound('user', id),
  ),
];

/** Find the route of a path relative to the base (segments already decoded), with its parameters. */
export function matchRoute(
  segments: readonly string[],
): { route: RouteDef; params: string[] } | undefined {
  for (const candidate of ROUTES) {
    if (candidate.segments.length !== segments.length) continue;
    const params: string[] = [];
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      const expected = candidate.segments[i] as string;
      const actual = segments[i] as string;
      if (expected.startsWith('{')) {
        if (actual === '') {
          ok = false;
          break;
        }
        params.push(actual);
      } else if (expected !== actual) {
        ok = false;
        break;
      }
    }
    if (ok) return { route: candidate, params };
  }
  return undefined;
}
