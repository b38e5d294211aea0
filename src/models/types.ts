/**
 * The normalised record shapes every client method returns and the sync engine stores, whatever
 * the server's OneRoster version. The shape follows OneRoster 1.2 (`roles[]`, `primaryOrg`), with
 * real booleans instead of 1.2's `"true"`/`"false"` strings, `null` treated as absent, and
 * unknown fields kept (servers add vendor fields; we never drop data).
 *
 * The zod schemas in `./v1p1` and `./v1p2` parse wire records into these types; `./normalize`
 * does the version mapping. These interfaces are the contract; the schemas are checked against
 * them at compile time.
 *
 * @module
 */

/** Record status. 1.0's `inactive` is read as `tobedeleted`. */
export type RecordStatus = 'active' | 'tobedeleted';

/** A vocabulary value from the spec, or an `ext:` extension, or (leniently) any other string. */
export type Vocabulary<T extends string> = T | (string & {});

/** A reference to another record. Only `sourcedId` is reliable; `href` may be relative or absent. */
export interface Ref {
  sourcedId: string;
  type?: string;
  href?: string;
}

/** Fields every OneRoster record has. */
export interface BaseRecord {
  sourcedId: string;
  status: RecordStatus;
  /**
   * ISO 8601 UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`, normalised from what the server sent (with
   * or without milliseconds, offset or zone; see `src/models/README.md`), so it compares correctly
   * both as an instant and as a string. The raw record keeps the original.
   */
  dateLastModified: string;
  metadata?: Record<string, unknown>;
  /** Unknown fields are kept. */
  [extra: string]: unknown;
}

export type OrgType = Vocabulary<
  'department' | 'district' | 'local' | 'national' | 'school' | 'state'
>;

export interface Org extends BaseRecord {
  name: string;
  type: OrgType;
  identifier?: string;
  parent?: Ref;
  children?: Ref[];
}

export type AcademicSessionType = Vocabulary<'gradingPeriod' | 'semester' | 'schoolYear' | 'term'>;

export interface AcademicSession extends BaseRecord {
  title: string;
  type: AcademicSessionType;
  /** `YYYY-MM-DD`, inclusive. */
  startDate: string;
  /** `YYYY-MM-DD`, exclusive. */
  endDate: string;
  parent?: Ref;
  children?: Ref[];
  /** `YYYY`: the calendar year in which the school year ends. */
  schoolYear: string;
}

export interface Course extends BaseRecord {
  title: string;
  courseCode?: string;
  schoolYear?: Ref;
  grades?: string[];
  subjects?: string[];
  subjectCodes?: string[];
  org?: Ref;
  resources?: Ref[];
}

export type ClassType = Vocabulary<'homeroom' | 'scheduled'>;

export interface Class extends BaseRecord {
  title: string;
  classCode?: string;
  classType?: ClassType;
  location?: string;
  grades?: string[];
  subjects?: string[];
  subjectCodes?: string[];
  /** 1.1 servers send a string; it is split on commas. */
  periods?: string[];
  course?: Ref;
  school: Ref;
  terms: Ref[];
  resources?: Ref[];
}

export type EnrollmentRole = Vocabulary<
  'administrator' | 'proctor' | 'student' | 'teacher' | 'aide' | 'guardian' | 'parent' | 'relative'
>;

export interface Enrollment extends BaseRecord {
  user: Ref;
  class: Ref;
  school: Ref;
  role: EnrollmentRole;
  primary?: boolean;
  /** `YYYY-MM-DD`, inclusive. */
  beginDate?: string;
  /** `YYYY-MM-DD`, exclusive. */
  endDate?: string;
}

export type RoleName = Vocabulary<
  | 'aide'
  | 'counselor'
  | 'districtAdministrator'
  | 'guardian'
  | 'parent'
  | 'principal'
  | 'proctor'
  | 'relative'
  | 'siteAdministrator'
  | 'student'
  | 'systemAdministrator'
  | 'teacher'
  /** 1.1 only; has no 1.2 equivalent and is kept as is. */
  | 'administrator'
>;

/** One role of a user at one org (1.2 `RoleDType`; 1.1 `role` + `orgs` map onto these). */
export interface UserRole {
  roleType: 'primary' | 'secondary';
  role: RoleName;
  org: Ref;
  userProfile?: string;
  beginDate?: string;
  endDate?: string;
}

export interface UserId {
  type: string;
  identifier: string;
}

export interface UserProfile {
  profileId: string;
  profileType: string;
  vendorId: string;
  applicationId?: string;
  description?: string;
  credentials?: Array<{
    type: string;
    username: string;
    password?: string;
    [extra: string]: unknown;
  }>;
}

export interface User extends BaseRecord {
  username?: string;
  userIds?: UserId[];
  enabledUser: boolean;
  givenName: string;
  familyName: string;
  middleName?: string;
  preferredFirstName?: string;
  preferredMiddleName?: string;
  preferredLastName?: string;
  pronouns?: string;
  userMasterIdentifier?: string;
  /** At least one entry. 1.1 `role` + `orgs` become one `primary` entry per org. */
  roles: UserRole[];
  /** 1.2 `primaryOrg`; for 1.1, the first of `orgs`. */
  primaryOrg?: Ref;
  userProfiles?: UserProfile[];
  identifier?: string;
  email?: string;
  sms?: string;
  phone?: string;
  agents?: Ref[];
  grades?: string[];
  password?: string;
  resources?: Ref[];
}

export type Sex = Vocabulary<'male' | 'female' | 'unspecified' | 'other'>;

export interface Demographics extends BaseRecord {
  birthDate?: string;
  sex?: Sex;
  americanIndianOrAlaskaNative?: boolean;
  asian?: boolean;
  blackOrAfricanAmerican?: boolean;
  nativeHawaiianOrOtherPacificIslander?: boolean;
  white?: boolean;
  demographicRaceTwoOrMoreRaces?: boolean;
  hispanicOrLatinoEthnicity?: boolean;
  countryOfBirthCode?: string;
  stateOfBirthAbbreviation?: string;
  cityOfBirth?: string;
  publicSchoolResidenceStatus?: string;
}

/** The record kinds the sync engine stores, in dependency order. */
export const SYNC_RESOURCES = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
] as const;

/** A record kind the sync engine stores. */
export type SyncResource = (typeof SYNC_RESOURCES)[number];

/** The normalised record type of each stored kind. */
export interface RecordTypes {
  orgs: Org;
  academicSessions: AcademicSession;
  courses: Course;
  classes: Class;
  users: User;
  enrollments: Enrollment;
  demographics: Demographics;
}

/** Any normalised record. */
export type OneRosterRecord = RecordTypes[SyncResource];

/** OneRoster versions this package speaks. */
export type OneRosterVersion = '1.1' | '1.2';

/** How strictly records are checked. */
export type ValidationMode = 'strict' | 'lenient' | 'off';
