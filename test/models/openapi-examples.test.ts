/**
 * Every example the official documents give for a rostering model must parse. Neither document
 * has a usable one (1.2: no `example` at all; 1.1: only `{"users": [null, null]}`-style
 * placeholders and `{}`), so each model is also exercised with fixtures built from its OpenAPI
 * schema: one with every property, one with only the required ones.
 */
import { describe, expect, it } from 'vitest';
import { type ModelKind, parseRecord } from '../../src/models';
import type { OneRosterVersion } from '../../src/models/types';
import { findExamples, fixtureFor, loadSpec, MODEL_SCHEMAS } from './helpers/openapi';

/** Collection and single-object wrapper keys of each kind (oneroster.md §2). */
const WRAPPERS: Record<string, ModelKind> = {
  orgs: 'orgs',
  org: 'orgs',
  academicSessions: 'academicSessions',
  academicSession: 'academicSessions',
  courses: 'courses',
  course: 'courses',
  classes: 'classes',
  class: 'classes',
  users: 'users',
  user: 'users',
  enrollments: 'enrollments',
  enrollment: 'enrollments',
  demographics: 'demographics',
};

const objects = (value: unknown): Record<string, unknown>[] =>
  (Array.isArray(value) ? value : [value]).filter(
    (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
  );

/** The records an example holds, by kind: wrapped responses and bare model examples. */
function recordsOf(
  version: OneRosterVersion,
  at: string,
  value: unknown,
): Array<{ kind: ModelKind; record: Record<string, unknown> }> {
  const out: Array<{ kind: ModelKind; record: Record<string, unknown> }> = [];
  for (const [kind, model] of Object.entries(MODEL_SCHEMAS[version]) as [ModelKind, string][]) {
    if (at.startsWith(`.components.schemas.${model}.`)) {
      for (const record of objects(value)) out.push({ kind, record });
    }
  }
  for (const wrapper of objects(value)) {
    for (const [key, inner] of Object.entries(wrapper)) {
      const kind = WRAPPERS[key];
      if (kind) for (const record of objects(inner)) out.push({ kind, record });
    }
  }
  return out;
}

describe.each(['1.2', '1.1'] as const)('OneRoster %s OpenAPI', (version) => {
  const doc = loadSpec(version);
  const kinds = Object.keys(MODEL_SCHEMAS[version]) as ModelKind[];

  it('every usable example of a rostering model parses (the documents have none)', () => {
    const failures: string[] = [];
    const covered = new Set<ModelKind>();
    for (const { at, value } of findExamples(doc)) {
      for (const { kind, record } of recordsOf(version, at, value)) {
        covered.add(kind);
        const result = parseRecord(kind, record, { version, mode: 'strict' });
        if (!result.ok) failures.push(`${at} (${kind}): ${result.error.message}`);
      }
    }
    expect(failures).toEqual([]);
    // Recorded so that a new revision of a document with real examples is noticed: then the
    // examples above are what is tested, and this expectation should be updated.
    expect([...covered]).toEqual([]);
  });

  it.each(kinds)(
    '%s: a fixture with every property of the schema parses, keeping every field',
    (kind) => {
      const fixture = fixtureFor(
        doc,
        { $ref: `#/components/schemas/${MODEL_SCHEMAS[version][kind]}` },
        'all',
      );
      const result = parseRecord(kind, fixture, { version, mode: 'strict' });
      if (!result.ok) throw result.error;
      const record = result.record as Record<string, unknown>;
      const expected = Object.keys(fixture as object).flatMap((key) =>
        // 1.1 role + orgs become roles + primaryOrg.
        kind === 'users' && (key === 'role' || key === 'orgs') ? ['roles', 'primaryOrg'] : [key],
      );
      expect(Object.keys(record).sort()).toEqual([...new Set(expected)].sort());
    },
  );

  it.each(kinds)('%s: a fixture with only the required properties parses', (kind) => {
    const fixture = fixtureFor(
      doc,
      { $ref: `#/components/schemas/${MODEL_SCHEMAS[version][kind]}` },
      'required',
    );
    const result = parseRecord(kind, fixture, { version, mode: 'strict' });
    if (!result.ok) throw result.error;
    expect(result.record.sourcedId).toBe('sourcedId-1');
    expect(result.record.dateLastModified).toBe('2024-09-01T12:00:00.000Z');
  });
});

describe('schema fixtures normalise to the documented shape', () => {
  it('1.1 user: role + orgs become one primary role per org, booleans are booleans', () => {
    const doc = loadSpec('1.1');
    const fixture = fixtureFor(doc, { $ref: '#/components/schemas/User.Type' }, 'all') as Record<
      string,
      unknown
    >;
    const result = parseRecord('users', fixture, { version: '1.1', mode: 'strict' });
    if (!result.ok) throw result.error;
    expect(result.record.roles).toEqual([
      {
        roleType: 'primary',
        role: 'administrator',
        org: { href: 'https://example.org/href', sourcedId: 'sourcedId-1', type: 'org' },
      },
    ]);
    expect(result.record.primaryOrg).toEqual(result.record.roles[0]?.org);
    expect(result.record.enabledUser).toBe(true);
    expect(result.record).not.toHaveProperty('role');
    expect(result.record).not.toHaveProperty('orgs');
  });

  it('1.2 user: string booleans become booleans, references get their 1.2 type', () => {
    const doc = loadSpec('1.2');
    const fixture = fixtureFor(doc, { $ref: '#/components/schemas/UserDType' }, 'all');
    const result = parseRecord('users', fixture, { version: '1.2', mode: 'strict' });
    if (!result.ok) throw result.error;
    expect(result.record.enabledUser).toBe(true);
    expect(result.record.agents?.[0]?.type).toBe('user');
    expect(result.record.resources?.[0]?.type).toBe('resource');
  });
});
