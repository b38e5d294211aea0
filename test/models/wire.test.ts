/**
 * `toWire` output format. Parsing is tolerant, so a round trip alone would not notice a wrong
 * encoding; these check the wire JSON itself against each version's spec.
 */
import { describe, expect, it } from 'vitest';
import { type ModelKind, parseRecord, toWire } from '../../src/models';
import type { Class, Enrollment, OneRosterVersion, User } from '../../src/models/types';
import { generate, seeded } from './helpers/generate';

const KINDS: ModelKind[] = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
];

const BOOLEANS = new Set([
  'enabledUser',
  'primary',
  'americanIndianOrAlaskaNative',
  'asian',
  'blackOrAfricanAmerican',
  'nativeHawaiianOrOtherPacificIslander',
  'white',
  'demographicRaceTwoOrMoreRaces',
  'hispanicOrLatinoEthnicity',
]);

/** Reference fields and the type each must carry on the wire (the same names in 1.1 and 1.2). */
const REF_TYPES: Record<string, string> = {
  parent: 'org|academicSession',
  children: 'org|academicSession',
  schoolYear: 'academicSession',
  org: 'org',
  resources: 'resource',
  course: 'course',
  school: 'org',
  terms: 'academicSession',
  user: 'user',
  class: 'class',
  agents: 'user',
  primaryOrg: 'org',
  orgs: 'org',
};

function refsOf(wire: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const [key, value] of Object.entries(wire)) {
    if (!(key in REF_TYPES) || (key === 'schoolYear' && typeof value === 'string')) continue;
    for (const item of Array.isArray(value) ? value : [value]) out.push([key, item]);
  }
  for (const role of (wire.roles as Array<Record<string, unknown>> | undefined) ?? []) {
    out.push(['org', role.org as Record<string, unknown>]);
  }
  return out;
}

describe.each(['1.1', '1.2'] as const)('toWire %s', (version: OneRosterVersion) => {
  it.each(KINDS)('%s: booleans, references and absent optionals follow the spec', (kind) => {
    const rng = seeded(kind.length + 99);
    for (let i = 0; i < 40; i++) {
      const record = generate(kind, version, rng);
      const wire = toWire(kind, record, version);
      for (const [key, value] of Object.entries(wire)) {
        expect(value, key).not.toBeUndefined();
        if (BOOLEANS.has(key)) {
          // 1.2: the strings "true"/"false"; 1.1: JSON booleans.
          if (version === '1.2') expect(['true', 'false'], key).toContain(value);
          else expect(typeof value, key).toBe('boolean');
        }
      }
      for (const [key, ref] of refsOf(wire)) {
        expect(REF_TYPES[key]?.split('|'), key).toContain(ref.type);
        expect(typeof ref.sourcedId).toBe('string');
        expect(Object.keys(ref).slice(0, ref.href === undefined ? 2 : 3)).toEqual(
          ref.href === undefined ? ['sourcedId', 'type'] : ['href', 'sourcedId', 'type'],
        );
      }
    }
  });
});

