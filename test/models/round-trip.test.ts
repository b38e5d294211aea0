/**
 * Properties over a few hundred seeded random records of every kind and both versions:
 * - `parseRecord(toWire(x, v), v)` gives back `x` (with and without `hrefBase`, and through JSON),
 *   except for the documented lossy role mapping of 1.1 (a 1.2 role 1.1 lacks comes back as
 *   `administrator`);
 * - the exported zod schemas (`v1p1.userSchema`, ...) give the same record as `parseRecord`;
 * - `off` mode gives the same record as the validating modes for valid input.
 * Plus: the same person sent as 1.1 and as 1.2 normalises to equal records.
 */
import { describe, expect, it } from 'vitest';
import { type ModelKind, parseRecord, rawRecord, toWire, v1p1, v1p2 } from '../../src/models';
import type { OneRosterVersion, RecordTypes, User } from '../../src/models/types';
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
const PER_KIND = 60;

const EXPORTED = {
  '1.1': {
    orgs: v1p1.orgSchema,
    academicSessions: v1p1.academicSessionSchema,
    courses: v1p1.courseSchema,
    classes: v1p1.classSchema,
    users: v1p1.userSchema,
    enrollments: v1p1.enrollmentSchema,
    demographics: v1p1.demographicsSchema,
  },
  '1.2': {
    orgs: v1p2.orgSchema,
    academicSessions: v1p2.academicSessionSchema,
    courses: v1p2.courseSchema,
    classes: v1p2.classSchema,
    users: v1p2.userSchema,
    enrollments: v1p2.enrollmentSchema,
    demographics: v1p2.demographicsSchema,
  },
} as const;

/**
 * The 1.1 user role `toWire` sends for each 1.2 role 1.1 lacks (src/models/README.md, "Versions";
 * 1.1 roles: oneroster.md §5). Written out here rather than imported, so the test checks the table.
 */
const V1P1_ROLE_OF: Readonly<Record<string, string>> = {
  districtAdministrator: 'administrator',
  siteAdministrator: 'administrator',
  systemAdministrator: 'administrator',
  principal: 'administrator',
  counselor: 'administrator',
};
const V1P2_ONLY_ROLES = Object.keys(V1P1_ROLE_OF);

/**
 * A generated record. The generator gives 1.1 users only roles 1.1 has; here half of them get one
 * of the 1.2-only roles instead (at every org, as a 1.1 user has one role), so the round trip
 * covers the lossy mapping rather than avoiding it.
 */
function record<K extends ModelKind>(
  kind: K,
  version: OneRosterVersion,
  rng: () => number,
): RecordTypes[K] {
  const x = generate(kind, version, rng);
  if (kind !== 'users' || version !== '1.1' || rng() < 0.5) return x;
  const role = V1P2_ONLY_ROLES[Math.floor(rng() * V1P2_ONLY_ROLES.length)] as string;
  const user = x as User;
  return { ...user, roles: user.roles.map((r) => ({ ...r, role })) } as RecordTypes[K];
}

/** What parsing `toWire(x, version)` gives back: `x`, with 1.1's documented role mapping. */
function expected<K extends ModelKind>(
  kind: K,
  version: OneRosterVersion,
  x: RecordTypes[K],
): RecordTypes[K] {
  if (kind !== 'users' || version !== '1.1') return x;
  const user = x as User;
  return {
    ...user,
    roles: user.roles.map((r) => ({ ...r, role: V1P1_ROLE_OF[r.role] ?? r.role })),
  } as RecordTypes[K];
}

/** `value` without its `href`s (when the wire was rendered with a different base). */
function withoutHrefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutHrefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'href')
      .map(([key, inner]) => [key, key === 'metadata' ? inner : withoutHrefs(inner)]),
  );
}

