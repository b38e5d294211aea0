/**
 * `generateDistrict()`: a deterministic OneRoster district built from a seed. Records are not
 * stored: each is built on demand from the seed and its index (see `layout.ts`), so generating
 * 100,000 users and 1,000,000 enrollments is instant and costs memory only for what is read.
 *
 * @module
 */
import type {
  AcademicSession,
  Class,
  Course,
  Demographics,
  Enrollment,
  Org,
  Ref,
  User,
  UserRole,
} from '../../models/types';
import { hashSeed, mix, recordRandom } from '../random';
import { RecordCollection, type RecordSource } from './collection';
import { Dataset, ID_PREFIX } from './dataset';
import { DistrictLayout } from './layout';
import { CITIES, FAMILY_NAMES, GIVEN_NAMES, SCHOOL_STEMS, STATES, SUBJECTS } from './names';
import { type GenerateDistrictOptions, resolveDistrictOptions, slug } from './options';

const DAY_MS = 86_400_000;
/** Generated `dateLastModified` values spread over this many seconds before `modifiedBefore`. */
const MODIFIED_SPAN_S = 90 * 86_400;

function pad(index: number, width: number): string {
  return String(index).padStart(width, '0');
}

function idWidth(size: number): number {
  return Math.max(4, String(size).length);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const dayPrefixes = new Map<number, string>();
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * `new Date(ms).toISOString()` for non-negative instants, about ten times faster: the date part
 * is cached per day and only the time is formatted. (`toISOString` dominated the cost of
 * building a record.)
 */
function instant(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size > 4096) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  const millis = inDay - seconds * 1000;
  return `${prefix}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Memoise a function of a small integer domain (course and class shapes, day offsets). */
function memo<T>(size: number, build: (index: number) => T): (index: number) => T {
  const cache: Array<T | undefined> = new Array(size);
  return (index) => {
    let value = cache[index];
    if (value === undefined) {
      value = build(index);
      cache[index] = value;
    }
    return value;
  };
}

/** `slug()` of a word-list entry; the lists are small, so every slug is computed once. */
const slugCache = new Map<string, string>();
function cachedSlug(word: string): string {
  let value = slugCache.get(word);
  if (value === undefined) {
    value = slug(word);
    slugCache.set(word, value);
  }
  return value;
}

/** Salts that keep the per-kind random streams independent of each other. */
const SALT = {
  modified: 1,
  names: 2,
  users: 3,
  classes: 4,
  enrollments: 5,
  demographics: 6,
  offsets: 7,
} as const;

/**
 * Generate a deterministic OneRoster district: a district org and its schools, a school year
 * with terms and grading periods, courses, classes, students, teachers, administrators,
 * guardians (linked to students through `agents`, both ways), enrollments (one primary teacher
 * per class, dates inside the class's terms) and one demographics record per student.
 *
 * The same options give the same dataset byte for byte, on any machine. Records are built on
 * demand, so a 100,000-user, 1,000,000-enrollment district is created in microseconds and
 * served page by page without ever being held in memory.
 *
 * @throws {ConfigurationError} naming the option when an option is invalid.
 *
 * @example
 * ```ts
 * import { generateDistrict } from '@smartpass/oneroster/testing';
 *
 * const district = generateDistrict({ seed: 42, schools: 2, studentsPerSchool: 50 });
 * district.counts(); // { orgs: 3, academicSessions: 7, users: 171, enrollments: 652, ... }
 * const student = district.users.at(0);
 * ```
 */
export function generateDistrict(options: GenerateDistrictOptions = {}): Dataset {
  const o = resolveDistrictOptions(
    options,
    (seed) => CITIES[hashSeed(seed, 'city') % CITIES.length] as string,
  );
  const layout = new DistrictLayout(o);
  const seedHash = hashSeed(o.seed, 'district');
  const modifiedBefore = Date.parse(o.modifiedBefore);

  const modified = (salt: number, index: number): string => {
    const back = mix(seedHash, index, SALT.modified * 31 + salt) % MODIFIED_SPAN_S;
    return instant(modifiedBefore - back * 1000);
  };

  const width = {
    orgs: idWidth(layout.orgs),
    sessions: idWidth(layout.sessions),
    courses: idWidth(layout.courses),
    classes: idWidth(layout.classes),
    users: idWidth(layout.users),
    enrollments: idWidth(layout.enrollments),
  };
  const orgId = (i: number) => `${ID_PREFIX.orgs}${pad(i, width.orgs)}`;
  const sessionId = (i: number) => `${ID_PREFIX.academicSessions}${pad(i, width.sessions)}`;
  const courseId = (i: number) => `${ID_PREFIX.courses}${pad(i, width.courses)}`;
  const classId = (i: number) => `${ID_PREFIX.classes}${pad(i, width.classes)}`;
  const userId = (i: number) => `${ID_PREFIX.users}${pad(i, width.users)}`;
  const enrollmentId = (i: number) => `${ID_PREFIX.enrollments}${pad(i, width.enrollments)}`;

  const orgRef = (i: number): Ref => ({ sourcedId: orgId(i), type: 'org' });
  const sessionRef = (i: number): Ref => ({ sourcedId: sessionId(i), type: 'academicSession' });
  const userRef = (i: number): Ref => ({ sourcedId: userId(i), type: 'user' });

  // ---- academic sessions: [school year, (term, its grading periods) x terms] ----
  const yearStart = Date.UTC(o.schoolYear - 1, 7, 15);
  const yearDays = Math.round((Date.UTC(o.schoolYear, 5, 15) - yearStart) / DAY_MS);
  const dayOf = memo(yearDays + 1, (day) => isoDate(yearStart + day * DAY_MS));
  const termIndex = (t: number) => 1 + t * (1 + layout.gradingPeriodsPerTerm);
  const termDays = (t: number): [number, number] => [
    Math.floor((t * yearDays) / layout.terms),
    Math.floor(((t + 1) * yearDays) / layout.terms),
  ];
  const termTitle = (t: number) =>
    layout.terms === 2
      ? t === 0
        ? `Fall ${o.schoolYear - 1}`
        : `Spring ${o.schoolYear}`
      : `Term ${t + 1} ${o.schoolYear - 1}-${o.schoolYear}`;

  const sessions: RecordSource<AcademicSession> = {
    size: layout.sessions,
    idAt: sessionId,
    recordAt: (i) => {
      const base = {
        sourcedId: sessionId(i),
        status: 'active' as const,
        dateLastModified: modified(2, i),
        schoolYear: String(o.schoolYear),
      };
      if (i === 0) {
        return {
          ...base,
          title: `${o.schoolYear - 1}-${o.schoolYear} School Year`,
          type: 'schoolYear',
          startDate: dayOf(0),
          endDate: dayOf(yearDays),
          children: Array.from({ length: layout.terms }, (_, t) => sessionRef(termIndex(t))),
        };
      }
      const t = Math.floor((i - 1) / (1 + layout.gradingPeriodsPerTerm));
      const within = (i - 1) % (1 + layout.gradingPeriodsPerTerm);
      const [from, to] = termDays(t);
      if (within === 0) {
        const term: AcademicSession = {
          ...base,
          title: termTitle(t),
          type: 'term',
          startDate: dayOf(from),
          endDate: dayOf(to),
          parent: sessionRef(0),
        };
        if (layout.gradingPeriodsPerTerm > 0) {
          term.children = Array.from({ length: layout.gradingPeriodsPerTerm }, (_, g) =>
            sessionRef(i + 1 + g),
          );
        }
        return term;
      }
      const g = within - 1;
      const n = layout.gradingPeriodsPerTerm;
      return {
        ...base,
        title: `${termTitle(t)} Grading Period ${g + 1}`,
        type: 'gradingPeriod',
        startDate: dayOf(from + Math.floor((g * (to - from)) / n)),
        endDate: dayOf(from + Math.floor(((g + 1) * (to - from)) / n)),
        parent: sessionRef(termIndex(t)),
      };
    },
  };

  // ---- orgs: [district, schools] ----
  const districtCode = 1_000_000 + (seedHash % 9_000_000);
  const stemOffset = hashSeed(o.seed, 'schools') % SCHOOL_STEMS.length;
  const schoolName = (s: number) => {
    const stem = SCHOOL_STEMS[(stemOffset + s) % SCHOOL_STEMS.length] as string;
    const round = Math.floor(s / SCHOOL_STEMS.length);
    return `${stem} ${layout.level(s).label}${round > 0 ? ` ${round + 1}` : ''}`;
  };
  const orgs: RecordSource<Org> = {
    size: layout.orgs,
    idAt: orgId,
    recordAt: (i) => {
      const base = {
        sourcedId: orgId(i),
        status: 'active' as const,
        dateLastModified: modified(1, i),
      };
      if (i === 0) {
        return {
          ...base,
          name: o.districtName,
          type: 'district',
          identifier: String(districtCode),
          children: Array.from({ length: layout.schools }, (_, s) => orgRef(s + 1)),
        };
      }
      return {
        ...base,
        name: schoolName(i - 1),
        type: 'school',
        identifier: `${districtCode}${pad(i, 5)}`,
        parent: orgRef(0),
      };
    },
  };

  // ---- courses: coursesPerSchool per school, each one subject for the school's grades ----
  const courseShape = memo(layout.courses, (c: number) => {
    const school = Math.floor(c / layout.coursesPerSchool);
    const local = c % layout.coursesPerSchool;
    const subject = SUBJECTS[local % SUBJECTS.length] as (typeof SUBJECTS)[number];
    const round = Math.floor(local / SUBJECTS.length);
    const level = layout.level(school);
    return {
      school,
      subject,
      grades: [...level.grades],
      title: `${subject.name}${round > 0 ? ` ${round + 1}` : ''} (${level.label})`,
      code: `${cachedSlug(subject.name).slice(0, 4).toUpperCase()}-${pad(c, width.courses)}`,
      // Two courses in three run all year; the rest run one term.
      fullYear: layout.terms === 1 || local % 3 !== 2,
    };
  });
  const courses: RecordSource<Course> = {
    size: layout.courses,
    idAt: courseId,
    recordAt: (c) => {
      const shape = courseShape(c);
      return {
        sourcedId: courseId(c),
        status: 'active',
        dateLastModified: modified(3, c),
        title: shape.title,
        courseCode: shape.code,
        schoolYear: sessionRef(0),
        grades: shape.grades,
        subjects: [shape.subject.name],
        subjectCodes: [shape.subject.code],
        org: orgRef(shape.school + 1),
      };
    },
  };

  // ---- classes: classesPerSchool per school, sections of the school's courses ----
  const classShape = memo(layout.classes, (k: number) => {
    const school = Math.floor(k / layout.classesPerSchool);
    const local = k % layout.classesPerSchool;
    const course = school * layout.coursesPerSchool + (local % layout.coursesPerSchool);
    const shape = courseShape(course);
    const terms = shape.fullYear
      ? Array.from({ length: layout.terms }, (_, t) => t)
      : [local % layout.terms];
    const first = termDays(terms[0] as number)[0];
    const last = termDays(terms[terms.length - 1] as number)[1];
    return { school, local, course, shape, terms, from: first, to: last };
  });
  const classes: RecordSource<Class> = {
    size: layout.classes,
    idAt: classId,
    recordAt: (k) => {
      const c = classShape(k);
      const section = Math.floor(c.local / layout.coursesPerSchool) + 1;
      const period = String((c.local % 8) + 1);
      return {
        sourcedId: classId(k),
        status: 'active',
        dateLastModified: modified(4, k),
        title: `${c.shape.title} - Section ${section}`,
        classCode: `${c.shape.code}-${section}`,
        classType: 'scheduled',
        location: `Room ${100 + (mix(seedHash, k, SALT.classes) % 60)}`,
        grades: c.shape.grades,
        subjects: [c.shape.subject.name],
        subjectCodes: [c.shape.subject.code],
        periods: [period],
        course: { sourcedId: courseId(c.course), type: 'course' },
        school: orgRef(c.school + 1),
        terms: c.terms.map((t) => sessionRef(termIndex(t))),
      };
    },
  };

  // ---- users ----
  const nameOf = (u: number) => {
    const random = recordRandom(seedHash ^ SALT.names, u);
    const givenName = random.pick(GIVEN_NAMES);
    const familyName = random.pick(FAMILY_NAMES);
    const middle = random.chance(0.3) ? random.pick(GIVEN_NAMES) : undefined;
    const preferred = random.chance(0.05) ? random.pick(GIVEN_NAMES) : undefined;
    return { givenName, familyName, middle, preferred };
  };
  const username = (givenName: string, familyName: string, u: number) =>
    `${cachedSlug(givenName).slice(0, 1)}${cachedSlug(familyName).slice(0, 12)}${u}`;
  const studentOffset = (student: number) =>
    mix(seedHash, student, SALT.offsets) % layout.classesPerSchool;

  const users: RecordSource<User> = {
    size: layout.users,
    idAt: userId,
    recordAt: (u) => {
      const slot = layout.userSlot(u);
      const random = recordRandom(seedHash ^ SALT.users, u);
      const name = nameOf(u);
      let familyName = name.familyName;
      if (slot.role === 'guardian')
        familyName = nameOf(layout.studentUser(slot.student)).familyName;
      const login = username(name.givenName, familyName, u);
      const user: User = {
        sourcedId: userId(u),
        status: 'active',
        dateLastModified: modified(5, u),
        enabledUser: true,
        username: login,
        givenName: name.givenName,
        familyName,
        roles: [],
      };
      if (name.middle !== undefined) user.middleName = name.middle;
      if (name.preferred !== undefined) user.preferredFirstName = name.preferred;
      const role = (r: string, org: number, roleType: UserRole['roleType'] = 'primary') =>
        ({ roleType, role: r, org: orgRef(org) }) satisfies UserRole;
      switch (slot.role) {
        case 'student': {
          const grades = layout.level(slot.school).grades;
          const number = `S${pad(slot.student + 1, 7)}`;
          user.enabledUser = !random.chance(0.01);
          user.identifier = number;
          user.userIds = [{ type: 'studentNumber', identifier: number }];
          user.email = `${login}@students.${o.emailDomain}`;
          user.grades = [
            grades[(slot.student % layout.studentsPerSchool) % grades.length] as string,
          ];
          user.roles = [role('student', slot.school + 1)];
          user.primaryOrg = orgRef(slot.school + 1);
          const guardian = layout.guardianUserOf(slot.student);
          if (guardian >= 0) user.agents = [userRef(guardian)];
          break;
        }
        case 'teacher': {
          const number = `T${pad(slot.school * layout.teachersPerSchool + slot.teacher + 1, 6)}`;
          user.identifier = number;
          user.userIds = [{ type: 'staffNumber', identifier: number }];
          user.email = `${login}@${o.emailDomain}`;
          user.roles = [role('teacher', slot.school + 1)];
          // Every seventh teacher also teaches at the next school: multi-org users exist.
          if (layout.schools > 1 && slot.teacher % 7 === 6) {
            user.roles.push(role('teacher', ((slot.school + 1) % layout.schools) + 1, 'secondary'));
          }
          user.primaryOrg = orgRef(slot.school + 1);
          break;
        }
        case 'siteAdministrator': {
          const number = `A${pad(slot.school * layout.adminsPerSchool + slot.admin + 1, 6)}`;
          user.identifier = number;
          user.userIds = [{ type: 'staffNumber', identifier: number }];
          user.email = `${login}@${o.emailDomain}`;
          user.roles = [role('siteAdministrator', slot.school + 1)];
          user.primaryOrg = orgRef(slot.school + 1);
          break;
        }
        case 'districtAdministrator': {
          const number = `D${pad(slot.admin + 1, 6)}`;
          user.identifier = number;
          user.userIds = [{ type: 'staffNumber', identifier: number }];
          user.email = `${login}@${o.emailDomain}`;
          user.roles = [role('districtAdministrator', 0)];
          user.primaryOrg = orgRef(0);
          break;
        }
        case 'guardian': {
          const school = Math.floor(slot.student / layout.studentsPerSchool);
          user.email = `${login}@mail.example.com`;
          user.phone = `+1-555-01${pad(random.int(100), 2)}`;
          if (random.chance(0.5)) user.sms = user.phone;
          user.roles = [role('guardian', school + 1)];
          user.primaryOrg = orgRef(school + 1);
          user.agents = [userRef(layout.studentUser(slot.student))];
          break;
        }
      }
      return user;
    },
  };

  // ---- enrollments: students' classes, then one primary teacher per class, then co-teachers ----
  const enrollments: RecordSource<Enrollment> = {
    size: layout.enrollments,
    idAt: enrollmentId,
    recordAt: (e) => {
      const slot = layout.enrollmentSlot(e, studentOffset);
      const shape = classShape(slot.classIndex);
      let from = shape.from;
      const user = slot.role === 'student' ? layout.studentUser(slot.student) : slot.teacherUser;
      // A few students join a class late (a schedule change): begin dates vary inside the term.
      if (slot.role === 'student') {
        const late = mix(seedHash, e, SALT.enrollments);
        if (late % 25 === 0) from += 1 + ((late >>> 8) % Math.max(1, shape.to - shape.from - 1));
      }
      const enrollment: Enrollment = {
        sourcedId: enrollmentId(e),
        status: 'active',
        dateLastModified: modified(6, e),
        user: userRef(user),
        class: { sourcedId: classId(slot.classIndex), type: 'class' },
        school: orgRef(shape.school + 1),
        role: slot.role,
        beginDate: dayOf(from),
        endDate: dayOf(shape.to),
      };
      if (slot.role === 'teacher') enrollment.primary = slot.primary;
      return enrollment;
    },
  };

  // ---- demographics: one per student, same sourcedId as the user ----
  const demographics: RecordSource<Demographics> = {
    size: layout.students,
    idAt: (d) => userId(layout.studentUser(d)),
    recordAt: (d) => {
      const random = recordRandom(seedHash ^ SALT.demographics, d);
      const school = Math.floor(d / layout.studentsPerSchool);
      const grades = layout.level(school).grades;
      const grade = grades[(d % layout.studentsPerSchool) % grades.length] as string;
      const gradeNumber = grade === 'KG' ? 0 : Number(grade);
      const birthYear = o.schoolYear - 1 - (gradeNumber + 5) - (random.chance(0.7) ? 0 : 1);
      const races = [
        'americanIndianOrAlaskaNative',
        'asian',
        'blackOrAfricanAmerican',
        'nativeHawaiianOrOtherPacificIslander',
        'white',
      ] as const;
      const first = random.int(races.length);
      const second = random.chance(0.1)
        ? (first + 1 + random.int(races.length - 1)) % races.length
        : -1;
      const bornInUs = random.chance(0.88);
      const record: Demographics = {
        sourcedId: userId(layout.studentUser(d)),
        status: 'active',
        dateLastModified: modified(7, d),
        birthDate: `${birthYear}-${pad(1 + random.int(12), 2)}-${pad(1 + random.int(28), 2)}`,
        sex: random.chance(0.5) ? 'female' : 'male',
      };
      for (const [i, race] of races.entries()) record[race] = i === first || i === second;
      record.demographicRaceTwoOrMoreRaces = second >= 0;
      record.hispanicOrLatinoEthnicity = random.chance(0.25);
      record.countryOfBirthCode = bornInUs ? 'US' : random.pick(['MX', 'IN', 'CN', 'VN', 'PH']);
      if (bornInUs) record.stateOfBirthAbbreviation = random.pick(STATES);
      record.cityOfBirth = random.pick(CITIES);
      record.publicSchoolResidenceStatus = random.pick(['01652', '01653', '01654']);
      return record;
    },
  };

  return new Dataset({
    collections: {
      orgs: new RecordCollection('orgs', orgs),
      academicSessions: new RecordCollection('academicSessions', sessions),
      courses: new RecordCollection('courses', courses),
      classes: new RecordCollection('classes', classes),
      users: new RecordCollection('users', users),
      enrollments: new RecordCollection('enrollments', enrollments),
      demographics: new RecordCollection('demographics', demographics),
    },
    latestModified: new Date(modifiedBefore).toISOString(),
    seed: o.seed,
    options: o,
  });
}