describe('toWire specifics', () => {
  const org = (id: string) => ({ sourcedId: id, type: 'org' });
  const user: User = {
    sourcedId: 'u-1',
    status: 'active',
    dateLastModified: '2024-09-01T12:00:00.000Z',
    enabledUser: false,
    givenName: 'Ana',
    familyName: 'Lee',
    roles: [
      { roleType: 'secondary', role: 'aide', org: org('s-9') },
      { roleType: 'primary', role: 'teacher', org: org('s-1'), beginDate: '2024-08-01' },
    ],
    primaryOrg: org('s-1'),
    preferredFirstName: 'Annie',
  };

  it('1.2 users keep roles and primaryOrg; booleans become strings', () => {
    const wire = toWire('users', user, '1.2');
    expect(wire.enabledUser).toBe('false');
    expect(wire.roles).toStrictEqual(user.roles);
    expect(wire.primaryOrg).toStrictEqual(user.primaryOrg);
    expect(wire).not.toHaveProperty('role');
  });

  it('1.1 users get role (the primary role) and orgs (primary org first); 1.2 extras are kept', () => {
    const wire = toWire('users', user, '1.1');
    expect(wire.role).toBe('teacher');
    expect(wire.orgs).toStrictEqual([org('s-1'), org('s-9')]);
    expect(wire.enabledUser).toBe(false);
    expect(wire.preferredFirstName).toBe('Annie');
    expect(wire).not.toHaveProperty('roles');
    expect(wire).not.toHaveProperty('primaryOrg');
  });

  it('1.1 users without a primary role take the first role', () => {
    const wire = toWire(
      'users',
      {
        ...user,
        roles: [{ roleType: 'secondary', role: 'aide', org: org('s-9') }],
        primaryOrg: undefined as never,
      },
      '1.1',
    );
    expect(wire.role).toBe('aide');
    expect(wire.orgs).toStrictEqual([org('s-9')]);
  });

  it.each([
    // Every 1.2 role 1.1 lacks (oneroster.md §5 and §6) becomes 1.1's `administrator`.
    ['districtAdministrator', 'administrator'],
    ['siteAdministrator', 'administrator'],
    ['systemAdministrator', 'administrator'],
    ['principal', 'administrator'],
    ['counselor', 'administrator'],
    // 1.1 values, extensions and vendor values are sent as they are.
    ['administrator', 'administrator'],
    ['aide', 'aide'],
    ['guardian', 'guardian'],
    ['parent', 'parent'],
    ['proctor', 'proctor'],
    ['relative', 'relative'],
    ['student', 'student'],
    ['teacher', 'teacher'],
    ['ext:districtAdministrator', 'ext:districtAdministrator'],
    ['staff', 'staff'],
    ['constructor', 'constructor'],
  ])('a 1.2 %s is a 1.1 %s; 1.2 keeps it', (role, v1p1Role) => {
    const record: User = {
      ...user,
      roles: [
        { roleType: 'primary', role, org: org('s-1') },
        { roleType: 'primary', role, org: org('s-2') },
      ],
    };
    const wire = toWire('users', record, '1.1');
    expect(wire.role).toBe(v1p1Role);
    expect(wire.orgs).toStrictEqual([org('s-1'), org('s-2')]);
    expect((toWire('users', record, '1.2').roles as User['roles'])[0]?.role).toBe(role);
    expect(record.roles[0]?.role).toBe(role);
  });

  it('1.1 users rendered from generated 1.2 users only carry 1.1 roles or extensions', () => {
    const V1P1_ROLES = [
      'administrator',
      'aide',
      'guardian',
      'parent',
      'proctor',
      'relative',
      'student',
      'teacher',
    ];
    const rng = seeded(1211);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const record = generate('users', '1.2', rng);
      for (const r of record.roles) seen.add(r.role);
      const role = toWire('users', record, '1.1').role;
      expect(
        typeof role === 'string' && (V1P1_ROLES.includes(role) || role.startsWith('ext:')),
        String(role),
      ).toBe(true);
    }
    // The generator does produce 1.2-only roles, so the check above covers them.
    expect([...seen]).toEqual(expect.arrayContaining(['districtAdministrator', 'counselor']));
  });

  it('1.1 periods are one comma-separated string; 1.2 keeps the list', () => {
    const cls: Class = {
      sourcedId: 'c-1',
      status: 'active',
      dateLastModified: '2024-09-01T12:00:00.000Z',
      title: 'Algebra',
      school: org('s-1'),
      terms: [],
      periods: ['1', '2A'],
    };
    expect(toWire('classes', cls, '1.1').periods).toBe('1,2A');
    expect(toWire('classes', cls, '1.2').periods).toStrictEqual(['1', '2A']);
  });

  it('hrefBase builds absolute or relative hrefs and encodes ids', () => {
    const enrollment: Enrollment = {
      sourcedId: 'e-1',
      status: 'active',
      dateLastModified: '2024-09-01T12:00:00.000Z',
      user: { sourcedId: 'u 1/2', type: 'user', href: 'https://old.example/users/u' },
      class: { sourcedId: 'c-1', type: 'class' },
      school: org('s-1'),
      role: 'student',
    };
    const absolute = toWire('enrollments', enrollment, '1.2', {
      hrefBase: 'https://sis.example/ims/oneroster/rostering/v1p2/',
    });
    expect(absolute.user).toStrictEqual({
      href: 'https://sis.example/ims/oneroster/rostering/v1p2/users/u%201%2F2',
      sourcedId: 'u 1/2',
      type: 'user',
    });
    const relative = toWire('enrollments', enrollment, '1.1', { hrefBase: '/ims/oneroster/v1p1' });
    expect(relative.class).toStrictEqual({
      href: '/ims/oneroster/v1p1/classes/c-1',
      sourcedId: 'c-1',
      type: 'class',
    });
    // Without a base, a reference keeps its own href, or has none.
    const plain = toWire('enrollments', enrollment, '1.2');
    expect(plain.user).toStrictEqual(
      enrollment.user && { href: 'https://old.example/users/u', sourcedId: 'u 1/2', type: 'user' },
    );
    expect(plain.class).toStrictEqual({ sourcedId: 'c-1', type: 'class' });
  });

  it('omits absent and undefined optionals and never modifies the record', () => {
    const record = { ...user, middleName: undefined } as unknown as User;
    const before = structuredClone(record);
    const wire = toWire('users', record, '1.2');
    expect(wire).not.toHaveProperty('middleName');
    expect(record).toStrictEqual(before);
    expect(wire.roles).not.toBe(record.roles);
  });

  it('renders a projected user (no roles) without inventing role or orgs', () => {
    const projected = { sourcedId: 'u-1', givenName: 'Ana' } as unknown as User;
    expect(toWire('users', projected, '1.1')).toStrictEqual({ sourcedId: 'u-1', givenName: 'Ana' });
  });
});

