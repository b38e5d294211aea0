/**
 * What must be right: identity, status, dateLastModified, references and required links. Each bad
 * record gives `ok: false` with the failing path, in `strict` and `lenient` alike, and the error
 * never contains a value from the record (records carry PII and errors reach logs).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { type ModelKind, parseRecord } from '../../src/models';
import type { OneRosterVersion } from '../../src/models/types';
import { seeded } from './helpers/generate';

// Every value is a sentinel that must never appear in an error.
const SECRET = 'SECRET-PII';
const BASE = {
  sourcedId: 'rec-1',
  status: 'active',
  dateLastModified: '2024-09-01T12:00:00.000Z',
  metadata: { note: `${SECRET}-metadata` },
};
const ref = (sourcedId: string, type: string) => ({ sourcedId, type });

const VALID: Record<ModelKind, Record<string, unknown>> = {
  orgs: { ...BASE, name: `${SECRET}-name`, type: 'school' },
  academicSessions: {
    ...BASE,
    title: `${SECRET}-title`,
    type: 'term',
    startDate: '2024-08-20',
    endDate: '2024-12-20',
    schoolYear: '2025',
  },
  courses: { ...BASE, title: `${SECRET}-title` },
  classes: {
    ...BASE,
    title: `${SECRET}-title`,
    school: ref('s-1', 'org'),
    terms: [ref('t-1', 'academicSession')],
  },
  users: {
    ...BASE,
    givenName: `${SECRET}-given`,
    familyName: `${SECRET}-family`,
    email: `${SECRET}@example.org`,
    enabledUser: 'true',
    roles: [{ roleType: 'primary', role: 'student', org: ref('s-1', 'org') }],
  },
  enrollments: {
    ...BASE,
    user: ref('u-1', 'user'),
    class: ref('c-1', 'class'),
    school: ref('s-1', 'org'),
    role: 'student',
  },
  demographics: { ...BASE, birthDate: '2010-01-31', cityOfBirth: `${SECRET}-city` },
};

interface Case {
  name: string;
  kind: ModelKind;
  version?: OneRosterVersion;
  /** Changes to the valid record (`undefined` deletes the field). */
  change: Record<string, unknown>;
  /** Paths that must be reported. */
  paths: string[];
}

