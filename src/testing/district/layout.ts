/**
 * Index arithmetic of a generated district: how many records of each kind exist and which
 * record relates to which, computed from the options alone. Nothing here allocates per record,
 * which is what lets a 1,000,000-enrollment district exist without being stored.
 *
 * @module
 */
import type { ResolvedDistrictOptions } from './options';

/** Grade levels of the three school kinds, by `school % 3`. */
export const LEVELS = [
  { label: 'Elementary School', grades: ['KG', '01', '02', '03', '04', '05'] },
  { label: 'Middle School', grades: ['06', '07', '08'] },
  { label: 'High School', grades: ['09', '10', '11', '12'] },
] as const;

/** What a user index stands for. */
export type UserSlot =
  | { role: 'student'; school: number; student: number }
  | { role: 'teacher'; school: number; teacher: number }
  | { role: 'siteAdministrator'; school: number; admin: number }
  | { role: 'districtAdministrator'; admin: number }
  | { role: 'guardian'; guardian: number; student: number };

/** What an enrollment index stands for. */
export type EnrollmentSlot =
  | { role: 'student'; student: number; slot: number; classIndex: number }
  | { role: 'teacher'; classIndex: number; primary: boolean; teacherUser: number };

/**
 * `count` items spread evenly over `[0, total)`: item `g` maps to `floor(g * total / count)`,
 * which is distinct for distinct `g` when `count <= total`. The inverse is O(1) too.
 */
export function spread(g: number, count: number, total: number): number {
  return Math.floor((g * total) / count);
}

/** Inverse of {@link spread}: the `g` mapping to `item`, or -1. */
export function spreadInverse(item: number, count: number, total: number): number {
  if (count === 0) return -1;
  const g = Math.ceil((item * count) / total);
  return g < count && spread(g, count, total) === item ? g : -1;
}

/** The layout of one generated district. */
export class DistrictLayout {
  readonly schools: number;
  readonly studentsPerSchool: number;
  readonly teachersPerSchool: number;
  readonly adminsPerSchool: number;
  /** Users per school block: students, then teachers, then administrators. */
  readonly usersPerSchool: number;
  readonly students: number;
  readonly guardians: number;
  readonly districtAdmins: number;
  readonly users: number;
  readonly classesPerSchool: number;
  readonly coursesPerSchool: number;
  readonly classesPerStudent: number;
  readonly classes: number;
  readonly courses: number;
  readonly coTeachers: number;
  readonly enrollments: number;
  readonly terms: number;
  readonly gradingPeriodsPerTerm: number;
  readonly sessions: number;
  readonly orgs: number;
  /** Distance between a student's classes, so that they are distinct (see `studentClass`). */
  readonly #stride: number;

  constructor(o: ResolvedDistrictOptions) {
    this.schools = o.schools;
    this.studentsPerSchool = o.studentsPerSchool;
    this.teachersPerSchool = o.teachersPerSchool;
    this.adminsPerSchool = o.adminsPerSchool;
    this.usersPerSchool = o.studentsPerSchool + o.teachersPerSchool + o.adminsPerSchool;
    this.students = o.schools * o.studentsPerSchool;
    this.guardians = Math.floor(this.students * o.guardianShare);
    this.districtAdmins = o.districtAdmins;
    this.users = o.schools * this.usersPerSchool + this.districtAdmins + this.guardians;
    this.classesPerSchool = o.classesPerSchool;
    this.coursesPerSchool = o.coursesPerSchool;
    this.classesPerStudent = o.classesPerStudent;
    this.classes = o.schools * o.classesPerSchool;
    this.courses = o.schools * o.coursesPerSchool;
    this.coTeachers = o.teachersPerSchool > 1 ? Math.floor(this.classes * o.coTeacherShare) : 0;
    this.enrollments = this.students * o.classesPerStudent + this.classes + this.coTeachers;
    this.terms = o.termsPerYear;
    this.gradingPeriodsPerTerm = o.gradingPeriodsPerTerm;
    this.sessions = 1 + this.terms * (1 + this.gradingPeriodsPerTerm);
    this.orgs = 1 + o.schools;
    this.#stride = Math.max(1, Math.floor(o.classesPerSchool / Math.max(1, o.classesPerStudent)));
  }

  /** Grade level (0 elementary, 1 middle, 2 high) of a school. */
  level(school: number): (typeof LEVELS)[number] {
    return LEVELS[school % LEVELS.length] as (typeof LEVELS)[number];
  }

  userSlot(u: number): UserSlot {
    const schoolUsers = this.schools * this.usersPerSchool;
    if (u < schoolUsers) {
      const school = Math.floor(u / this.usersPerSchool);
      const r = u % this.usersPerSchool;
      if (r < this.studentsPerSchool) {
        return { role: 'student', school, student: school * this.studentsPerSchool + r };
      }
      if (r < this.studentsPerSchool + this.teachersPerSchool) {
        return { role: 'teacher', school, teacher: r - this.studentsPerSchool };
      }
      return {
        role: 'siteAdministrator',
        school,
        admin: r - this.studentsPerSchool - this.teachersPerSchool,
      };
    }
    if (u < schoolUsers + this.districtAdmins) {
      return { role: 'districtAdministrator', admin: u - schoolUsers };
    }
    const guardian = u - schoolUsers - this.districtAdmins;
    return { role: 'guardian', guardian, student: spread(guardian, this.guardians, this.students) };
  }

  /** User index of a student (global student number). */
  studentUser(student: number): number {
    const school = Math.floor(student / this.studentsPerSchool);
    return school * this.usersPerSchool + (student % this.studentsPerSchool);
  }

  /** User index of teacher `t` of a school. */
  teacherUser(school: number, t: number): number {
    return school * this.usersPerSchool + this.studentsPerSchool + t;
  }

  /** User index of a student's guardian, or -1. */
  guardianUserOf(student: number): number {
    const g = spreadInverse(student, this.guardians, this.students);
    return g < 0 ? -1 : this.schools * this.usersPerSchool + this.districtAdmins + g;
  }

  /** School-local class index of a student's `slot`-th class (distinct per slot). */
  studentClass(slot: number, offset: number): number {
    return (offset + slot * this.#stride) % this.classesPerSchool;
  }

  enrollmentSlot(e: number, studentOffset: (student: number) => number): EnrollmentSlot {
    const studentEnrollments = this.students * this.classesPerStudent;
    if (e < studentEnrollments) {
      const student = Math.floor(e / this.classesPerStudent);
      const slot = e % this.classesPerStudent;
      const school = Math.floor(student / this.studentsPerSchool);
      const local = this.studentClass(slot, studentOffset(student));
      return {
        role: 'student',
        student,
        slot,
        classIndex: school * this.classesPerSchool + local,
      };
    }
    const t = e - studentEnrollments;
    if (t < this.classes) {
      const school = Math.floor(t / this.classesPerSchool);
      const local = t % this.classesPerSchool;
      return {
        role: 'teacher',
        classIndex: t,
        primary: true,
        teacherUser: this.teacherUser(school, local % this.teachersPerSchool),
      };
    }
    const classIndex = spread(t - this.classes, this.coTeachers, this.classes);
    const school = Math.floor(classIndex / this.classesPerSchool);
    const local = classIndex % this.classesPerSchool;
    return {
      role: 'teacher',
      classIndex,
      primary: false,
      teacherUser: this.teacherUser(school, (local + 1) % this.teachersPerSchool),
    };
  }
}