describe('prototype safety', () => {
  it('an own __proto__ key from JSON stays a plain field through parse and render', () => {
    const wire = JSON.parse(
      '{"sourcedId":"o-1","status":"active","dateLastModified":"2024-09-01T00:00:00Z","name":"A","type":"school","__proto__":{"polluted":true}}',
    ) as Record<string, unknown>;
    for (const version of ['1.1', '1.2'] as const) {
      for (const mode of ['strict', 'off'] as const) {
        const result = parseRecord('orgs', wire, { version, mode });
        if (!result.ok) throw result.error;
        expect(Object.getPrototypeOf(result.record)).toBe(Object.prototype);
        expect(Object.hasOwn(result.record, '__proto__')).toBe(true);
        const rendered = toWire('orgs', result.record, version);
        expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
        expect(Object.hasOwn(rendered, '__proto__')).toBe(true);
        expect((rendered as { polluted?: unknown }).polluted).toBeUndefined();
      }
    }
    const user = JSON.parse(
      '{"sourcedId":"u-1","status":"active","dateLastModified":"2024-09-01T00:00:00Z","givenName":"A","familyName":"B","role":"student","orgs":[{"sourcedId":"s"}],"preferredGivenName":"Al","__proto__":{"polluted":true}}',
    ) as Record<string, unknown>;
    const parsed = parseRecord('users', user, { version: '1.1', mode: 'strict' });
    if (!parsed.ok) throw parsed.error;
    expect(Object.getPrototypeOf(parsed.record)).toBe(Object.prototype);
    expect(parsed.record.preferredFirstName).toBe('Al');
    expect(Object.hasOwn(parsed.record, '__proto__')).toBe(true);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
