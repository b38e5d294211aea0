import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { parseRecord, rawRecord } from '../../src/models';
import { attachRaw } from '../../src/models/raw';

const WIRE = {
  sourcedId: 'u-1',
  status: 'active',
  dateLastModified: '2024-09-01T08:00:00-05:00',
  enabledUser: 'true',
  givenName: 'Ana',
  familyName: 'Lee',
  identifier: null,
  roles: [{ roleType: 'primary', role: 'Student', org: { sourcedId: 's-1', href: null } }],
  'x-vendor': { deep: true },
};

function parsed() {
  const wire = structuredClone(WIRE);
  const result = parseRecord('users', wire, { version: '1.2', mode: 'strict' });
  if (!result.ok) throw result.error;
  return { wire, record: result.record };
}

describe('rawRecord', () => {
  it('returns the exact input object, unmodified (even when nulls had to be removed)', () => {
    const { wire, record } = parsed();
    expect(rawRecord(record)).toBe(wire);
    expect(wire).toStrictEqual(WIRE);
    expect(record).not.toBe(wire);
  });

  it.each(['strict', 'lenient', 'off'] as const)('is attached in %s mode', (mode) => {
    const wire = structuredClone(WIRE);
    const result = parseRecord('users', wire, { version: '1.2', mode });
    expect(result.ok && rawRecord(result.record)).toBe(wire);
  });

  it('is invisible: not in JSON, keys, symbols, spread, clones or console output', () => {
    const { record } = parsed();
    expect(Reflect.ownKeys(record)).toStrictEqual(Object.keys(record));
    expect(Object.getOwnPropertySymbols(record)).toHaveLength(0);
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
    expect(rawRecord({ ...record })).toBeUndefined();
    expect(rawRecord(Object.assign({}, record))).toBeUndefined();
    expect(inspect(record, { showHidden: true })).not.toContain('08:00:00-05:00');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });

  it('is read by another copy of the package in the same process', async () => {
    const { record, wire } = parsed();
    vi.resetModules();
    const copy = await import('../../src/models/raw');
    expect(copy.rawRecord).not.toBe(rawRecord);
    expect(copy.rawRecord(record)).toBe(wire);
    const other = {};
    copy.attachRaw(other, wire);
    expect(rawRecord(other)).toBe(wire);
  });

  it('is replaced, not duplicated, when a record is linked again', () => {
    const { record, wire } = parsed();
    const newer = { ...wire };
    attachRaw(record, newer);
    expect(rawRecord(record)).toBe(newer);
  });

  it('is undefined for objects that did not come from parseRecord', () => {
    expect(rawRecord({})).toBeUndefined();
    expect(rawRecord(structuredClone(parsed().record))).toBeUndefined();
  });

  it('shares unchanged nested objects with the raw record instead of deep-cloning', () => {
    const { wire, record } = parsed();
    expect(record['x-vendor']).toBe(wire['x-vendor']);
    // Changed ones are copies: the role's spelling and the reference's null href.
    expect(record.roles[0]).not.toBe(wire.roles[0]);
    expect(record.roles[0]?.role).toBe('student');
    expect(wire.roles[0]?.role).toBe('Student');
  });
});
