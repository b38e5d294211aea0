/**
 * The wire fields of each resource per version (the properties of the 1.2 `XxxDType` schemas
 * and of the 1.1 `Xxx.Type` schemas). `fields`, `sort` and `filter` names are checked against
 * them: an unknown name is an error (or a warning in 1.1), as on a conforming server.
 *
 * @module
 */
import type { OneRosterVersion, SyncResource } from '../../models/types';

const BASE = ['sourcedId', 'status', 'dateLastModified', 'metadata'];

const SHARED: Readonly<Record<Exclude<SyncResource, 'users'>, readonly string[]>> = {
  orgs: [...BASE, 'name', 'type', 'identifier', 'parent', 'children'],
  academicSessions: [
    ...BASE,
    'title',
    'startDate',
    'endDate',
    'type',
    'parent',
    'children',
    'schoolYear',
  ],
  courses: [
    ...BASE,
    'title',
    'schoolYear',
    'courseCode',
    'grades',
    'subjects',
    'org',
    'subjectCodes',
    'resources',
  ],
  classes: [
    ...BASE,
    'title',
    'classCode',
    'classType',
    'location',
    'grades',
    'subjects',
    'course',
    'school',
    'terms',
    'subjectCodes',
    'periods',
    'resources',
  ],
  enrollments: [...BASE, 'user', 'class', 'school', 'role', 'primary', 'beginDate', 'endDate'],
  demographics: [
    ...BASE,
    'birthDate',
    'sex',
    'americanIndianOrAlaskaNative',
    'asian',
    'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander',
    'white',
    'demographicRaceTwoOrMoreRaces',
    'hispanicOrLatinoEthnicity',
    'countryOfBirthCode',
    'stateOfBirthAbbreviation',
    'cityOfBirth',
    'publicSchoolResidenceStatus',
  ],
};

const USERS: Readonly<Record<OneRosterVersion, readonly string[]>> = {
  '1.1': [
    ...BASE,
    'username',
    'userIds',
    'enabledUser',
    'givenName',
    'familyName',
    'middleName',
    'role',
    'identifier',
    'email',
    'sms',
    'phone',
    'agents',
    'orgs',
    'grades',
    'password',
  ],
  '1.2': [
    ...BASE,
    'userMasterIdentifier',
    'username',
    'userIds',
    'enabledUser',
    'givenName',
    'familyName',
    'middleName',
    'preferredFirstName',
    'preferredMiddleName',
    'preferredLastName',
    'pronouns',
    'roles',
    'userProfiles',
    'primaryOrg',
    'identifier',
    'email',
    'sms',
    'phone',
    'agents',
    'grades',
    'password',
    'resources',
  ],
};

const SETS = new Map<string, ReadonlySet<string>>();

/** The wire field names of a resource in a version. */
export function wireFields(kind: SyncResource, version: OneRosterVersion): ReadonlySet<string> {
  const key = `${version}:${kind}`;
  let set = SETS.get(key);
  if (!set) {
    set = new Set(kind === 'users' ? USERS[version] : SHARED[kind]);
    SETS.set(key, set);
  }
  return set;
}

/** Whether `name` (a field or a dot path whose first segment is a field) exists on the resource. */
export function isKnownField(kind: SyncResource, version: OneRosterVersion, name: string): boolean {
  const dot = name.indexOf('.');
  return wireFields(kind, version).has(dot === -1 ? name : name.slice(0, dot));
}
