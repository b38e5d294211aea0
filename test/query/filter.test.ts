import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { filter, isFilter } from '../../src/query/filter';

function configError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('filter clauses', () => {
  it.each([
    ['eq', filter.eq, "status='active'"],
    ['ne', filter.ne, "status!='active'"],
    ['gt', filter.gt, "status>'active'"],
    ['gte', filter.gte, "status>='active'"],
    ['lt', filter.lt, "status<'active'"],
    ['lte', filter.lte, "status<='active'"],
    ['contains', filter.contains, "status~'active'"],
  ])('%s', (_name, build, expected) => {
    const f = build('status', 'active');
    expect(f.toString()).toBe(expected);
    expect(String(f)).toBe(expected);
    expect(`${f}`).toBe(expected);
    expect(f.logic).toBeUndefined();
    expect(f.clauses).toEqual([expected]);
    expect(isFilter(f)).toBe(true);
  });

  it('doubles single quotes inside values', () => {
    expect(filter.eq('familyName', "O'Brien").toString()).toBe("familyName='O''Brien'");
    expect(filter.eq('familyName', "''").toString()).toBe("familyName=''''''");
  });

  it('keeps other characters as given (encoding happens at serialisation)', () => {
    expect(filter.contains('email', '+1 100% = é').toString()).toBe("email~'+1 100% = é'");
    expect(filter.eq('givenName', '').toString()).toBe("givenName=''");
  });

  it('formats numbers, booleans and Dates', () => {
    expect(filter.gte('grades', 9).toString()).toBe("grades>='9'");
    expect(filter.eq('enabledUser', true).toString()).toBe("enabledUser='true'");
    expect(filter.eq('enabledUser', false).toString()).toBe("enabledUser='false'");
    const since = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    expect(filter.gte('dateLastModified', since).toString()).toBe(
      "dateLastModified>='2026-01-02T03:04:05.006Z'",
    );
  });

  it('keeps ISO strings exactly as given (no re-formatting, offsets preserved)', () => {
    expect(filter.gt('dateLastModified', '2024-01-01').toString()).toBe(
      "dateLastModified>'2024-01-01'",
    );
    expect(filter.gt('dateLastModified', '2024-01-01T00:00:00+02:00').toString()).toBe(
      "dateLastModified>'2024-01-01T00:00:00+02:00'",
    );
  });

  it('accepts dot paths', () => {
    expect(filter.eq('course.sourcedId', 'c1').toString()).toBe("course.sourcedId='c1'");
    expect(filter.eq('metadata.ext_x', 'y').toString()).toBe("metadata.ext_x='y'");
  });

  it.each([
    '',
    '1role',
    '_role',
    'given name',
    "role='x' OR status",
    'role=',
    'a..b',
    'a.',
    '.a',
    'rôle',
  ])('rejects field name %j', (field) => {
    const error = configError(() => filter.eq(field, 'x'));
    expect(error.option).toBe('filter');
    expect(error.message).toContain('field name');
  });

  it('rejects invalid values without echoing them', () => {
    expect(configError(() => filter.eq('x', Number.NaN)).message).toContain('finite');
    expect(configError(() => filter.eq('x', new Date('nope'))).message).toContain('invalid Date');
    const nullError = configError(() => filter.eq('x', null as unknown as string));
    expect(nullError.message).toContain('null');
    expect(configError(() => filter.eq('x', {} as unknown as string)).message).toContain('object');
  });
});

