/**
 * The controlled vocabularies of OneRoster 1.1 and 1.2 (oneroster.md §5, §6). Values outside these
 * lists are accepted (1.2 allows `ext:` extensions and real servers send others); a value that
 * matches one of them ignoring case is rewritten to the spec's spelling (`Scheduled` ->
 * `scheduled`), so consumers can compare with `===`.
 *
 * @module
 */

/** `org.type`. */
export const ORG_TYPES = [
  'department',
  'district',
  'local',
  'national',
  'school',
  'state',
] as const;

/** `academicSession.type`. */
export const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'] as const;

/** `class.classType`. */
export const CLASS_TYPES = ['homeroom', 'scheduled'] as const;

/**
 * `enrollment.role`: the 1.2 list plus the wider 1.1 swagger list (1.1 shares the user role
 * enumeration), so both versions accept what their servers send.
 */
export const ENROLLMENT_ROLES = [
  'administrator',
  'proctor',
  'student',
  'teacher',
  'aide',
  'guardian',
  'parent',
  'relative',
] as const;

/**
 * User role: the 1.2 `RoleDType.role` list plus 1.1's `administrator`, which has no 1.2
 * equivalent and is kept as is.
 */
export const USER_ROLES = [
  'aide',
  'counselor',
  'districtAdministrator',
  'guardian',
  'parent',
  'principal',
  'proctor',
  'relative',
  'siteAdministrator',
  'student',
  'systemAdministrator',
  'teacher',
  'administrator',
] as const;

/** `RoleDType.roleType`. */
export const ROLE_TYPES = ['primary', 'secondary'] as const;

/** `demographics.sex`. */
export const SEX_VALUES = ['male', 'female', 'unspecified', 'other'] as const;

/** Record `status`; `inactive` (OneRoster 1.0) is read as `tobedeleted`. */
export const STATUS_VALUES = ['active', 'tobedeleted'] as const;
