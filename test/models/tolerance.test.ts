/**
 * What real servers send that the spec does not allow, and how it is read. Each case runs in
 * `strict` mode (which rejects only what matters) and must give the same record in `off` mode.
 */
import { describe, expect, it } from 'vitest';
import { type ModelKind, parseRecord } from '../../src/models';
import type { OneRosterVersion } from '../../src/models/types';

const BASE = { sourcedId: 'x-1', status: 'active', dateLastModified: '2024-09-01T12:00:00.000Z' };
const ORG_REF = {
  href: 'https://sis.example/ims/oneroster/v1p1/orgs/s-1',
  sourcedId: 's-1',
  type: 'org',
};

const WIRE: Record<ModelKind, Record<string, unknown>> = {
  orgs: { ...BASE, name: 'Lincoln High', type: 'school', identifier: '0001' },
  academicSessions: {
    ...BASE,
    title: 'Fall',
    type: 'term',
    startDate: '2024-08-20',
    endDate: '2024-12-20',
    schoolYear: '2025',
  },
  courses: { ...BASE, title: 'Algebra', courseCode: 'ALG1' },
  classes: {
    ...BASE,
    title: 'Algebra 1',
    school: ORG_REF,
    terms: [{ sourcedId: 't-1', type: 'academicSession' }],
  },
  users: {
    ...BASE,
    enabledUser: 'true',
    givenName: 'Ana',
    familyName: 'Lee',
    roles: [{ roleType: 'primary', role: 'student', org: ORG_REF }],
  },
  enrollments: {
    ...BASE,
    user: { sourcedId: 'u-1', type: 'user' },
    class: { sourcedId: 'c-1', type: 'class' },
    school: ORG_REF,
    role: 'student',
  },
  demographics: { ...BASE },
};

interface Case {
  name: string;
  kind: ModelKind;
  version?: OneRosterVersion;
  /** Fields merged into the kind's valid wire record (`undefined` deletes a field). */
  wire: Record<string, unknown>;
  /** Fields expected in the normalised record (`undefined`: absent). */
  expect: Record<string, unknown>;
}

