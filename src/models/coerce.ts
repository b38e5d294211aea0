/**
 * Pure value conversions shared by the zod schemas (validating modes) and the unchecked
 * normaliser (`validation: 'off'`), so both apply exactly the same rules. Each returns `undefined`
 * when the value cannot be read; callers decide whether that is an error.
 *
 * These run for every record of large pulls: the common well-formed inputs take a path that
 * allocates nothing.
 *
 * @module
 */
import type { RecordStatus } from './types';

/**
 * Read a OneRoster boolean. 1.2 sends `"true"`/`"false"`, 1.1 JSON booleans, and real servers
 * (and CSV-fed ones) also `"TRUE"`, `"t"`, `"f"`, `"1"`, `"0"` or the numbers 1 and 0.
 *
 * @example
 * ```ts
 * parseBoolean('TRUE'); // true
 * parseBoolean('maybe'); // undefined
 * ```
 */
export function parseBoolean(value: unknown): boolean | undefined {
  if (value === true || value === false) return value;
  if (typeof value === 'string') {
    if (value === 'true') return true;
    if (value === 'false') return false;
    if (value.length > 5) return undefined;
    switch (value.toLowerCase()) {
      case 'true':
      case 't':
      case '1':
        return true;
      case 'false':
      case 'f':
      case '0':
        return false;
      default:
        return undefined;
    }
  }
  if (value === 1) return true;
  if (value === 0) return false;
  return undefined;
}

/**
 * Read a record status: `active` or `tobedeleted`, any case; OneRoster 1.0's `inactive` means
 * `tobedeleted` (the 1.2 spec says so).
 *
 * @example
 * ```ts
 * parseStatus('inactive'); // 'tobedeleted'
 * ```
 */
export function parseStatus(value: unknown): RecordStatus | undefined {
  if (value === 'active' || value === 'tobedeleted') return value;
  if (typeof value !== 'string' || value.length > 11) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'active') return 'active';
  if (lower === 'tobedeleted' || lower === 'inactive') return 'tobedeleted';
  return undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && day === 29) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  }
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Digits of `s` from `start` to `end` (exclusive) as a number, or -1 if any is not a digit. */
function digits(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Whether `s` starts with a real calendar date `YYYY-MM-DD` (allocates nothing). */
function startsWithDate(s: string): boolean {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  return year >= 0 && month >= 0 && day >= 0 && validDate(year, month, day);
}

// Date, then an optional time (`T` or a space), fraction (`.` or `,`) and zone (`Z`, `+HH`,
// `+HHMM`, `+HH:MM`). Only reached for inputs that are not already canonical.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Normalise a date-time to the canonical UTC instant `YYYY-MM-DDTHH:mm:ss.sssZ`
 * (`Date.prototype.toISOString` form), so that stored cursors compare as instants and as strings
 * alike. Accepted: with or without milliseconds (more digits are truncated to milliseconds, which
 * only ever moves a cursor earlier), `Z` or a numeric offset, no zone (read as UTC: the spec
 * requires UTC, and servers that omit the zone mean it), a space instead of `T`, and date-only
 * values (midnight UTC; some CSV producers send them).
 *
 * @example
 * ```ts
 * normalizeDateTime('2024-09-01T08:00:00-05:00'); // '2024-09-01T13:00:00.000Z'
 * normalizeDateTime('2024-02-30'); // undefined
 * ```
 */
export function normalizeDateTime(value: string): string | undefined {
  // A record's date-time is checked, then converted: the one-entry memo makes the second call free.
  if (value === lastDateTime) return lastDateTimeResult;
  const result = readDateTime(value);
  lastDateTime = value;
  lastDateTimeResult = result;
  return result;
}

let lastDateTime: string | undefined;
let lastDateTimeResult: string | undefined;

/**
 * {@link normalizeDateTime} without its memo, for callers that read each value once (the fast
 * path checks and converts in one call; the memo only pays where zod checks and the normaliser
 * converts the same value).
 *
 * @example
 * ```ts
 * readDateTime('2024-09-01T08:00:00Z'); // '2024-09-01T08:00:00.000Z'
 * ```
 */
export function readDateTime(value: string): string | undefined {
  // Canonical input is by far the common case: check it in place and return it unchanged.
  if (
    value.length === 24 &&
    value.charCodeAt(23) === 90 && // Z
    value.charCodeAt(10) === 84 && // T
    value.charCodeAt(13) === 58 &&
    value.charCodeAt(16) === 58 &&
    value.charCodeAt(19) === 46 &&
    startsWithDate(value)
  ) {
    const hour = digits(value, 11, 13);
    const minute = digits(value, 14, 16);
    const second = digits(value, 17, 19);
    if (
      hour >= 0 &&
      hour < 24 &&
      minute >= 0 &&
      minute < 60 &&
      second >= 0 &&
      second < 60 &&
      digits(value, 20, 23) >= 0
    ) {
      return value;
    }
    return undefined;
  }
  const m = DATE_TIME.exec(value);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!validDate(year, month, day)) return undefined;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // Leap seconds (:60) are folded into the next minute by Date.UTC.
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC maps years 0-99 to 1900-1999.
  if (year < 100) date.setUTCFullYear(year);
  const time = date.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(time)) return undefined;
  return new Date(time).toISOString();
}

/**
 * Normalise a calendar date to `YYYY-MM-DD`. A date-time is accepted too (some servers send one
 * for date fields): its date part is kept as sent, since that is the calendar day the sender meant.
 *
 * @example
 * ```ts
 * normalizeDate('2024-08-20'); // '2024-08-20'
 * normalizeDate('2024-08-20T00:00:00Z'); // '2024-08-20'
 * ```
 */
export function normalizeDate(value: string): string | undefined {
  // Checked then converted, and records carry two dates (begin and end): a two-entry memo.
  if (value === dateA) return dateAResult;
  if (value === dateB) return dateBResult;
  const result = readDate(value);
  dateB = dateA;
  dateBResult = dateAResult;
  dateA = value;
  dateAResult = result;
  return result;
}

let dateA: string | undefined;
let dateAResult: string | undefined;
let dateB: string | undefined;
let dateBResult: string | undefined;

function readDate(value: string): string | undefined {
  if (!startsWithDate(value)) return undefined;
  if (value.length === 10) return value;
  const sep = value.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return undefined;
  return normalizeDateTime(value) === undefined ? undefined : value.slice(0, 10);
}

/**
 * Split a comma-separated list (1.1 `periods`, and lists that CSV-fed servers send as one string),
 * trimming items and dropping empty ones.
 *
 * @example
 * ```ts
 * splitList('1, 2,,3'); // ['1', '2', '3']
 * ```
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item !== '') out.push(item);
  }
  return out;
}

/**
 * A function that rewrites a vocabulary value matching one of `values` ignoring case to the
 * spec's spelling, and returns any other value unchanged (extensions stay possible).
 *
 * @example
 * ```ts
 * const classType = vocabularyNormalizer(['homeroom', 'scheduled']);
 * classType('Scheduled'); // 'scheduled'
 * classType('ext:lab'); // 'ext:lab'
 * ```
 */
export function vocabularyNormalizer(values: readonly string[]): (value: string) => string {
  const exact = new Set(values);
  const byLowerCase = new Map(values.map((v) => [v.toLowerCase(), v]));
  return (value) => (exact.has(value) ? value : (byLowerCase.get(value.toLowerCase()) ?? value));
}
