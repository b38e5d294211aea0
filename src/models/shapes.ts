/**
 * The object schemas of each record kind, before the per-version finishing steps (`./v1p1`,
 * `./v1p2`). 1.1 and 1.2 records share field names except where noted, and real servers mix them
 * (ClassLink serves 1.2-shaped records on `/v1p1`), so each shape accepts both versions' fields and
 * the version decides only what is required and how users are mapped.
 *
 * Every shape is a loose object: fields we do not know are kept as sent.
 *
 * @module
 */
import * as z from 'zod';
import {
  boolean,
  closedVocabulary,
  date,
  dateTime,
  metadata,
  objectList,
  ref,
  refList,
  sourcedId,
  status,
  stringList,
  text,
  vocabulary,
  year,
} from './fields';
import type { OneRosterVersion } from './types';
import {
  CLASS_TYPES,
  ENROLLMENT_ROLES,
  ORG_TYPES,
  ROLE_TYPES,
  SESSION_TYPES,
  SEX_VALUES,
  USER_ROLES,
} from './vocabularies';

/** Fields every record has. */
const base = {
  sourcedId: sourcedId(),
  status: status(),
  dateLastModified: dateTime(),
  metadata: metadata().exactOptional(),
};

/** Org (1.1 `Org.Type`, 1.2 `OrgDType`). `identifier` is relaxed to optional (servers omit it). */
export const orgObject = z.looseObject({
  ...base,
  name: text(),
  type: vocabulary(ORG_TYPES),
  identifier: text().exactOptional(),
  parent: ref('org').exactOptional(),
  children: refList('org').exactOptional(),
});

/** Academic session (terms, grading periods, semesters, school years). */
export const academicSessionObject = z.looseObject({
  ...base,
  title: text(),
  type: vocabulary(SESSION_TYPES),
  startDate: date(),
  endDate: date(),
  parent: ref('academicSession').exactOptional(),
  children: refList('academicSession').exactOptional(),
  schoolYear: year(),
});

/** Course. `courseCode` is relaxed to optional (servers omit it). */
export const courseObject = z.looseObject({
  ...base,
  title: text(),
  courseCode: text().exactOptional(),
  schoolYear: ref('academicSession').exactOptional(),
  grades: stringList().exactOptional(),
  subjects: stringList().exactOptional(),
  subjectCodes: stringList().exactOptional(),
  org: ref('org').exactOptional(),
  resources: refList('resource').exactOptional(),
});

const classFields = {
  ...base,
  title: text(),
  classCode: text().exactOptional(),
  classType: vocabulary(CLASS_TYPES).exactOptional(),
  location: text().exactOptional(),
  grades: stringList().exactOptional(),
  subjects: stringList().exactOptional(),
  subjectCodes: stringList().exactOptional(),
  // 1.1 sends a comma-separated string.
  periods: stringList().exactOptional(),
  // Required in 1.2, optional in 1.1; relaxed in both (servers omit it for homerooms).
  course: ref('course').exactOptional(),
  school: ref('org'),
  resources: refList('resource').exactOptional(),
};

/** Class, 1.2: at least one term. */
export const classObjectV1p2 = z.looseObject({
  ...classFields,
  terms: refList('academicSession').min(1, { error: 'must list at least one term' }),
});

/** Class, 1.1: `terms` is optional (the finishing step defaults it to `[]`). */
export const classObjectV1p1 = z.looseObject({
  ...classFields,
  terms: refList('academicSession').exactOptional(),
});

/** Enrollment. */
export const enrollmentObject = z.looseObject({
  ...base,
  user: ref('user'),
  class: ref('class'),
  school: ref('org'),
  role: vocabulary(ENROLLMENT_ROLES),
  primary: boolean().exactOptional(),
  beginDate: date().exactOptional(),
  endDate: date().exactOptional(),
});

/** One role of a user at one org (1.2 `RoleDType`). */
export const roleObject = z.looseObject({
  roleType: closedVocabulary(ROLE_TYPES),
  role: vocabulary(USER_ROLES),
  org: ref('org'),
  userProfile: text().exactOptional(),
  beginDate: date().exactOptional(),
  endDate: date().exactOptional(),
});

