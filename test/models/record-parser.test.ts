/**
 * The whole-record parser is `parseRecord`'s shortcut for valid records: whenever it returns a
 * record, the general path (clean, check, convert, finish) must accept the same input and return
 * an equal record, with the same keys in the same order, and the raw link in place. Differential
 * tests over every field of a full record replaced by awkward values, projections, and seeded
 * random records (where it must also take the shortcut, so the comparison is not vacuous).
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type ModelKind, parseRecord, rawRecord, toWire } from '../../src/models';
import { planFor } from '../../src/models/checks';
import { checkAndNormalize } from '../../src/models/parse';
import { recordParser } from '../../src/models/record-parser';
import { checkerFor } from '../../src/models/schemas';
import type { OneRosterVersion } from '../../src/models/types';
import { DELETE, paths, withValue } from './helpers/edit-record';
import { generate, seeded } from './helpers/generate';
import { fixtureFor, loadSpec, MODEL_SCHEMAS } from './helpers/openapi';

const KINDS = MODEL_SCHEMAS['1.2'];

const AWKWARD: unknown[] = [
  DELETE,
  undefined,
  null,
  '',
  'x',
  'TRUE',
  'f',
  'Inactive',
  'Student',
  'ext:x',
  '2024-09-01',
  '2024-09-01T07:00:00-05:00',
  '2024-02-30',
  '1, 2',
  0,
  2025,
  true,
  {},
  { sourcedId: 's-1' },
  { sourcedId: 's-1', href: '', type: 7 },
  [],
  ['a', 'b'],
  [null],
  [{ sourcedId: 'x' }],
  [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 'o' } }],
  [{ identifier: 'i' }],
];

const PROJECTIONS: (readonly string[] | undefined)[] = [
  undefined,
  ['sourcedId', 'status', 'roles', 'terms'],
  ['sourcedId', 'givenName'],
  ['sourcedId', 'role', 'orgs'],
  ['role'],
  ['orgs', 'enabledUser'],
];

/** The projection whose awkward-value sweep runs besides the full record's. */
const SWEPT = PROJECTIONS[3];

/**
 * Compare the shortcut with the general path on `input`; returns whether the shortcut answered.
 */
function compare(
  kind: ModelKind,
  version: OneRosterVersion,
  fields: readonly string[] | undefined,
  input: unknown,
  label: string,
): boolean {
  const checker = checkerFor(kind, version, fields);
  const before = structuredClone(input);
  const whole = checker.whole?.(input);
  expect(input, `${label}: the input is not modified`).toStrictEqual(before);
  if (whole === undefined) return false;
  const general = checkAndNormalize(kind, version, input as Record<string, unknown>, checker);
  expect(general.ok, `${label}: the general path rejects what the shortcut accepts`).toBe(true);
  if (!general.ok) return true;
  expect(whole, label).toStrictEqual(general.record);
  expect(JSON.stringify(whole), `${label}: key order`).toBe(JSON.stringify(general.record));
  expect(rawRecord(whole), `${label}: raw link`).toBe(input);
  return true;
}

afterEach(() => {
  z.config({ jitless: false });
});

