/**
 * The `Editor` behind `mutate()`: applies one change at a time with its cascades, never touches
 * a record twice in one run, and records every change it makes.
 *
 * @module
 */

import { ConfigurationError } from '../../errors';
import type {
  Class,
  Demographics,
  Enrollment,
  OneRosterRecord,
  RecordTypes,
  Ref,
  SyncResource,
  User,
} from '../../models/types';
import { SYNC_RESOURCES } from '../../models/types';
import type { Random } from '../random';
import type { Dataset } from './dataset';
import type { HardDeletable, IdsByResource, MutationChanges } from './mutate';
import { FAMILY_NAMES, GIVEN_NAMES } from './names';
import { slug } from './options';

/** Pick `k` distinct items (partial Fisher-Yates). */
export function sample<T>(items: T[], k: number, random: Random): T[] {
  const n = Math.min(k, items.length);
  for (let i = 0; i < n; i++) {
    const j = i + random.int(items.length - i);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items.slice(0, n);
}

/** An empty id list per resource. */
function emptyIds(): IdsByResource {
  const out = {} as IdsByResource;
  for (const kind of SYNC_RESOURCES) out[kind] = [];
  return out;
}

/** Applies changes and records them. Lookup maps are built once, on first need. */
export class Editor {
  readonly changes: MutationChanges = {
    created: emptyIds(),
    updated: emptyIds(),
    tobedeleted: emptyIds(),
    hardDeleted: emptyIds(),
    movedEnrollments: [],
  };
  readonly #dataset: Dataset;
  readonly #at: string;
  readonly #random: Random;
  readonly #touched = new Map<SyncResource, Set<string>>();
  // Arrays, not Sets: a million enrollments in per-user Sets cost several times the memory and
  // time, and the lists are short.
  #enrollmentsByUser: Map<string, string[]> | undefined;
  #enrollmentsByClass: Map<string, string[]> | undefined;
  #classesBySchool: Map<string, string[]> | undefined;
  /** Classes deleted or marked tobedeleted in this run (no longer enrollable). */
  readonly #closedClasses = new Set<string>();
  #usersBySchool: Map<string, { students: string[]; teachers: string[] }> | undefined;

  constructor(dataset: Dataset, at: string, random: Random) {
    this.#dataset = dataset;
    this.#at = at;
    this.#random = random;
  }

  #touch(kind: SyncResource, id: string): boolean {
    let set = this.#touched.get(kind);
    if (!set) {
      set = new Set();
      this.#touched.set(kind, set);
    }
    if (set.has(id)) return false;
    set.add(id);
    return true;
  }

  #isTouched(kind: SyncResource, id: string): boolean {
    return this.#touched.get(kind)?.has(id) ?? false;
  }

  /**
   * Up to `k` distinct untouched records passing `test`, at random. When `k` is small next to
   * the collection, records are drawn by position (no full scan: a day of changes to a
   * million-record district stays fast); otherwise, or if draws keep missing, every candidate is
   * listed and sampled.
   */
  pick<K extends SyncResource>(
    kind: K,
    k: number,
    test: (record: OneRosterRecord) => boolean,
  ): string[] {
    if (k <= 0) return [];
    const collection = this.#dataset.collection(kind);
    const size = collection.size;
    if (k * 8 <= size) {
      const seen = new Set<number>();
      const out: string[] = [];
      for (let tries = 0; out.length < k && tries < k * 40; tries++) {
        const position = this.#random.int(size);
        if (seen.has(position)) continue;
        seen.add(position);
        const record = collection.at(position) as OneRosterRecord;
        if (!this.#isTouched(kind, record.sourcedId) && test(record)) out.push(record.sourcedId);
      }
      if (out.length === k) return out;
    }
    const all = this.candidates(kind, test);
    return sample(all, Math.min(k, all.length), this.#random);
  }

  /** sourcedIds of untouched records passing `test`. */
  candidates<K extends SyncResource>(
    kind: K,
    test: (record: OneRosterRecord) => boolean,
  ): string[] {
    const out: string[] = [];
    for (const record of this.#dataset.collection(kind)) {
      if (!this.#isTouched(kind, record.sourcedId) && test(record)) {
        out.push(record.sourcedId);
      }
    }
    return out;
  }

  #save<K extends SyncResource>(
    kind: K,
    record: RecordTypes[K],
    list: keyof MutationChanges,
  ): void {
    const result = this.#dataset.collection(kind).set(record);
    if (list !== 'movedEnrollments') this.changes[list][kind].push(record.sourcedId);
    if (result === 'created') this.#index(kind, record);
  }

  /** A copy of a stored record to edit (stored records are frozen). */
  #copy<K extends SyncResource>(kind: K, id: string): RecordTypes[K] | undefined {
    const record = this.#dataset.collection(kind).get(id);
    return record === undefined ? undefined : (structuredClone(record) as RecordTypes[K]);
  }

  // ---- lookups ----

  #byUser(): Map<string, string[]> {
    if (!this.#enrollmentsByUser) this.#buildEnrollmentMaps();
    return this.#enrollmentsByUser as Map<string, string[]>;
  }

  #byClass(): Map<string, string[]> {
    if (!this.#enrollmentsByClass) this.#buildEnrollmentMaps();
    return this.#enrollmentsByClass as Map<string, string[]>;
  }

  #buildEnrollmentMaps(): void {
    const byUser = new Map<string, string[]>();
    const byClass = new Map<string, string[]>();
    for (const e of this.#dataset.enrollments) {
      add(byUser, e.user.sourcedId, e.sourcedId);
      add(byClass, e.class.sourcedId, e.sourcedId);
    }
    this.#enrollmentsByUser = byUser;
    this.#enrollmentsByClass = byClass;
  }

  #classes(schoolId: string): string[] {
    if (!this.#classesBySchool) {
      const map = new Map<string, string[]>();
      for (const k of this.#dataset.classes) {
        if (k.status !== 'active') continue;
        const list = map.get(k.school.sourcedId) ?? [];
        list.push(k.sourcedId);
        map.set(k.school.sourcedId, list);
      }
      this.#classesBySchool = map;
    }
    // Classes deleted or marked earlier in this run drop out here.
    const list = this.#classesBySchool.get(schoolId) ?? [];
    return this.#closedClasses.size === 0 ? list : list.filter((k) => !this.#closedClasses.has(k));
  }

  #people(schoolId: string): { students: string[]; teachers: string[] } {
    if (!this.#usersBySchool) {
      const map = new Map<string, { students: string[]; teachers: string[] }>();
      for (const user of this.#dataset.users) {
        if (user.status !== 'active') continue;
        for (const role of user.roles) {
          if (role.roleType !== 'primary') continue;
          const entry = map.get(role.org.sourcedId) ?? { students: [], teachers: [] };
          if (role.role === 'student') entry.students.push(user.sourcedId);
          if (role.role === 'teacher') entry.teachers.push(user.sourcedId);
          map.set(role.org.sourcedId, entry);
        }
      }
      this.#usersBySchool = map;
    }
    return this.#usersBySchool.get(schoolId) ?? { students: [], teachers: [] };
  }

  #index<K extends SyncResource>(kind: K, record: RecordTypes[K]): void {
    if (kind === 'enrollments' && this.#enrollmentsByUser) {
      const e = record as Enrollment;
      add(this.#enrollmentsByUser, e.user.sourcedId, e.sourcedId);
      add(this.#byClass(), e.class.sourcedId, e.sourcedId);
    }
  }

  studentCount(): number {
    let n = 0;
    for (const org of this.#dataset.orgs)
      if (org.type === 'school') n += this.#people(org.sourcedId).students.length;
    return n;
  }

  teacherCount(): number {
    let n = 0;
    for (const org of this.#dataset.orgs)
      if (org.type === 'school') n += this.#people(org.sourcedId).teachers.length;
    return n;
  }

  #schools(): string[] {
    const out: string[] = [];
    for (const org of this.#dataset.orgs) {
      if (
        org.type === 'school' &&
        org.status === 'active' &&
        this.#classes(org.sourcedId).length > 0
      ) {
        out.push(org.sourcedId);
      }
    }
    if (out.length === 0) {
      throw new ConfigurationError(
        'add',
        'the dataset has no active school with classes to add records to',
      );
    }
    return out;
  }

  // ---- operations ----

  hardDelete(kind: HardDeletable, id: string): void {
    if (!this.#touch(kind, id)) return;
    const collection = this.#dataset.collection(kind);
    const record = collection.get(id);
    if (!record) return;
    collection.delete(id);
    this.changes.hardDeleted[kind].push(id);
    if (kind === 'classes') this.#closedClasses.add(id);
    if (kind === 'classes') {
      for (const e of [...(this.#byClass().get(id) ?? [])]) this.hardDelete('enrollments', e);
    } else if (kind === 'users') {
      for (const e of [...(this.#byUser().get(id) ?? [])]) this.hardDelete('enrollments', e);
      if (this.#dataset.demographics.has(id)) this.hardDelete('demographics', id);
      // Keep `agents` two-way and dangling-free: drop the deleted user from its counterparts.
      for (const agent of (record as User).agents ?? []) {
        const other = this.#dataset.users.get(agent.sourcedId);
        if (!other || this.#isTouched('users', other.sourcedId)) continue;
        this.#touch('users', other.sourcedId);
        const copy = structuredClone(other);
        const rest = (copy.agents ?? []).filter((a) => a.sourcedId !== id);
        if (rest.length > 0) copy.agents = rest;
        else delete copy.agents;
        copy.dateLastModified = this.#at;
        this.#save('users', copy, 'updated');
      }
    } else if (kind === 'enrollments') {
      const e = record as Enrollment;
      remove(this.#byUser(), e.user.sourcedId, id);
      remove(this.#byClass(), e.class.sourcedId, id);
    }
  }

  markToBeDeleted(kind: SyncResource, id: string): void {
    if (!this.#touch(kind, id)) return;
    const copy = this.#copy(kind, id);
    if (!copy) return;
    copy.status = 'tobedeleted';
    copy.dateLastModified = this.#at;
    if (kind === 'classes') this.#closedClasses.add(id);
    this.#save(kind, copy, 'tobedeleted');
    const cascade =
      kind === 'users'
        ? this.#byUser().get(id)
        : kind === 'classes'
          ? this.#byClass().get(id)
          : undefined;
    for (const e of [...(cascade ?? [])]) {
      if (this.#dataset.enrollments.get(e)?.status === 'active')
        this.markToBeDeleted('enrollments', e);
    }
    if (kind === 'users' && this.#dataset.demographics.get(id)?.status === 'active') {
      this.markToBeDeleted('demographics', id);
    }
  }

  update(kind: SyncResource, id: string): void {
    if (!this.#touch(kind, id)) return;
    const copy = this.#copy(kind, id);
    if (!copy) return;
    const random = this.#random;
    switch (kind) {
      case 'orgs': {
        const org = copy as RecordTypes['orgs'];
        org.name = `${org.name} - North Campus`;
        break;
      }
      case 'academicSessions': {
        const s = copy as RecordTypes['academicSessions'];
        s.title = `${s.title} (revised)`;
        break;
      }
      case 'courses': {
        const c = copy as RecordTypes['courses'];
        c.title = `Advanced ${c.title}`;
        break;
      }
      case 'classes': {
        const c = copy as Class;
        c.location = `Room ${200 + random.int(60)}`;
        c.periods = [String(1 + random.int(8))];
        break;
      }
      case 'users': {
        const u = copy as User;
        const change = random.int(3);
        if (change === 0) u.familyName = pickOther(random, FAMILY_NAMES, u.familyName);
        else if (change === 1) u.enabledUser = !u.enabledUser;
        else {
          const [local = 'user', domain = 'example.org'] = (u.email ?? '').split('@');
          u.email = `${local}.${slug(u.givenName).slice(0, 3)}@${domain}`;
        }
        break;
      }
      case 'enrollments': {
        const e = copy as Enrollment;
        // Dropped mid-term: the enrollment now ends before the term does.
        if (e.beginDate && e.endDate) {
          const begin = Date.parse(e.beginDate);
          const end = Date.parse(e.endDate);
          const days = Math.max(1, Math.floor((end - begin) / 86_400_000));
          e.endDate = new Date(begin + (1 + random.int(days)) * 86_400_000)
            .toISOString()
            .slice(0, 10);
        } else {
          e.endDate = this.#at.slice(0, 10);
        }
        break;
      }
      case 'demographics': {
        const d = copy as Demographics;
        d.cityOfBirth = d.cityOfBirth === 'Springfield' ? 'Riverton' : 'Springfield';
        break;
      }
    }
    copy.dateLastModified = this.#at;
    this.#save(kind, copy, 'updated');
  }

  /** Move a student enrollment to another class of the same school; false if none fits. */
  move(id: string): boolean {
    const enrollment = this.#dataset.enrollments.get(id);
    if (!enrollment || this.#isTouched('enrollments', id)) return false;
    const taken = new Set<string>();
    for (const e of this.#byUser().get(enrollment.user.sourcedId) ?? []) {
      const found = this.#dataset.enrollments.get(e);
      if (found) taken.add(found.class.sourcedId);
    }
    const options = this.#classes(enrollment.school.sourcedId).filter(
      (k) => !taken.has(k) && !this.#isTouched('classes', k),
    );
    if (options.length === 0) return false;
    const target = this.#random.pick(options);
    const targetClass = this.#dataset.classes.get(target) as Class;
    this.#touch('enrollments', id);
    const copy = structuredClone(enrollment);
    remove(this.#byClass(), copy.class.sourcedId, id);
    copy.class = { sourcedId: target, type: 'class' };
    Object.assign(copy, this.#datesOf(targetClass));
    copy.dateLastModified = this.#at;
    add(this.#byClass(), target, id);
    this.#save('enrollments', copy, 'updated');
    this.changes.movedEnrollments.push(id);
    return true;
  }

  /** Begin and end dates spanning a class's terms. */
  #datesOf(k: Class): { beginDate?: string; endDate?: string } {
    const sessions = k.terms
      .map((t) => this.#dataset.academicSessions.get(t.sourcedId))
      .filter((s) => s !== undefined);
    if (sessions.length === 0) return {};
    const begin = sessions.map((s) => s.startDate).sort()[0] as string;
    const end = sessions.map((s) => s.endDate).sort()[sessions.length - 1] as string;
    return { beginDate: begin, endDate: end };
  }

  #newUser(schoolId: string, role: 'student' | 'teacher', grades: string[] | undefined): User {
    const random = this.#random;
    const id = this.#dataset.newId('users');
    const givenName = random.pick(GIVEN_NAMES);
    const familyName = random.pick(FAMILY_NAMES);
    const digits = id.replace(/\D/g, '');
    const username = `${slug(givenName).slice(0, 1)}${slug(familyName).slice(0, 12)}n${digits}`;
    const domain = this.#dataset.options?.emailDomain ?? 'district.example.org';
    const org: Ref = { sourcedId: schoolId, type: 'org' };
    const identifier = `${role === 'student' ? 'S' : 'T'}N${digits}`;
    const user: User = {
      sourcedId: id,
      status: 'active',
      dateLastModified: this.#at,
      enabledUser: true,
      username,
      givenName,
      familyName,
      roles: [{ roleType: 'primary', role, org }],
      identifier,
      userIds: [{ type: role === 'student' ? 'studentNumber' : 'staffNumber', identifier }],
      email: `${username}@${role === 'student' ? 'students.' : ''}${domain}`,
      primaryOrg: org,
    };
    if (grades !== undefined && grades.length > 0) user.grades = [random.pick(grades)];
    this.#touch('users', id);
    this.#save('users', user, 'created');
    const entry = this.#people(schoolId);
    (role === 'student' ? entry.students : entry.teachers).push(id);
    return user;
  }

  #enroll(user: User, k: Class, role: 'student' | 'teacher', primary?: boolean): void {
    const id = this.#dataset.newId('enrollments');
    const enrollment: Enrollment = {
      sourcedId: id,
      status: 'active',
      dateLastModified: this.#at,
      user: { sourcedId: user.sourcedId, type: 'user' },
      class: { sourcedId: k.sourcedId, type: 'class' },
      school: { sourcedId: k.school.sourcedId, type: 'org' },
      role,
      ...this.#datesOf(k),
    };
    if (primary !== undefined) enrollment.primary = primary;
    this.#touch('enrollments', id);
    this.#save('enrollments', enrollment, 'created');
  }

  addStudent(): void {
    const random = this.#random;
    const school = random.pick(this.#schools());
    const classIds = this.#classes(school);
    const classes = sample(
      [...classIds],
      this.#dataset.options?.classesPerStudent ?? 6,
      random,
    ).map((k) => this.#dataset.classes.get(k) as Class);
    const user = this.#newUser(school, 'student', classes[0]?.grades);
    for (const k of classes) this.#enroll(user, k, 'student');
    const demographics: Demographics = {
      sourcedId: user.sourcedId,
      status: 'active',
      dateLastModified: this.#at,
      sex: random.chance(0.5) ? 'female' : 'male',
      countryOfBirthCode: 'US',
    };
    this.#touch('demographics', user.sourcedId);
    this.#save('demographics', demographics, 'created');
  }

  addTeacher(): void {
    const school = this.#random.pick(this.#schools());
    const user = this.#newUser(school, 'teacher', undefined);
    const k = this.#dataset.classes.get(this.#random.pick(this.#classes(school))) as Class;
    this.#enroll(user, k, 'teacher', false);
  }

  addClass(): void {
    const random = this.#random;
    const school = random.pick(this.#schools());
    const model = this.#dataset.classes.get(random.pick(this.#classes(school))) as Class;
    const id = this.#dataset.newId('classes');
    const copy = structuredClone(model);
    copy.sourcedId = id;
    copy.status = 'active';
    copy.dateLastModified = this.#at;
    copy.title = `${model.title.replace(/ - Section \d+$/, '')} - Section N${id.replace(/\D/g, '')}`;
    if (copy.classCode !== undefined) copy.classCode = `${copy.classCode}-N`;
    this.#touch('classes', id);
    this.#save('classes', copy, 'created');
    this.#classesBySchool?.get(school)?.push(id);
    const teachers = this.#people(school).teachers.filter(
      (t) => this.#dataset.users.get(t)?.status === 'active',
    );
    if (teachers.length > 0) {
      const teacher = this.#dataset.users.get(random.pick(teachers)) as User;
      this.#enroll(teacher, copy, 'teacher', true);
    }
  }
}

function add(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function remove(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  const at = list?.indexOf(value) ?? -1;
  if (list && at >= 0) list.splice(at, 1);
}

function pickOther(random: Random, items: readonly string[], current: string): string {
  for (let i = 0; i < 8; i++) {
    const pick = random.pick(items);
    if (pick !== current) return pick;
  }
  return `${current}-Smith`;
}
