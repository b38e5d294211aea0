import { describe, expect, it } from 'vitest';
import {
  normalizeDate,
  normalizeDateTime,
  parseBoolean,
  parseStatus,
  splitList,
  vocabularyNormalizer,
} from '../../src/models/coerce';

describe('parseBoolean', () => {
  it.each([
    [true, true],
    [false, false],
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
    ['t', true],
    ['F', false],
    ['1', true],
    ['0', false],
    [1, true],
    [0, false],
  ] as const)('reads %j as %j', (input, expected) => {
    expect(parseBoolean(input)).toBe(expected);
  });

  it.each(['yes', 'no', '', ' true', 'truee', 2, -1, null, undefined, {}, []])(
    'does not read %j',
    (input) => {
      expect(parseBoolean(input)).toBeUndefined();
    },
  );
});

describe('parseStatus', () => {
  it.each([
    ['active', 'active'],
    ['tobedeleted', 'tobedeleted'],
    ['inactive', 'tobedeleted'],
    ['Active', 'active'],
    ['ToBeDeleted', 'tobedeleted'],
    ['INACTIVE', 'tobedeleted'],
  ] as const)('reads %j as %j', (input, expected) => {
    expect(parseStatus(input)).toBe(expected);
  });

  it.each(['deleted', '', 'active ', 'to be deleted', 1, null])('rejects %j', (input) => {
    expect(parseStatus(input)).toBeUndefined();
  });
});

describe('normalizeDateTime', () => {
  it.each([
    // Canonical form is returned as is.
    ['2024-09-01T12:34:56.789Z', '2024-09-01T12:34:56.789Z'],
    ['2024-09-01T12:34:56Z', '2024-09-01T12:34:56.000Z'],
    ['2024-09-01T12:34Z', '2024-09-01T12:34:00.000Z'],
    // More than millisecond precision is truncated (never rounded up past the instant).
    ['2024-09-01T12:34:56.789999Z', '2024-09-01T12:34:56.789Z'],
    ['2024-09-01T12:34:56.7Z', '2024-09-01T12:34:56.700Z'],
    ['2024-09-01T12:34:56,5Z', '2024-09-01T12:34:56.500Z'],
    ['2024-09-01t12:34:56z', '2024-09-01T12:34:56.000Z'],
    // Offsets become UTC.
    ['2024-09-01T08:00:00-05:00', '2024-09-01T13:00:00.000Z'],
    ['2024-09-01T08:00:00+0530', '2024-09-01T02:30:00.000Z'],
    ['2024-09-01T08:00:00+02', '2024-09-01T06:00:00.000Z'],
    ['2024-12-31T23:30:00-01:00', '2025-01-01T00:30:00.000Z'],
    // No zone: read as UTC.
    ['2024-09-01T12:34:56', '2024-09-01T12:34:56.000Z'],
    ['2024-09-01 12:34:56', '2024-09-01T12:34:56.000Z'],
    // Date only: midnight UTC.
    ['2024-09-01', '2024-09-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    // Leap second folds into the next minute.
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeDateTime(input)).toBe(expected);
  });

  it('returns the same string instance for canonical input (no allocation)', () => {
    const input = ['2024-09-01T12:34:56', '.789Z'].join('');
    expect(normalizeDateTime(input)).toBe(input);
  });

  it.each([
    '',
    'yesterday',
    '2024-13-01T00:00:00Z',
    '2024-02-30',
    '2023-02-29T00:00:00Z',
    '2024-09-01T24:00:00Z',
    '2024-09-01T12:60:00Z',
    '2024-09-01T12:00:61Z',
    '2024-09-01T12:00:00+24:00',
    '2024-09-01T12:00:00.ABCZ',
    '2024-9-1',
    '2024-09-01T',
    '2024-09-01Tfoo',
    '20240901T120000Z',
    '2024-09-01T12:00:00Z trailing',
    '1725193200',
  ])('rejects %j', (input) => {
    expect(normalizeDateTime(input)).toBeUndefined();
  });

  it('agrees with Date for a sweep of instants (canonical and offset forms)', () => {
    for (
      let t = Date.UTC(1999, 11, 31);
      t < Date.UTC(2031, 0, 1);
      t += 86_400_000 * 37 + 3_723_456
    ) {
      const iso = new Date(t).toISOString();
      expect(normalizeDateTime(iso)).toBe(iso);
      const shifted = new Date(t - 3.5 * 3_600_000).toISOString().replace('Z', '-03:30');
      expect(normalizeDateTime(shifted)).toBe(iso);
    }
  });
});

describe('normalizeDate', () => {
  it.each([
    ['2024-08-20', '2024-08-20'],
    ['2024-02-29', '2024-02-29'],
    // A date-time keeps the calendar day as sent, whatever its zone.
    ['2024-08-20T00:00:00Z', '2024-08-20'],
    ['2024-08-20T23:00:00-05:00', '2024-08-20'],
    ['2024-08-20 08:00', '2024-08-20'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });

  it.each([
    '',
    '2024-02-30',
    '2023-02-29',
    '2024-8-20',
    '20240820',
    '2024-08-20X',
    '2024-08-20T99',
  ])('rejects %j', (input) => {
    expect(normalizeDate(input)).toBeUndefined();
  });

  it('alternating values (begin and end dates) stay correct through the memo', () => {
    const values = ['2024-08-20', '2025-06-01', 'bad', '2024-08-20', 'bad', '2025-06-01'];
    expect(values.map(normalizeDate)).toEqual([
      '2024-08-20',
      '2025-06-01',
      undefined,
      '2024-08-20',
      undefined,
      '2025-06-01',
    ]);
  });
});

describe('splitList', () => {
  it.each([
    ['1,2,3', ['1', '2', '3']],
    [' 1 , 2 ,,3 ', ['1', '2', '3']],
    ['A', ['A']],
    ['', []],
    [',,', []],
  ])('splits %j', (input, expected) => {
    expect(splitList(input)).toEqual(expected);
  });
});

describe('vocabularyNormalizer', () => {
  const classType = vocabularyNormalizer(['homeroom', 'scheduled']);
  it('rewrites a case variant to the spec spelling and keeps anything else', () => {
    expect(classType('scheduled')).toBe('scheduled');
    expect(classType('Scheduled')).toBe('scheduled');
    expect(classType('HOMEROOM')).toBe('homeroom');
    expect(classType('ext:lab')).toBe('ext:lab');
    expect(classType('Lab')).toBe('Lab');
  });
  it('keeps camel case spec values', () => {
    const roles = vocabularyNormalizer(['districtAdministrator']);
    expect(roles('districtadministrator')).toBe('districtAdministrator');
  });
});