describe.each(['1.2', '1.1'] as const)(
  'whole-record parser agrees with the general path (%s)',
  (version) => {
    const doc = loadSpec('1.2');

    it.each(Object.keys(KINDS) as ModelKind[])(
      '%s: every field replaced by awkward values, with and without projections',
      (kind) => {
        const base = fixtureFor(
          doc,
          { $ref: `#/components/schemas/${KINDS[kind]}` },
          'all',
        ) as Record<string, unknown>;
        const inputs: [string, unknown][] = [['base', base]];
        if (kind === 'users') {
          // 1.1-shaped (role + orgs, no roles) and mixed users.
          const { roles: _roles, primaryOrg: _primary, ...rest } = base;
          inputs.push(['1.1 shape', { ...rest, role: 'teacher', orgs: [{ sourcedId: 'o-1' }] }]);
          inputs.push(['mixed', { ...base, role: 'teacher', orgs: [{ sourcedId: 'o-1' }] }]);
          // 1.1 roles with a primaryOrg of its own, which the mapping must keep.
          inputs.push([
            '1.1 shape with primaryOrg',
            {
              role: 'teacher',
              orgs: [{ sourcedId: 'o-1' }, { sourcedId: 'o-2' }],
              ...rest,
              primaryOrg: { sourcedId: 'o-2' },
            },
          ]);
        }
        for (const [name, record] of inputs) {
          for (const fields of PROJECTIONS) {
            const label = `${name} fields=${fields?.join(',') ?? '*'}`;
            expect(compare(kind, version, fields, record, label), `${label}: shortcut taken`).toBe(
              true,
            );
            // Every projection on the base record; the awkward values with two of them (time).
            if (fields !== undefined && fields !== SWEPT) continue;
            for (const path of paths(record)) {
              for (const value of AWKWARD) {
                compare(
                  kind,
                  version,
                  fields,
                  withValue(record, path, value),
                  `${label} ${path.join('.')}=${String(value)}`,
                );
              }
            }
          }
        }
      },
    );

    it.each(Object.keys(KINDS) as ModelKind[])(
      '%s: seeded random wire records take the shortcut and agree',
      (kind) => {
        const rng = seeded(kind.length * 31 + 7);
        for (let i = 0; i < 60; i++) {
          const record = generate(kind, version, rng);
          for (const wireVersion of ['1.1', '1.2'] as const) {
            const wire = toWire(kind, record, wireVersion);
            expect(compare(kind, version, undefined, wire, `#${i} ${wireVersion} wire`)).toBe(true);
          }
        }
      },
    );
  },
);

describe('whole-record parser: what it leaves to the general path', () => {
  const wire = () =>
    ({
      sourcedId: 'u-1',
      status: 'active',
      dateLastModified: '2024-09-01T12:00:00.000Z',
      givenName: 'Ana',
      familyName: 'Lee',
      role: 'student',
      orgs: [{ sourcedId: 's-1', type: 'org' }],
    }) as Record<string, unknown>;
  const whole = (input: unknown) => checkerFor('users', '1.1', undefined).whole?.(input);

  it('takes the shortcut for a plain valid record', () => {
    expect(whole(wire())).toMatchObject({ sourcedId: 'u-1', roles: [{ role: 'student' }] });
  });

  it('returns plain objects, like an object literal in every way a caller can see', () => {
    const record = whole(wire()) as Record<string, unknown>;
    const literal = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(record.constructor).toBe(Object);
    expect(Object.prototype.toString.call(record)).toBe('[object Object]');
    expect(inspect(record)).toBe(inspect(literal));
    expect(structuredClone(record)).toStrictEqual(literal);
    expect({ ...record }).toStrictEqual(literal);
    expect(record).toStrictEqual(literal);
  });

  it.each([
    ['a top-level null', { ...wire(), email: null }],
    ['an invalid field', { ...wire(), status: 'gone' }],
    ['a missing required field', { ...wire(), sourcedId: undefined }],
    ['a CSV-style name alias', { ...wire(), preferredGivenName: 'Annie' }],
    ['a null in an unknown field', { ...wire(), 'x-vendor': null }],
    [
      'an own __proto__ key',
      JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(wire()).slice(1)}`),
    ],
    ['another prototype', Object.assign(Object.create({ inherited: 1 }), wire())],
    ['a null prototype', Object.assign(Object.create(null), wire())],
    ['an array', [wire()]],
  ])('returns undefined for %s, and parseRecord still decides', (_, input) => {
    expect(whole(input)).toBeUndefined();
    const viaParse = parseRecord('users', input, { version: '1.1', mode: 'lenient' });
    const general = checkAndNormalize(
      'users',
      '1.1',
      input as Record<string, unknown>,
      checkerFor('users', '1.1', undefined),
    );
    if (Array.isArray(input)) {
      expect(viaParse.ok).toBe(false);
      return;
    }
    expect(viaParse.ok).toBe(general.ok);
    if (viaParse.ok && general.ok) expect(viaParse.record).toStrictEqual(general.record);
  });

  it('is not built where code may not be generated (jitless zod)', () => {
    z.config({ jitless: true });
    expect(recordParser('users', '1.1', planFor('users', '1.1'), undefined)).toBeUndefined();
  });
});