const CASES: Case[] = [
  {
    name: 'missing sourcedId',
    kind: 'orgs',
    change: { sourcedId: undefined },
    paths: ['sourcedId'],
  },
  { name: 'empty sourcedId', kind: 'courses', change: { sourcedId: '' }, paths: ['sourcedId'] },
  { name: 'numeric sourcedId', kind: 'courses', change: { sourcedId: 42 }, paths: ['sourcedId'] },
  {
    name: 'null sourcedId (null is absent)',
    kind: 'orgs',
    change: { sourcedId: null },
    paths: ['sourcedId'],
  },
  { name: 'bad status', kind: 'orgs', change: { status: `${SECRET}-status` }, paths: ['status'] },
  { name: 'missing status', kind: 'users', change: { status: undefined }, paths: ['status'] },
  {
    name: 'bad dateLastModified',
    kind: 'enrollments',
    change: { dateLastModified: `${SECRET}-date` },
    paths: ['dateLastModified'],
  },
  {
    name: 'impossible dateLastModified',
    kind: 'enrollments',
    change: { dateLastModified: '2024-02-30T00:00:00Z' },
    paths: ['dateLastModified'],
  },
  {
    name: 'numeric dateLastModified',
    kind: 'classes',
    change: { dateLastModified: 1_725_192_000_000 },
    paths: ['dateLastModified'],
  },
  {
    name: 'missing enrollment.user',
    kind: 'enrollments',
    change: { user: undefined },
    paths: ['user'],
  },
  {
    name: 'missing enrollment.class',
    kind: 'enrollments',
    change: { class: undefined },
    paths: ['class'],
  },
  {
    name: 'missing enrollment.school',
    kind: 'enrollments',
    change: { school: undefined },
    paths: ['school'],
  },
  {
    name: 'missing enrollment.role',
    kind: 'enrollments',
    change: { role: undefined },
    paths: ['role'],
  },
  {
    name: 'reference without sourcedId',
    kind: 'enrollments',
    change: { user: { href: `https://x/${SECRET}`, type: 'user' } },
    paths: ['user.sourcedId'],
  },
  {
    name: 'reference that is a string',
    kind: 'enrollments',
    change: { class: `${SECRET}-class` },
    paths: ['class'],
  },
  {
    name: 'bad primary',
    kind: 'enrollments',
    change: { primary: `${SECRET}` },
    paths: ['primary'],
  },
  {
    name: 'bad beginDate',
    kind: 'enrollments',
    change: { beginDate: '2024-13-01' },
    paths: ['beginDate'],
  },
  {
    name: 'missing class.school',
    kind: 'classes',
    change: { school: undefined },
    paths: ['school'],
  },
  {
    name: 'missing class.terms (1.2)',
    kind: 'classes',
    change: { terms: undefined },
    paths: ['terms'],
  },
  { name: 'empty class.terms (1.2)', kind: 'classes', change: { terms: [] }, paths: ['terms'] },
  {
    name: 'term reference without sourcedId',
    kind: 'classes',
    change: { terms: [ref('t-1', 'academicSession'), { type: 'academicSession' }] },
    paths: ['terms.1.sourcedId'],
  },
  { name: 'empty roles (1.2)', kind: 'users', change: { roles: [] }, paths: ['roles'] },
  { name: 'missing roles (1.2)', kind: 'users', change: { roles: undefined }, paths: ['roles'] },
  {
    name: 'role without org',
    kind: 'users',
    change: { roles: [{ roleType: 'primary', role: 'student' }] },
    paths: ['roles.0.org'],
  },
  {
    name: 'role with an unknown roleType',
    kind: 'users',
    change: { roles: [{ roleType: `${SECRET}`, role: 'student', org: ref('s-1', 'org') }] },
    paths: ['roles.0.roleType'],
  },
  {
    name: 'role org without sourcedId',
    kind: 'users',
    change: { roles: [{ roleType: 'primary', role: 'student', org: { type: 'org' } }] },
    paths: ['roles.0.org.sourcedId'],
  },
  {
    name: 'missing givenName',
    kind: 'users',
    change: { givenName: undefined },
    paths: ['givenName'],
  },
  { name: 'numeric familyName', kind: 'users', change: { familyName: 7 }, paths: ['familyName'] },
  {
    name: 'bad enabledUser',
    kind: 'users',
    change: { enabledUser: 'maybe' },
    paths: ['enabledUser'],
  },
  {
    name: 'user id without identifier',
    kind: 'users',
    change: { userIds: [{ type: 'LDAP' }] },
    paths: ['userIds.0.identifier'],
  },
  {
    name: 'missing role and orgs (1.1)',
    kind: 'users',
    version: '1.1',
    change: { roles: undefined },
    paths: ['role', 'orgs'],
  },
  {
    name: 'missing orgs (1.1)',
    kind: 'users',
    version: '1.1',
    change: { roles: undefined, role: 'student' },
    paths: ['orgs'],
  },
  {
    name: 'empty orgs (1.1)',
    kind: 'users',
    version: '1.1',
    change: { roles: undefined, role: 'student', orgs: [] },
    paths: ['orgs'],
  },
  {
    name: 'metadata that is a list',
    kind: 'orgs',
    change: { metadata: [SECRET] },
    paths: ['metadata'],
  },
  { name: 'missing org name', kind: 'orgs', change: { name: undefined }, paths: ['name'] },
  { name: 'empty org type', kind: 'orgs', change: { type: '' }, paths: ['type'] },
  {
    name: 'missing session endDate',
    kind: 'academicSessions',
    change: { endDate: undefined },
    paths: ['endDate'],
  },
  {
    name: 'missing schoolYear',
    kind: 'academicSessions',
    change: { schoolYear: undefined },
    paths: ['schoolYear'],
  },
  {
    name: 'bad birthDate',
    kind: 'demographics',
    change: { birthDate: `${SECRET}` },
    paths: ['birthDate'],
  },
  { name: 'grades of numbers', kind: 'courses', change: { grades: [9, 10] }, paths: ['grades'] },
];

function changed(c: Case): Record<string, unknown> {
  const record: Record<string, unknown> = { ...VALID[c.kind], ...c.change };
  for (const [key, value] of Object.entries(c.change)) if (value === undefined) delete record[key];
  return record;
}

/** Everything an error exposes: message, issues, and how it prints. */
function exposed(error: ValidationError): string {
  return [error.message, JSON.stringify(error.issues), inspect(error), String(error.stack)].join(
    '\n',
  );
}