/** 1.2 `UserIdDType`: both fields required. */
const userIdObjectV1p2 = z.looseObject({ type: text(), identifier: text() });

/** 1.1 `UserId.Type`: only `identifier` is required; a missing `type` becomes `""`. */
const userIdObjectV1p1 = z.looseObject({ type: text().default(''), identifier: text() });

const credentialObject = z.looseObject({
  type: text(),
  username: text(),
  password: text().exactOptional(),
});

/** 1.2 `UserProfileDType`. */
export const userProfileObject = z.looseObject({
  profileId: text(),
  profileType: text(),
  vendorId: text(),
  applicationId: text().exactOptional(),
  description: text().exactOptional(),
  credentials: objectList(credentialObject).exactOptional(),
});

const userFields = {
  ...base,
  username: text().exactOptional(),
  // Required in 1.2; when absent the finishing step makes it `true` (1.1 treats absent as enabled).
  enabledUser: boolean().exactOptional(),
  // Names are required; empty strings are valid (some servers send them).
  givenName: text(),
  familyName: text(),
  middleName: text().exactOptional(),
  preferredFirstName: text().exactOptional(),
  preferredMiddleName: text().exactOptional(),
  preferredLastName: text().exactOptional(),
  pronouns: text().exactOptional(),
  userMasterIdentifier: text().exactOptional(),
  // The finishing step requires `roles` (1.2) or `role` + `orgs` (1.1) and maps the latter.
  roles: objectList(roleObject).exactOptional(),
  role: vocabulary(USER_ROLES).exactOptional(),
  orgs: refList('org').exactOptional(),
  primaryOrg: ref('org').exactOptional(),
  userProfiles: objectList(userProfileObject).exactOptional(),
  identifier: text().exactOptional(),
  email: text().exactOptional(),
  sms: text().exactOptional(),
  phone: text().exactOptional(),
  agents: refList('user').exactOptional(),
  grades: stringList().exactOptional(),
  password: text().exactOptional(),
  resources: refList('resource').exactOptional(),
};

/** User fields, 1.2. */
export const userObjectV1p2 = z.looseObject({
  ...userFields,
  userIds: objectList(userIdObjectV1p2).exactOptional(),
});

/** User fields, 1.1. */
export const userObjectV1p1 = z.looseObject({
  ...userFields,
  userIds: objectList(userIdObjectV1p1).exactOptional(),
});

/** Demographics (same sourcedId as the user). */
export const demographicsObject = z.looseObject({
  ...base,
  birthDate: date().exactOptional(),
  sex: vocabulary(SEX_VALUES).exactOptional(),
  americanIndianOrAlaskaNative: boolean().exactOptional(),
  asian: boolean().exactOptional(),
  blackOrAfricanAmerican: boolean().exactOptional(),
  nativeHawaiianOrOtherPacificIslander: boolean().exactOptional(),
  white: boolean().exactOptional(),
  demographicRaceTwoOrMoreRaces: boolean().exactOptional(),
  hispanicOrLatinoEthnicity: boolean().exactOptional(),
  countryOfBirthCode: text().exactOptional(),
  stateOfBirthAbbreviation: text().exactOptional(),
  cityOfBirth: text().exactOptional(),
  publicSchoolResidenceStatus: text().exactOptional(),
});

/** The object schema of a kind for a version (used for projections and the field plans). */
export function objectSchema(
  kind:
    | 'orgs'
    | 'academicSessions'
    | 'courses'
    | 'classes'
    | 'users'
    | 'enrollments'
    | 'demographics',
  version: OneRosterVersion,
): z.ZodObject {
  switch (kind) {
    case 'orgs':
      return orgObject;
    case 'academicSessions':
      return academicSessionObject;
    case 'courses':
      return courseObject;
    case 'classes':
      return version === '1.1' ? classObjectV1p1 : classObjectV1p2;
    case 'users':
      return version === '1.1' ? userObjectV1p1 : userObjectV1p2;
    case 'enrollments':
      return enrollmentObject;
    case 'demographics':
      return demographicsObject;
  }
}
