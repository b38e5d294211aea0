/**
 * Shared helpers of the testing-kit tests: the operations index (the list of endpoints, taken
 * from the specification, not from the mock's own route table) and real ids to fill path
 * parameters with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYNC_RESOURCES } from '../../src/models/types';
import type { Dataset } from '../../src/testing';

/** One operation of the derived operations index (`test/fixtures/oneroster-operations-index.json.txt`). */
export interface Operation {
  service?: string;
  method: string;
  path: string;
  operationId?: string;
  responseSchema?: string | null;
  responseWrapperKey: string | null;
  scopes?: string[];
}

const fixtures = join(import.meta.dirname, '..', 'fixtures');

/** Read a fixture file as JSON. */
export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;
}

/** The Rostering GET operations of a version, from the specification-derived index. */
export function rosteringOperations(version: '1.1' | '1.2'): Operation[] {
  const index = readFixtureJson<{ v1p1: Operation[]; v1p2: Operation[] }>(
    'oneroster-operations-index.json.txt',
  );
  if (version === '1.2') return index.v1p2.filter((op) => op.service === 'rostering');
  // 1.1 has one service; its Rostering operations are the paths the 1.2 Rostering service has.
  const rostering = new Set(
    rosteringOperations('1.2').map((op) => op.path.replace(/\{[^}]+\}/g, '{}')),
  );
  return index.v1p1.filter((op) => rostering.has(op.path.replace(/\{[^}]+\}/g, '{}')));
}

/** Ids in a dataset that make every path parameter resolve to a non-empty answer. */
export function pathIds(dataset: Dataset) {
  const school = dataset.orgs.toArray().find((o) => o.type === 'school');
  if (!school) throw new Error('dataset has no school');
  const enrollment = dataset.enrollments
    .toArray()
    .find((e) => e.role === 'student' && e.school.sourcedId === school.sourcedId);
  if (!enrollment) throw new Error('dataset has no student enrollment');
  const classId = enrollment.class.sourcedId;
  const klass = dataset.classes.get(classId);
  const term = dataset.academicSessions
    .toArray()
    .find((s) => s.type === 'term' && s.children?.length);
  const gradingPeriod = dataset.academicSessions.toArray().find((s) => s.type === 'gradingPeriod');
  const teacher = dataset.enrollments
    .toArray()
    .find((e) => e.role === 'teacher' && e.class.sourcedId === classId);
  if (!klass || !term || !gradingPeriod || !teacher)
    throw new Error('dataset lacks a needed record');
  return {
    school: school.sourcedId,
    class: classId,
    course: klass.course?.sourcedId ?? '',
    student: enrollment.user.sourcedId,
    teacher: teacher.user.sourcedId,
    term: term.sourcedId,
    gradingPeriod: gradingPeriod.sourcedId,
    enrollment: enrollment.sourcedId,
    session: term.sourcedId,
    org: school.sourcedId,
  };
}

/** Fill an operation's path template with ids that exist. */
export function fillPath(template: string, ids: ReturnType<typeof pathIds>): string {
  const root = template.split('/')[1] ?? '';
  const bySingle: Record<string, string> = {
    academicSessions: ids.session,
    classes: ids.class,
    courses: ids.course,
    demographics: ids.student,
    enrollments: ids.enrollment,
    gradingPeriods: ids.gradingPeriod,
    orgs: ids.org,
    schools: ids.school,
    students: ids.student,
    teachers: ids.teacher,
    terms: ids.term,
    users: ids.student,
  };
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    switch (name.replace(/SourcedId$|_id$/, '')) {
      case 'class':
        return ids.class;
      case 'course':
        return ids.course;
      case 'school':
        return ids.school;
      case 'student':
        return ids.student;
      case 'teacher':
        return ids.teacher;
      case 'term':
        return ids.term;
      case 'user':
        return ids.student;
      default:
        return bySingle[root] ?? '';
    }
  });
}