describe('strictness', () => {
  it.each(['1.1', '1.2'] as const)('the valid records are valid (%s)', (version) => {
    for (const [kind, record] of Object.entries(VALID) as [ModelKind, Record<string, unknown>][]) {
      const wire =
        version === '1.1' && kind === 'users'
          ? { ...record, roles: undefined, role: 'student', orgs: [ref('s-1', 'org')] }
          : record;
      const result = parseRecord(kind, wire, { version, mode: 'strict' });
      expect(result.ok, kind).toBe(true);
    }
  });

  describe.each(['strict', 'lenient'] as const)('%s mode', (mode) => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const result = parseRecord(c.kind, changed(c), { version: c.version ?? '1.2', mode });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const { error } = result;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.code).toBe('validation_failed');
      expect(error.retryable).toBe(false);
      expect(error.resource).toBe(c.kind);
      expect(error.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(c.paths));
      for (const issue of error.issues) expect(issue.message).toMatch(/\S/);
      // sourcedIds are identifiers (not PII) and are named when readable.
      const id = changed(c).sourcedId;
      expect(error.sourcedId).toBe(typeof id === 'string' && id !== '' ? id : undefined);
      expect(exposed(error)).not.toContain(SECRET);
      expect(exposed(error)).not.toContain('example.org');
    });
  });

  it('reports every failing field of a record at once', () => {
    const result = parseRecord(
      'enrollments',
      { sourcedId: 'e-1', status: 'gone', dateLastModified: 'soon', role: 'student' },
      { version: '1.2', mode: 'strict' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues.map((issue) => issue.path).sort()).toEqual(
      ['class', 'dateLastModified', 'school', 'status', 'user'].sort(),
    );
    expect(result.error.message).toMatch(/^Invalid enrollments record e-1: /);
  });

  it.each([null, undefined, 'user', 42, [], [{ sourcedId: 'x' }]])(
    'rejects a non-object (%j) in every mode',
    (value) => {
      for (const mode of ['strict', 'lenient', 'off'] as const) {
        const result = parseRecord('users', value, { version: '1.2', mode });
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.error.issues).toEqual([{ path: '', message: 'must be an object' }]);
      }
    },
  );

  it('does not name an unreadable or oversized sourcedId', () => {
    const long = 'x'.repeat(300);
    const result = parseRecord('orgs', { sourcedId: long }, { version: '1.2', mode: 'strict' });
    expect(!result.ok && result.error.sourcedId).toBeUndefined();
  });

  it('ignores an application-wide zod error map that would quote values', async () => {
    const z = await import('zod');
    const previous = z.config().customError;
    z.config({ customError: (issue) => `bad value ${JSON.stringify(issue.input)}` });
    try {
      const record = { ...VALID.users, familyName: 12_345_678 };
      const result = parseRecord('users', record, { version: '1.2', mode: 'strict' });
      expect(!result.ok && exposed(result.error)).not.toContain('12345678');
    } finally {
      z.config({ customError: previous });
    }
  });
});

describe("validation 'off'", () => {
  it('passes invalid records through, normalising what it can read', () => {
    const result = parseRecord(
      'users',
      {
        sourcedId: 7,
        status: 'inactive',
        enabledUser: 'maybe',
        role: 'teacher',
        orgs: [{ sourcedId: 's-1' }],
        x: null,
      },
      { version: '1.1', mode: 'off' },
    );
    expect(result.ok && result.record).toStrictEqual({
      sourcedId: 7,
      status: 'tobedeleted',
      enabledUser: 'maybe',
      roles: [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 's-1', type: 'org' } }],
      primaryOrg: { sourcedId: 's-1', type: 'org' },
    });
  });

  it('never throws on odd input (seeded fuzz)', () => {
    const rng = seeded(7);
    const atoms = [
      null,
      '',
      'x',
      'TRUE',
      0,
      1,
      -1,
      true,
      false,
      [],
      {},
      [null],
      [1, 'a'],
      { sourcedId: 3 },
    ];
    const pick = () => atoms[Math.floor(rng() * atoms.length)];
    const keys = [
      'sourcedId',
      'status',
      'dateLastModified',
      'metadata',
      'roles',
      'role',
      'orgs',
      'primaryOrg',
      'enabledUser',
      'userIds',
      'userProfiles',
      'agents',
      'grades',
      'periods',
      'terms',
      'school',
      'user',
      'class',
      'primary',
      'beginDate',
      'type',
      'parent',
      'children',
      'preferredGivenName',
    ];
    const kinds: ModelKind[] = [
      'orgs',
      'academicSessions',
      'courses',
      'classes',
      'users',
      'enrollments',
      'demographics',
    ];
    for (let i = 0; i < 600; i++) {
      const record: Record<string, unknown> = {};
      for (const key of keys) if (rng() < 0.4) record[key] = pick();
      if (rng() < 0.3) record.roles = [pick(), { roleType: pick(), role: pick(), org: pick() }];
      const kind = kinds[i % kinds.length] as ModelKind;
      for (const version of ['1.1', '1.2'] as const) {
        for (const mode of ['off', 'lenient'] as const) {
          expect(() => parseRecord(kind, record, { version, mode })).not.toThrow();
        }
      }
    }
  });
});