describe('filter.and / filter.or', () => {
  const a = filter.eq('role', 'student');
  const b = filter.eq('status', 'active');
  const c = filter.gte('dateLastModified', '2026-01-01');

  it('joins two clauses with one space each side', () => {
    expect(filter.and(a, b).toString()).toBe("role='student' AND status='active'");
    expect(filter.or(a, b).toString()).toBe("role='student' OR status='active'");
    expect(filter.and(a, b).logic).toBe('AND');
    expect(filter.or(a, b).clauses).toHaveLength(2);
  });

  it('allows the same operator repeated, and flattens same-operator groups', () => {
    const three = "role='student' AND status='active' AND dateLastModified>='2026-01-01'";
    expect(filter.and(a, b, c).toString()).toBe(three);
    expect(filter.and(filter.and(a, b), c).toString()).toBe(three);
    expect(filter.and(a, filter.and(b, c)).clauses).toHaveLength(3);
  });

  it('returns a single filter unchanged', () => {
    expect(filter.and(a)).toBe(a);
    expect(filter.or(a).toString()).toBe("role='student'");
  });

  it('rejects mixing AND and OR, explaining that there are no parentheses', () => {
    const inner = configError(() => filter.and(a, filter.or(b, c)));
    expect(inner.message).toMatch(/parentheses/);
    expect(inner.message).toContain('filter.and()');
    expect(configError(() => filter.or(filter.and(a, b), c)).message).toMatch(/mixing AND and OR/);
  });

  it('rejects an empty group and non-filter arguments', () => {
    expect(configError(() => filter.and()).message).toContain('at least one');
    expect(
      configError(() => filter.or(a, "status='x'" as unknown as ReturnType<typeof filter.eq>))
        .message,
    ).toContain('filter.raw');
  });
});

describe('filter.raw', () => {
  it('sends the expression as written', () => {
    const f = filter.raw("givenName~'ann' AND status='active'");
    expect(f.toString()).toBe("givenName~'ann' AND status='active'");
    expect(f.logic).toBe('AND');
    expect(f.clauses).toEqual(["givenName~'ann'", "status='active'"]);
  });

  it('ignores AND/OR inside quoted values when analysing', () => {
    const f = filter.raw("orgName='Fish AND Chips'");
    expect(f.logic).toBeUndefined();
    expect(filter.or(f, filter.eq('x', '1')).toString()).toBe("orgName='Fish AND Chips' OR x='1'");
    const quoted = filter.raw("orgName='It''s OR not' AND y='2'");
    expect(quoted.logic).toBe('AND');
    expect(quoted.clauses).toEqual(["orgName='It''s OR not'", "y='2'"]);
  });

  it('combines with the same operator and refuses the other', () => {
    const r = filter.raw("a='1' OR b='2'");
    expect(filter.or(r, filter.eq('c', '3')).toString()).toBe("a='1' OR b='2' OR c='3'");
    expect(() => filter.and(r, filter.eq('c', '3'))).toThrow(ConfigurationError);
  });

  it('keeps a mixed expression usable alone but not combinable', () => {
    const mixed = filter.raw("a='1' AND b='2' OR c='3'");
    expect(mixed.toString()).toBe("a='1' AND b='2' OR c='3'");
    expect(() => filter.and(mixed, filter.eq('d', '4'))).toThrow(/mixing AND and OR/);
    expect(() => filter.or(mixed, filter.eq('d', '4'))).toThrow(ConfigurationError);
  });

  it('rejects an empty expression', () => {
    expect(() => filter.raw('')).toThrow(ConfigurationError);
    expect(() => filter.raw('   ')).toThrow(ConfigurationError);
  });
});

describe('Filter values', () => {
  it('are immutable and serialise to their text in JSON', () => {
    const f = filter.and(filter.eq('a', '1'), filter.eq('b', '2'));
    expect(Object.isFrozen(f)).toBe(true);
    expect(() => (f.clauses as string[]).push('x')).toThrow();
    expect(JSON.stringify({ filter: f })).toBe(`{"filter":"a='1' AND b='2'"}`);
  });

  it('isFilter rejects look-alikes', () => {
    expect(isFilter({ logic: undefined, clauses: [], toString: () => 'x' })).toBe(false);
    expect(isFilter("a='1'")).toBe(false);
    expect(isFilter(null)).toBe(false);
  });
});
