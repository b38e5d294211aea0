/**
 * The fast path must accept exactly what zod's detailed schema accepts, and convert exactly as
 * the normaliser does. Differential tests: every field (top-level and nested) of a full record of
 * every kind and version is replaced by each value of a corpus of awkward values, and both sides
 * are compared; then seeded random records, with and without code generation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type ModelKind, toWire } from '../../src/models';
import { checkSchema, planFor } from '../../src/models/checks';
import { cleanRecord } from '../../src/models/clean';
import { convertRecord } from '../../src/models/convert';
import { fastParser, INVALID } from '../../src/models/fast-path';
import type { OneRosterVersion } from '../../src/models/types';
import { DELETE, paths, withValue } from './helpers/edit-record';
import { generate, seeded } from './helpers/generate';
import { fixtureFor, loadSpec, MODEL_SCHEMAS } from './helpers/openapi';

const KINDS: ModelKind[] = [
  'orgs',
  'academicSessions',
  'courses',
  'classes',
  'users',
  'enrollments',
  'demographics',
];

const CORPUS: unknown[] = [
  DELETE,
  undefined,
  null,
  '',
  ' ',
  'x',
  '\uD800',
  'TRUE',
  'false',
  'f',
  '0',
  'active',
  'Inactive',
  'secondary',
  'Student',
  'ext:x',
  '2024-09-01',
  '2024-09-01T12:00:00Z',
  '2024-09-01T07:00:00-05:00',
  '2024-02-30',
  '1, 2',
  0,
  1,
  2.5,
  2025,
  -1,
  1e21,
  Number.NaN,
  true,
  false,
  {},
  { sourcedId: 's-1' },
  { sourcedId: '' },
  { sourcedId: 's-1', href: '', type: 7 },
  [],
  ['a', 'b'],
  [1],
  [null],
  [{}],
  [{ sourcedId: 'x' }],
  [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 'o' } }],
  [{ type: 'LDAP', identifier: 'i' }],
  [{ identifier: 'i' }],
];

const sides = new Map<string, { fast: ReturnType<typeof fastParser>; zod: z.ZodType }>();

function sidesFor(kind: ModelKind, version: OneRosterVersion) {
  const key = `${version}:${kind}`;
  let found = sides.get(key);
  if (found === undefined) {
    found = {
      fast: fastParser(kind, version, planFor(kind, version), undefined),
      zod: checkSchema(kind, version, undefined),
    };
    sides.set(key, found);
  }
  return found;
}

function compare(kind: ModelKind, version: OneRosterVersion, input: unknown, label: string) {
  const plan = planFor(kind, version);
  // parseRecord cleans first (null and undefined are absent), so both sides get the cleaned input.
  const cleaned = cleanRecord(input as Record<string, unknown>, plan);
  const { fast: parse, zod: schema } = sidesFor(kind, version);
  const fast = parse(cleaned);
  const zod = schema.safeParse(cleaned);
  expect(fast !== INVALID, `${label}: fast ${fast === INVALID ? 'rejects' : 'accepts'}`).toBe(
    zod.success,
  );
  if (fast !== INVALID) expect(fast, label).toStrictEqual(convertRecord(cleaned, plan));
}

afterEach(() => {
  z.config({ jitless: false });
});

describe.each(['1.2', '1.1'] as const)('fast path agrees with zod (%s)', (version) => {
  const doc = loadSpec('1.2');

  it.each(KINDS)('%s: every field replaced by every awkward value', (kind) => {
    // A record with every field (from the 1.2 schema; 1.1 users also get role + orgs).
    const base = fixtureFor(
      doc,
      { $ref: `#/components/schemas/${MODEL_SCHEMAS['1.2'][kind]}` },
      'all',
    ) as Record<string, unknown>;
    if (kind === 'users') Object.assign(base, { role: 'teacher', orgs: [{ sourcedId: 'o-1' }] });
    compare(kind, version, base, 'base');
    let cases = 0;
    for (const path of paths(base)) {
      for (const value of CORPUS) {
        compare(kind, version, withValue(base, path, value), `${path.join('.')}=${String(value)}`);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  it.each(KINDS)('%s: seeded random records and their wire forms', (kind) => {
    const rng = seeded(kind.length * 13 + 1);
    for (let i = 0; i < 40; i++) {
      const record = generate(kind, version, rng);
      compare(kind, version, toWire(kind, record, version), `wire #${i}`);
      compare(
        kind,
        version,
        toWire(kind, record, version === '1.1' ? '1.2' : '1.1'),
        `other #${i}`,
      );
    }
  });

  it.each(KINDS)('%s: generated code and the jitless loops give the same results', (kind) => {
    const plan = planFor(kind, version);
    const projection = new Set(['sourcedId', 'status', 'roles', 'terms']);
    const generated = fastParser(kind, version, plan, undefined);
    const generatedProjected = fastParser(kind, version, plan, projection);
    z.config({ jitless: true });
    const looped = fastParser(kind, version, plan, undefined);
    const loopedProjected = fastParser(kind, version, plan, projection);
    z.config({ jitless: false });
    const rng = seeded(kind.length * 17 + 2);
    for (let i = 0; i < 30; i++) {
      const wire = toWire(kind, generate(kind, version, rng), version);
      const broken = withValue(wire, ['sourcedId'], i % 2 === 0 ? DELETE : 7) as Record<
        string,
        unknown
      >;
      for (const input of [wire, broken]) {
        expect(looped(input)).toStrictEqual(generated(input));
        expect(loopedProjected(input)).toStrictEqual(generatedProjected(input));
      }
    }
  });
});
