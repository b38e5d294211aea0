import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseRecord, rawRecord } from '../../src/models';

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

  it('is on a non-enumerable symbol: not in JSON, keys, spread or console output', () => {
    const { record } = parsed();
    const symbols = Object.getOwnPropertySymbols(record);
    expect(symbols).toHaveLength(1);
    const descriptor = Object.getOwnPropertyDescriptor(record, symbols[0] as symbol);
    expect(descriptor?.enumerable).toBe(false);
    expect(descriptor?.writable).toBe(false);
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
    expect(Object.keys(record)).not.toContain(symbols[0]);
    expect(rawRecord({ ...record })).toBeUndefined();
    expect(inspect(record)).not.toContain('oneroster.raw');
    expect(inspect(record)).not.toContain('08:00:00-05:00');
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