/** Every reference in a dataset resolves, and the district's invariants hold. */
export function checkIntegrity(dataset: Dataset): string[] {
  const problems: string[] = [];
  const has = (kind: (typeof SYNC_RESOURCES)[number], id: string | undefined, where: string) => {
    if (id === undefined || !dataset.collection(kind).has(id))
      problems.push(`${where} -> missing ${kind} ${id}`);
  };
  for (const org of dataset.orgs) {
    if (org.parent) has('orgs', org.parent.sourcedId, `org ${org.sourcedId}.parent`);
    for (const child of org.children ?? [])
      has('orgs', child.sourcedId, `org ${org.sourcedId}.children`);
  }
  for (const s of dataset.academicSessions) {
    if (s.parent) has('academicSessions', s.parent.sourcedId, `session ${s.sourcedId}.parent`);
    for (const c of s.children ?? [])
      has('academicSessions', c.sourcedId, `session ${s.sourcedId}.children`);
  }
  for (const c of dataset.courses)
    if (c.org) has('orgs', c.org.sourcedId, `course ${c.sourcedId}.org`);
  const primaries = new Map<string, number>();
  for (const k of dataset.classes) {
    has('orgs', k.school.sourcedId, `class ${k.sourcedId}.school`);
    has('courses', k.course?.sourcedId, `class ${k.sourcedId}.course`);
    for (const t of k.terms) has('academicSessions', t.sourcedId, `class ${k.sourcedId}.terms`);
    if (k.status === 'active') primaries.set(k.sourcedId, 0);
  }
  const usernames = new Set<string>();
  for (const u of dataset.users) {
    if (u.username !== undefined) {
      if (usernames.has(u.username)) problems.push(`duplicate username ${u.username}`);
      usernames.add(u.username);
    }
    for (const r of u.roles) has('orgs', r.org.sourcedId, `user ${u.sourcedId}.roles`);
    for (const a of u.agents ?? []) {
      has('users', a.sourcedId, `user ${u.sourcedId}.agents`);
      const back = dataset.users.get(a.sourcedId)?.agents ?? [];
      if (!back.some((b) => b.sourcedId === u.sourcedId))
        problems.push(`agents of ${u.sourcedId} not two-way`);
    }
  }
  for (const e of dataset.enrollments) {
    has('users', e.user.sourcedId, `enrollment ${e.sourcedId}.user`);
    has('classes', e.class.sourcedId, `enrollment ${e.sourcedId}.class`);
    has('orgs', e.school.sourcedId, `enrollment ${e.sourcedId}.school`);
    const klass = dataset.classes.get(e.class.sourcedId);
    if (klass && klass.school.sourcedId !== e.school.sourcedId)
      problems.push(`enrollment ${e.sourcedId} school differs from its class's`);
    if (
      e.role === 'teacher' &&
      e.primary &&
      e.status === 'active' &&
      primaries.has(e.class.sourcedId)
    ) {
      primaries.set(e.class.sourcedId, (primaries.get(e.class.sourcedId) ?? 0) + 1);
    }
    if (klass && e.beginDate && e.endDate) {
      const terms = klass.terms.map((t) => dataset.academicSessions.get(t.sourcedId));
      const start = terms.map((t) => t?.startDate ?? '').sort()[0] ?? '';
      const end =
        terms
          .map((t) => t?.endDate ?? '')
          .sort()
          .at(-1) ?? '';
      if (e.beginDate < start || e.endDate > end || e.beginDate >= e.endDate) {
        problems.push(
          `enrollment ${e.sourcedId} dates ${e.beginDate}..${e.endDate} outside ${start}..${end}`,
        );
      }
    }
  }
  for (const [klass, n] of primaries)
    if (n !== 1) problems.push(`class ${klass} has ${n} primary teachers`);
  for (const d of dataset.demographics) {
    const user = dataset.users.get(d.sourcedId);
    if (!user?.roles.some((r) => r.role === 'student'))
      problems.push(`demographics ${d.sourcedId} is not a student's`);
  }
  const latest = Date.parse(dataset.latestModified);
  for (const kind of SYNC_RESOURCES) {
    for (const r of dataset.collection(kind)) {
      if (!(Date.parse(r.dateLastModified) <= latest))
        problems.push(`${kind} ${r.sourcedId} modified after latestModified`);
    }
  }
  return problems;
}
