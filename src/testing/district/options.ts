/**
 * Options of `generateDistrict()`: defaults and validation.
 *
 * @module
 */
import { ConfigurationError } from '../../errors';
import type { Seed } from '../random';

/** Sizes and shape of a generated district. Every field is optional. */
export interface GenerateDistrictOptions {
  /** Same seed and options, same dataset, byte for byte. @default 1 */
  seed?: Seed;
  /** @default 3 */
  schools?: number;
  /** @default 100 */
  studentsPerSchool?: number;
  /** @default 8 */
  teachersPerSchool?: number;
  /** School administrators (`siteAdministrator`) per school. @default 2 */
  adminsPerSchool?: number;
  /** Users with the `districtAdministrator` role at the district org. @default 1 */
  districtAdmins?: number;
  /** @default 24 */
  classesPerSchool?: number;
  /** Courses per school; classes are sections of them. At most `classesPerSchool`. @default 12 */
  coursesPerSchool?: number;
  /** Distinct classes each student is enrolled in. At most `classesPerSchool`. @default 6 */
  classesPerStudent?: number;
  /** Share of students (0..1) with a guardian user linked both ways through `agents`. @default 0.5 */
  guardianShare?: number;
  /** Share of classes (0..1) with a second, non-primary teacher. @default 0.1 */
  coTeacherShare?: number;
  /** Terms (type `term`) in the school year. @default 2 */
  termsPerYear?: number;
  /** Grading periods per term. @default 2 */
  gradingPeriodsPerTerm?: number;
  /** Calendar year in which the school year ends (OneRoster's `schoolYear`). @default 2026 */
  schoolYear?: number;
  /**
   * Every generated `dateLastModified` falls in the 90 days up to this instant.
   * @default '2025-07-01T00:00:00.000Z'
   */
  modifiedBefore?: string;
  /** @default 'Springfield Unified School District' (the city varies with the seed) */
  districtName?: string;
  /** Domain of staff and student e-mail addresses. @default derived from the district name */
  emailDomain?: string;
}

/** The options after defaults, as stored on the dataset. */
export type ResolvedDistrictOptions = Required<GenerateDistrictOptions>;

const DEFAULTS = {
  seed: 1,
  schools: 3,
  studentsPerSchool: 100,
  teachersPerSchool: 8,
  adminsPerSchool: 2,
  districtAdmins: 1,
  classesPerSchool: 24,
  coursesPerSchool: 12,
  classesPerStudent: 6,
  guardianShare: 0.5,
  coTeacherShare: 0.1,
  termsPerYear: 2,
  gradingPeriodsPerTerm: 2,
  schoolYear: 2026,
  modifiedBefore: '2025-07-01T00:00:00.000Z',
} as const;

// Generated ids and typed-array indexes stay far below this; it also bounds accidental huge runs.
const MAX_RECORDS = 50_000_000;

function integer(options: GenerateDistrictOptions, name: keyof typeof DEFAULTS, min: number) {
  const value = options[name] ?? DEFAULTS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(name, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function share(options: GenerateDistrictOptions, name: 'guardianShare' | 'coTeacherShare') {
  const value = options[name] ?? DEFAULTS[name];
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigurationError(name, `must be a number between 0 and 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Apply defaults and check every option, throwing a `ConfigurationError` that names the
 * offending option.
 */
export function resolveDistrictOptions(
  options: GenerateDistrictOptions,
  defaultCity: (seed: Seed) => string,
): ResolvedDistrictOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('options', 'must be an object');
  }
  const seed = options.seed ?? DEFAULTS.seed;
  if (
    !(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))) ||
    seed === ''
  ) {
    throw new ConfigurationError('seed', 'must be a finite number or a non-empty string');
  }
  const resolved = {
    seed,
    schools: integer(options, 'schools', 1),
    studentsPerSchool: integer(options, 'studentsPerSchool', 0),
    teachersPerSchool: integer(options, 'teachersPerSchool', 1),
    adminsPerSchool: integer(options, 'adminsPerSchool', 0),
    districtAdmins: integer(options, 'districtAdmins', 0),
    classesPerSchool: integer(options, 'classesPerSchool', 1),
    coursesPerSchool: integer(options, 'coursesPerSchool', 1),
    classesPerStudent: integer(options, 'classesPerStudent', 0),
    guardianShare: share(options, 'guardianShare'),
    coTeacherShare: share(options, 'coTeacherShare'),
    termsPerYear: integer(options, 'termsPerYear', 1),
    gradingPeriodsPerTerm: integer(options, 'gradingPeriodsPerTerm', 0),
    schoolYear: integer(options, 'schoolYear', 1901),
    modifiedBefore: options.modifiedBefore ?? DEFAULTS.modifiedBefore,
    districtName: options.districtName ?? `${defaultCity(seed)} Unified School District`,
    emailDomain: options.emailDomain ?? '',
  };
  if (resolved.schoolYear > 9999) {
    throw new ConfigurationError('schoolYear', 'must be a four-digit year');
  }
  if (resolved.coursesPerSchool > resolved.classesPerSchool) {
    throw new ConfigurationError(
      'coursesPerSchool',
      `must be at most classesPerSchool (${resolved.classesPerSchool}): every course needs a class`,
    );
  }
  if (resolved.classesPerStudent > resolved.classesPerSchool) {
    throw new ConfigurationError(
      'classesPerStudent',
      `must be at most classesPerSchool (${resolved.classesPerSchool}): a student takes distinct classes`,
    );
  }
  const modified = Date.parse(resolved.modifiedBefore);
  if (
    typeof options.modifiedBefore !== 'undefined' &&
    (typeof options.modifiedBefore !== 'string' || Number.isNaN(modified))
  ) {
    throw new ConfigurationError('modifiedBefore', 'must be an ISO 8601 date-time');
  }
  if (typeof resolved.districtName !== 'string' || resolved.districtName.trim() === '') {
    throw new ConfigurationError('districtName', 'must be a non-empty string');
  }
  if (typeof resolved.emailDomain !== 'string') {
    throw new ConfigurationError('emailDomain', 'must be a string');
  }
  if (resolved.emailDomain === '') {
    // "Springfield Unified School District" -> "springfieldusd.example.org"
    const [first = 'district', ...rest] = resolved.districtName.split(/\s+/).map(slug);
    resolved.emailDomain = `${first}${rest
      .map((w) => w.slice(0, 1))
      .join('')
      .slice(0, 3)}.example.org`;
  }
  const students = resolved.schools * resolved.studentsPerSchool;
  const enrollments =
    students * resolved.classesPerStudent + resolved.schools * resolved.classesPerSchool * 2;
  if (enrollments > MAX_RECORDS || students > MAX_RECORDS) {
    throw new ConfigurationError(
      'studentsPerSchool',
      `the district would hold more than ${MAX_RECORDS.toLocaleString('en-US')} records`,
    );
  }
  return resolved;
}

/** Lower-case ASCII letters and digits only (accents stripped), for usernames and domains. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