describe.each(['1.1', '1.2'] as const)('round trip through %s wire JSON', (version) => {
  it.each(KINDS)('%s: parseRecord(toWire(x)) equals x', (kind) => {
    const rng = seeded(kind.length * 1000 + (version === '1.1' ? 11 : 12));
    for (let i = 0; i < PER_KIND; i++) {
      const x = record(kind, version, rng);
      const before = structuredClone(x);
      const wire = toWire(kind, x, version);
      expect(x).toStrictEqual(before);
      // Through real JSON, as a server would send it.
      const json = JSON.parse(JSON.stringify(wire)) as unknown;
      const result = parseRecord(kind, json, { version, mode: 'strict' });
      if (!result.ok) throw new Error(`${kind} #${i}: ${result.error.message}`);
      expect(result.record).toStrictEqual(expected(kind, version, x));
      expect(rawRecord(result.record)).toBe(json);
    }
  });

  it.each(KINDS)(
    '%s: with an hrefBase, references get absolute hrefs and otherwise round-trip',
    (kind) => {
      const rng = seeded(kind.length * 7 + 3);
      const hrefBase = `https://sis.example.org/ims/oneroster/${version === '1.1' ? 'v1p1' : 'rostering/v1p2'}/`;
      for (let i = 0; i < PER_KIND / 2; i++) {
        const x = record(kind, version, rng);
        const wire = toWire(kind, x, version, { hrefBase });
        const hrefs = JSON.stringify(wire).match(/"href":"[^"]*"/g) ?? [];
        for (const href of hrefs) {
          expect(href).toMatch(
            /^"href":"https:\/\/sis\.example\.org\/ims\/oneroster\/(v1p1|rostering\/v1p2)\/(orgs|academicSessions|courses|classes|users|resources)\/[^/"]+"$/,
          );
        }
        const result = parseRecord(kind, wire, { version, mode: 'strict' });
        if (!result.ok) throw result.error;
        expect(withoutHrefs(result.record)).toStrictEqual(withoutHrefs(expected(kind, version, x)));
      }
    },
  );

  it.each(KINDS)('%s: the exported zod schema and off mode agree with parseRecord', (kind) => {
    const rng = seeded(kind.length * 31 + 5);
    const schema = EXPORTED[version][kind];
    for (let i = 0; i < PER_KIND / 2; i++) {
      const wire = toWire(kind, record(kind, version, rng), version);
      // Sprinkle nulls, which every path treats as absent.
      const sent = { ...wire, vendorNull: null, metadata: wire.metadata ?? null };
      const parsed = parseRecord(kind, sent, { version, mode: 'strict' });
      if (!parsed.ok) throw parsed.error;
      expect(schema.parse(sent)).toStrictEqual(parsed.record);
      const off = parseRecord(kind, sent, { version, mode: 'off' });
      expect(off.ok && off.record).toStrictEqual(parsed.record);
    }
  });
});

describe('the same person in 1.1 and 1.2', () => {
  const org = (id: string) => ({
    href: `https://sis.example.org/ims/oneroster/orgs/${id}`,
    sourcedId: id,
    type: 'org',
  });
  const common = {
    sourcedId: 'u-42',
    status: 'active',
    dateLastModified: '2024-09-01T12:00:00Z',
    username: 'ana.lee',
    userIds: [{ type: 'LDAP', identifier: 'cn=ana' }],
    givenName: 'Ana',
    familyName: 'Lee',
    middleName: 'M',
    identifier: '1001',
    email: 'ana@example.org',
    agents: [
      { href: 'https://sis.example.org/ims/oneroster/users/p-1', sourcedId: 'p-1', type: 'user' },
    ],
    grades: ['09'],
  };
  const v11 = { ...common, enabledUser: true, role: 'student', orgs: [org('s-1'), org('s-2')] };
  const v12 = {
    ...common,
    enabledUser: 'true',
    roles: [
      { roleType: 'primary', role: 'student', org: org('s-1') },
      { roleType: 'primary', role: 'student', org: org('s-2') },
    ],
    primaryOrg: org('s-1'),
  };

  const parse = (wire: unknown, version: OneRosterVersion): User => {
    const result = parseRecord('users', wire, { version, mode: 'strict' });
    if (!result.ok) throw result.error;
    return result.record;
  };

  it('normalises to equal records', () => {
    expect(parse(v11, '1.1')).toStrictEqual(parse(v12, '1.2'));
  });

  it('renders back to each version', () => {
    const user = parse(v12, '1.2');
    expect(toWire('users', user, '1.1')).toStrictEqual({
      ...v11,
      dateLastModified: '2024-09-01T12:00:00.000Z',
    });
    expect(toWire('users', user, '1.2')).toStrictEqual({
      ...v12,
      dateLastModified: '2024-09-01T12:00:00.000Z',
    });
  });

  it('documents the lossy bits of 1.2 -> 1.1', () => {
    const user = parse(
      {
        ...v12,
        roles: [
          { roleType: 'primary', role: 'teacher', org: org('s-2'), beginDate: '2024-08-01' },
          { roleType: 'secondary', role: 'aide', org: org('s-1') },
          { roleType: 'primary', role: 'districtAdministrator', org: org('d-1') },
        ],
        primaryOrg: org('s-1'),
      },
      '1.2',
    );
    const wire = toWire('users', user, '1.1');
    // One role: the primary role at the primary org if there is one, else the first primary role.
    expect(wire.role).toBe('teacher');
    // Every org once, the primary org first. Secondary roles, role dates and differing roles per
    // org do not survive.
    expect(wire.orgs).toStrictEqual([org('s-1'), org('s-2'), org('d-1')]);
    const back = parse(wire, '1.1');
    expect(back.roles.map((r) => [r.role, r.org.sourcedId, r.roleType])).toEqual([
      ['teacher', 's-1', 'primary'],
      ['teacher', 's-2', 'primary'],
      ['teacher', 'd-1', 'primary'],
    ]);
  });

  it('keeps 1.1 administrator as administrator (no 1.2 equivalent)', () => {
    expect(parse({ ...v11, role: 'administrator' }, '1.1').roles[0]?.role).toBe('administrator');
  });
});
