/**
 * Seeded generator of normalised records of every kind, for the round-trip property tests. For
 * 1.1 it only builds records that 1.1 can carry (one role per user, primary at every org, the
 * primary org first, no role dates), since `toWire` to 1.1 is documented as lossy otherwise.
 */
import type {
  AcademicSession,
  Class,
  Course,
  Demographics,
  Enrollment,
  OneRosterVersion,
  Org,
  RecordTypes,
  Ref,
  SyncResource,
  User,
  UserRole,
} from '../../../src/models/types';

/** mulberry32: small, fast, deterministic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p = 0.5) => rng() < p;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

// Free text includes quotes, commas, non-ASCII and the empty string (a value, kept as is).
const TEXTS = ['Ana', "O'Brien", 'Zoë', 'Smith, Jr.', '', '李', 'x y', 'true', 'null', '0'];

function text(rng: Rng): string {
  return pick(rng, TEXTS) + (chance(rng) ? String(int(rng, 0, 99)) : '');
}

function id(rng: Rng, prefix: string): string {
  return `${prefix}-${int(rng, 1, 1_000_000).toString(36)}`;
}

function instant(rng: Rng): string {
  return new Date(Date.UTC(2015, 0, 1) + Math.floor(rng() * 3e11)).toISOString();
}

function day(rng: Rng): string {
  return instant(rng).slice(0, 10);
}

function ref(rng: Rng, type: string, prefix: string): Ref {
  const sourcedId = id(rng, prefix);
  const r: Ref = { sourcedId, type };
  if (chance(rng)) {
    r.href = chance(rng)
      ? `https://sis.example.org/ims/oneroster/${type}s/${sourcedId}`
      : `~/ims/oneroster/v1p1/${type}s/${sourcedId}`;
  }
  return r;
}

function refs(rng: Rng, type: string, prefix: string, min = 0): Ref[] {
  return Array.from({ length: int(rng, min, min + 2) }, () => ref(rng, type, prefix));
}

function vocabulary(rng: Rng, values: readonly string[]): string {
  return chance(rng, 0.85) ? pick(rng, values) : `ext:${pick(rng, ['lab', 'x.y-z_1', 'A'])}`;
}

function base(rng: Rng, prefix: string) {
  const record: {
    sourcedId: string;
    status: 'active' | 'tobedeleted';
    dateLastModified: string;
  } & Record<string, unknown> = {
    sourcedId: id(rng, prefix),
    status: chance(rng, 0.8) ? 'active' : 'tobedeleted',
    dateLastModified: instant(rng),
  };
  if (chance(rng, 0.3))
    record.metadata = { 'ext:source': text(rng), nested: { n: int(rng, 0, 9) } };
  // Vendor extras are kept through parse and render.
  if (chance(rng, 0.3)) record['x-vendor-flag'] = chance(rng) ? text(rng) : { deep: [1, null] };
  return record;
}

function optional<T>(rng: Rng, target: Record<string, unknown>, key: string, make: () => T): void {
  if (chance(rng)) target[key] = make();
}

const GRADES = ['KG', '01', '09', '10', '12', 'Other'];

function org(rng: Rng): Org {
  const record: Org = {
    ...base(rng, 'org'),
    name: text(rng),
    type: vocabulary(rng, ['district', 'school', 'department', 'local', 'national', 'state']),
  };
  optional(rng, record, 'identifier', () => text(rng));
  optional(rng, record, 'parent', () => ref(rng, 'org', 'org'));
  optional(rng, record, 'children', () => refs(rng, 'org', 'org'));
  return record;
}

function academicSession(rng: Rng): AcademicSession {
  const record: AcademicSession = {
    ...base(rng, 'as'),
    title: text(rng),
    type: vocabulary(rng, ['gradingPeriod', 'semester', 'schoolYear', 'term']),
    startDate: day(rng),
    endDate: day(rng),
    schoolYear: String(int(rng, 2015, 2030)),
  };
  optional(rng, record, 'parent', () => ref(rng, 'academicSession', 'as'));
  optional(rng, record, 'children', () => refs(rng, 'academicSession', 'as'));
  return record;
}

function course(rng: Rng): Course {
  const record: Course = { ...base(rng, 'course'), title: text(rng) };
  optional(rng, record, 'courseCode', () => text(rng));
  optional(rng, record, 'schoolYear', () => ref(rng, 'academicSession', 'as'));
  optional(rng, record, 'grades', () => [pick(rng, GRADES)]);
  optional(rng, record, 'subjects', () => [text(rng), text(rng)]);
  optional(rng, record, 'subjectCodes', () => [text(rng)]);
  optional(rng, record, 'org', () => ref(rng, 'org', 'org'));
  optional(rng, record, 'resources', () => refs(rng, 'resource', 'res'));
  return record;
}

function klass(rng: Rng, version: OneRosterVersion): Class {
  const record: Class = {
    ...base(rng, 'class'),
    title: text(rng),
    school: ref(rng, 'org', 'org'),
    // 1.2 requires a term; 1.1 allows none.
    terms: refs(rng, 'academicSession', 'as', version === '1.2' ? 1 : 0),
  };
  optional(rng, record, 'classCode', () => text(rng));
  optional(rng, record, 'classType', () => vocabulary(rng, ['homeroom', 'scheduled']));
  optional(rng, record, 'location', () => text(rng));
  optional(rng, record, 'grades', () => [pick(rng, GRADES), pick(rng, GRADES)]);
  optional(rng, record, 'subjects', () => [text(rng)]);
  optional(rng, record, 'subjectCodes', () => [text(rng)]);
  // Periods without commas or surrounding spaces: 1.1 sends them as one comma-separated string.
  optional(rng, record, 'periods', () =>
    Array.from({ length: int(rng, 1, 3) }, () => `P${int(rng, 1, 9)}`),
  );
  optional(rng, record, 'course', () => ref(rng, 'course', 'course'));
  optional(rng, record, 'resources', () => refs(rng, 'resource', 'res'));
  return record;
}

function enrollment(rng: Rng): Enrollment {
  const record: Enrollment = {
    ...base(rng, 'enr'),
    user: ref(rng, 'user', 'user'),
    class: ref(rng, 'class', 'class'),
    school: ref(rng, 'org', 'org'),
    role: vocabulary(rng, ['student', 'teacher', 'administrator', 'proctor']),
  };
  optional(rng, record, 'primary', () => chance(rng));
  optional(rng, record, 'beginDate', () => day(rng));
  optional(rng, record, 'endDate', () => day(rng));
  return record;
}

const USER_ROLES = ['student', 'teacher', 'aide', 'parent', 'guardian', 'administrator'];

function user(rng: Rng, version: OneRosterVersion): User {
  const orgs = refs(rng, 'org', 'org', 1).filter(
    (o, i, all) => all.findIndex((p) => p.sourcedId === o.sourcedId) === i,
  );
  let roles: UserRole[];
  if (version === '1.1') {
    const role = vocabulary(rng, USER_ROLES);
    roles = orgs.map((org) => ({ roleType: 'primary', role, org }));
  } else {
    roles = orgs.map((org, i) => {
      const r: UserRole = {
        roleType: i === 0 || chance(rng) ? 'primary' : 'secondary',
        role: vocabulary(rng, [...USER_ROLES.slice(0, 5), 'districtAdministrator', 'counselor']),
        org,
      };
      optional(rng, r as unknown as Record<string, unknown>, 'beginDate', () => day(rng));
      optional(rng, r as unknown as Record<string, unknown>, 'endDate', () => day(rng));
      optional(rng, r as unknown as Record<string, unknown>, 'userProfile', () => 'urn:profile:1');
      return r;
    });
  }
  const record: User = {
    ...base(rng, 'user'),
    enabledUser: chance(rng, 0.9),
    givenName: text(rng),
    familyName: text(rng),
    roles,
  };
  if (version === '1.1' || chance(rng)) record.primaryOrg = { ...(roles[0] as UserRole).org };
  optional(rng, record, 'username', () => text(rng));
  optional(rng, record, 'userIds', () => [
    { type: pick(rng, ['LDAP', 'SIS', '']), identifier: text(rng) },
  ]);
  optional(rng, record, 'middleName', () => text(rng));
  optional(rng, record, 'preferredFirstName', () => text(rng));
  optional(rng, record, 'preferredLastName', () => text(rng));
  optional(rng, record, 'pronouns', () => pick(rng, ['she/her', 'they/them']));
  optional(rng, record, 'userMasterIdentifier', () => id(rng, 'master'));
  optional(rng, record, 'identifier', () => text(rng));
  optional(rng, record, 'email', () => `${id(rng, 'u')}@example.org`);
  optional(rng, record, 'sms', () => '+15550100');
  optional(rng, record, 'phone', () => '555-0100');
  optional(rng, record, 'agents', () => refs(rng, 'user', 'user'));
  optional(rng, record, 'grades', () => [pick(rng, GRADES)]);
  optional(rng, record, 'password', () => text(rng));
  optional(rng, record, 'resources', () => refs(rng, 'resource', 'res'));
  optional(rng, record, 'userProfiles', () => [
    {
      profileId: 'urn:profile:1',
      profileType: 'lms',
      vendorId: 'vendor',
      credentials: [{ type: 'password', username: text(rng), 'x-extra': 1 }],
    },
  ]);
  return record;
}

function demographics(rng: Rng): Demographics {
  const record: Demographics = { ...base(rng, 'user') };
  optional(rng, record, 'birthDate', () => day(rng));
  optional(rng, record, 'sex', () => vocabulary(rng, ['male', 'female', 'unspecified', 'other']));
  for (const flag of [
    'americanIndianOrAlaskaNative',
    'asian',
    'blackOrAfricanAmerican',
    'nativeHawaiianOrOtherPacificIslander',
    'white',
    'demographicRaceTwoOrMoreRaces',
    'hispanicOrLatinoEthnicity',
  ]) {
    optional(rng, record, flag, () => chance(rng));
  }
  optional(rng, record, 'countryOfBirthCode', () => 'US');
  optional(rng, record, 'stateOfBirthAbbreviation', () => 'TX');
  optional(rng, record, 'cityOfBirth', () => text(rng));
  optional(rng, record, 'publicSchoolResidenceStatus', () => text(rng));
  return record;
}

/** A random normalised record of `kind` that `version` can carry. */
export function generate<K extends SyncResource>(
  kind: K,
  version: OneRosterVersion,
  rng: Rng,
): RecordTypes[K] {
  const make: { [P in SyncResource]: () => RecordTypes[P] } = {
    orgs: () => org(rng),
    academicSessions: () => academicSession(rng),
    courses: () => course(rng),
    classes: () => klass(rng, version),
    users: () => user(rng, version),
    enrollments: () => enrollment(rng),
    demographics: () => demographics(rng),
  };
  return make[kind]() as RecordTypes[K];
}