const CASES: Case[] = [
  // Booleans
  ...(['true', 'TRUE', 't', '1', true, 1] as const).map((value) => ({
    name: `enabledUser ${JSON.stringify(value)} -> true`,
    kind: 'users' as const,
    wire: { enabledUser: value },
    expect: { enabledUser: true },
  })),
  ...(['false', 'False', 'f', '0', false, 0] as const).map((value) => ({
    name: `enrollment primary ${JSON.stringify(value)} -> false`,
    kind: 'enrollments' as const,
    wire: { primary: value },
    expect: { primary: false },
  })),
  {
    name: 'demographics race flags as strings or booleans',
    kind: 'demographics',
    wire: {
      asian: 'true',
      white: false,
      hispanicOrLatinoEthnicity: 'FALSE',
      demographicRaceTwoOrMoreRaces: '1',
    },
    expect: {
      asian: true,
      white: false,
      hispanicOrLatinoEthnicity: false,
      demographicRaceTwoOrMoreRaces: true,
    },
  },
  {
    name: '1.1 users without enabledUser are enabled',
    kind: 'users',
    version: '1.1',
    wire: { enabledUser: undefined, roles: undefined, role: 'student', orgs: [ORG_REF] },
    expect: { enabledUser: true },
  },
  {
    name: '1.2 users without enabledUser are enabled too (relaxed)',
    kind: 'users',
    wire: { enabledUser: undefined },
    expect: { enabledUser: true },
  },
  // Nulls
  {
    name: 'null optionals are absent (Aeries style)',
    kind: 'orgs',
    wire: { identifier: null, parent: null, metadata: null, children: null },
    expect: { identifier: undefined, parent: undefined, metadata: undefined, children: undefined },
  },
  {
    name: 'null unknown fields are dropped, nulls inside unknown fields are vendor data',
    kind: 'orgs',
    wire: { vendorA: null, vendorB: { nested: null } },
    expect: { vendorA: undefined, vendorB: { nested: null } },
  },
  {
    name: 'null inside references and roles is absent',
    kind: 'users',
    wire: {
      roles: [
        {
          roleType: 'primary',
          role: 'student',
          org: { href: null, sourcedId: 's-1', type: null },
          beginDate: null,
          userProfile: null,
        },
      ],
      primaryOrg: { sourcedId: 's-1', href: null },
    },
    expect: {
      roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: 's-1', type: 'org' } }],
      primaryOrg: { sourcedId: 's-1', type: 'org' },
    },
  },
  {
    name: 'null metadata values are kept (vendor data)',
    kind: 'courses',
    wire: { metadata: { 'ext:x': null } },
    expect: { metadata: { 'ext:x': null } },
  },
  // Empty strings
  {
    name: '"" is absent for typed optionals (dates, booleans, vocabularies, references, lists)',
    kind: 'enrollments',
    wire: { primary: '', beginDate: '', endDate: '' },
    expect: { primary: undefined, beginDate: undefined, endDate: undefined },
  },
  {
    name: '"" is absent for optional references, ref lists and vocabularies',
    kind: 'classes',
    wire: { course: '', classType: '', periods: '', grades: '' },
    expect: { course: undefined, classType: undefined, periods: undefined, grades: undefined },
  },
  {
    name: '"" list alone is absent',
    kind: 'classes',
    wire: { periods: '' },
    expect: { periods: undefined },
  },
  {
    name: '"" metadata alone is absent',
    kind: 'classes',
    wire: { metadata: '' },
    expect: { metadata: undefined },
  },
  {
    name: '"" boolean alone is absent',
    kind: 'demographics',
    wire: { asian: '' },
    expect: { asian: undefined },
  },
  {
    name: '"" href is absent',
    kind: 'enrollments',
    wire: { user: { href: '', sourcedId: 'u-1', type: 'user' } },
    expect: { user: { sourcedId: 'u-1', type: 'user' } },
  },
  {
    name: '"" free text is a value and is kept (names, codes, email)',
    kind: 'users',
    wire: { givenName: '', familyName: '', middleName: '', email: '', identifier: '' },
    expect: { givenName: '', familyName: '', middleName: '', email: '', identifier: '' },
  },
  // References
  {
    name: 'references with only a sourcedId get their type',
    kind: 'enrollments',
    wire: { user: { sourcedId: 'u-1' }, class: { sourcedId: 'c-1' }, school: { sourcedId: 's-1' } },
    expect: {
      user: { sourcedId: 'u-1', type: 'user' },
      class: { sourcedId: 'c-1', type: 'class' },
      school: { sourcedId: 's-1', type: 'org' },
    },
  },
  {
    name: 'relative hrefs are kept as sent',
    kind: 'enrollments',
    wire: { school: { href: '~/ims/oneroster/v1p1/orgs/894', sourcedId: '894', type: 'org' } },
    expect: { school: { href: '~/ims/oneroster/v1p1/orgs/894', sourcedId: '894', type: 'org' } },
  },
  {
    name: '1.1 reference types (term, student) become the 1.2 type of the field',
    kind: 'classes',
    version: '1.1',
    wire: {
      terms: [
        { sourcedId: 't-1', type: 'term' },
        { sourcedId: 'g-1', type: 'gradingPeriod' },
      ],
    },
    expect: {
      terms: [
        { sourcedId: 't-1', type: 'academicSession' },
        { sourcedId: 'g-1', type: 'academicSession' },
      ],
    },
  },
  {
    name: 'extra keys inside a reference are kept',
    kind: 'enrollments',
    wire: { class: { sourcedId: 'c-1', type: 'class', name: 'Algebra' } },
    expect: { class: { sourcedId: 'c-1', type: 'class', name: 'Algebra' } },
  },
  // Extra fields and vocabularies
  {
    name: 'vendor fields are kept as sent',
    kind: 'users',
    wire: { 'x-classlink-id': 42, sisData: { grade: 9, tags: ['a'] } },
    expect: { 'x-classlink-id': 42, sisData: { grade: 9, tags: ['a'] } },
  },
  {
    name: 'metadata is kept',
    kind: 'orgs',
    wire: { metadata: { 'ext:nces': '123', nested: { a: [1] } } },
    expect: { metadata: { 'ext:nces': '123', nested: { a: [1] } } },
  },
  {
    name: 'ext: vocabulary values are accepted',
    kind: 'classes',
    wire: { classType: 'ext:lab' },
    expect: { classType: 'ext:lab' },
  },
  {
    name: 'ext: role values are accepted',
    kind: 'users',
    wire: { roles: [{ roleType: 'primary', role: 'ext:coach', org: ORG_REF }] },
    expect: { roles: [{ roleType: 'primary', role: 'ext:coach', org: ORG_REF }] },
  },
  {
    name: 'vocabulary values outside the spec list are accepted as sent',
    kind: 'orgs',
    wire: { type: 'campus' },
    expect: { type: 'campus' },
  },
  {
    name: 'vocabulary case variants get the spec spelling (Scheduled, Student)',
    kind: 'classes',
    wire: { classType: 'Scheduled' },
    expect: { classType: 'scheduled' },
  },
  {
    name: 'role case variants get the spec spelling',
    kind: 'enrollments',
    wire: { role: 'Teacher' },
    expect: { role: 'teacher' },
  },
  // Status
  {
    name: 'inactive (OneRoster 1.0) is tobedeleted',
    kind: 'orgs',
    wire: { status: 'inactive' },
    expect: { status: 'tobedeleted' },
  },
  {
    name: 'status case variants',
    kind: 'courses',
    wire: { status: 'Active' },
    expect: { status: 'active' },
  },
  // Dates
  ...[
    ['2024-09-01T12:00:00Z', '2024-09-01T12:00:00.000Z'],
    ['2024-09-01T12:00:00.123456Z', '2024-09-01T12:00:00.123Z'],
    ['2024-09-01T07:00:00-05:00', '2024-09-01T12:00:00.000Z'],
    ['2024-09-01T12:00:00', '2024-09-01T12:00:00.000Z'],
    ['2024-09-01', '2024-09-01T00:00:00.000Z'],
  ].map(([sent, stored]) => ({
    name: `dateLastModified ${sent} -> ${stored}`,
    kind: 'enrollments' as const,
    wire: { dateLastModified: sent },
    expect: { dateLastModified: stored },
  })),
  {
    name: 'date fields sent as date-times keep their calendar day',
    kind: 'academicSessions',
    wire: { startDate: '2024-08-20T00:00:00Z', endDate: '2024-12-20T00:00:00-06:00' },
    expect: { startDate: '2024-08-20', endDate: '2024-12-20' },
  },
  {
    name: 'schoolYear sent as a number',
    kind: 'academicSessions',
    wire: { schoolYear: 2025 },
    expect: { schoolYear: '2025' },
  },
  // Lists
  {
    name: '1.1 periods as a comma-separated string',
    kind: 'classes',
    version: '1.1',
    wire: { periods: '1, 2,3' },
    expect: { periods: ['1', '2', '3'] },
  },
  {
    name: '1.2 periods as an array',
    kind: 'classes',
    wire: { periods: ['1', '2'] },
    expect: { periods: ['1', '2'] },
  },
  {
    name: 'grades as one string (CSV-fed servers)',
    kind: 'users',
    wire: { grades: '09,10' },
    expect: { grades: ['09', '10'] },
  },
  {
    name: '1.1 classes without terms get []',
    kind: 'classes',
    version: '1.1',
    wire: { terms: undefined },
    expect: { terms: [] },
  },
  // Users across versions
  {
    name: '1.2-shaped users on a 1.1 endpoint (ClassLink)',
    kind: 'users',
    version: '1.1',
    wire: {},
    expect: {
      roles: [{ roleType: 'primary', role: 'student', org: ORG_REF }],
      primaryOrg: undefined,
    },
  },
  {
    name: '1.1-shaped users on a 1.2 endpoint',
    kind: 'users',
    wire: { roles: undefined, role: 'teacher', orgs: [ORG_REF] },
    expect: {
      roles: [{ roleType: 'primary', role: 'teacher', org: ORG_REF }],
      primaryOrg: ORG_REF,
      role: undefined,
      orgs: undefined,
    },
  },
  {
    name: 'CSV-style preferred names map to the REST names',
    kind: 'users',
    wire: { preferredGivenName: 'Annie', preferredFamilyName: 'Li' },
    expect: {
      preferredFirstName: 'Annie',
      preferredLastName: 'Li',
      preferredGivenName: undefined,
      preferredFamilyName: undefined,
    },
  },
  {
    name: '1.1 user ids without a type get ""',
    kind: 'users',
    version: '1.1',
    wire: { userIds: [{ identifier: 'ldap-1' }] },
    expect: { userIds: [{ type: '', identifier: 'ldap-1' }] },
  },
];

function wireFor(c: Case): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...WIRE[c.kind], ...c.wire };
  for (const [key, value] of Object.entries(c.wire)) if (value === undefined) delete wire[key];
  return wire;
}

describe('tolerance', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const version = c.version ?? '1.2';
    const wire = wireFor(c);
    const before = structuredClone(wire);
    const result = parseRecord(c.kind, wire, { version, mode: 'strict' });
    if (!result.ok) throw result.error;
    const record = result.record as Record<string, unknown>;
    for (const [key, value] of Object.entries(c.expect)) {
      if (value === undefined) expect(record, key).not.toHaveProperty(key);
      else expect(record[key], key).toStrictEqual(value);
    }
    // The input is never modified, and `off` mode normalises the same way.
    expect(wire).toStrictEqual(before);
    const off = parseRecord(c.kind, wire, { version, mode: 'off' });
    expect(off.ok && off.record).toStrictEqual(record);
  });
});
