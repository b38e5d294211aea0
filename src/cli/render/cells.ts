/**
 * Record fields as table and CSV cells, and the columns shown for each resource by default.
 *
 * @module
 */

/** Columns `oneroster get` shows when `--fields` is not given (the ones people look for). */
export const DEFAULT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  orgs: ['sourcedId', 'status', 'name', 'type', 'identifier', 'parent'],
  schools: ['sourcedId', 'status', 'name', 'type', 'identifier', 'parent'],
  academicSessions: ['sourcedId', 'status', 'title', 'type', 'startDate', 'endDate', 'parent'],
  terms: ['sourcedId', 'status', 'title', 'type', 'startDate', 'endDate', 'parent'],
  gradingPeriods: ['sourcedId', 'status', 'title', 'type', 'startDate', 'endDate', 'parent'],
  courses: ['sourcedId', 'status', 'title', 'courseCode', 'org', 'schoolYear'],
  classes: ['sourcedId', 'status', 'title', 'classCode', 'classType', 'course', 'school'],
  users: ['sourcedId', 'status', 'givenName', 'familyName', 'username', 'email', 'roles'],
  students: ['sourcedId', 'status', 'givenName', 'familyName', 'username', 'grades', 'roles'],
  teachers: ['sourcedId', 'status', 'givenName', 'familyName', 'username', 'email', 'roles'],
  enrollments: ['sourcedId', 'status', 'role', 'user', 'class', 'school', 'primary'],
  demographics: ['sourcedId', 'status', 'birthDate', 'sex'],
};

/**
 * One field as text: references as their sourcedId, roles as `role@org`, lists joined with
 * spaces, anything else nested as JSON.
 *
 * @example
 * ```ts
 * cellText({ sourcedId: 's-1', type: 'org' }); // 's-1'
 * cellText([{ roleType: 'primary', role: 'teacher', org: { sourcedId: 's-1' } }]); // 'teacher@s-1'
 * ```
 */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(cellText).join(' ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.role === 'string' && isRef(record.org)) {
      return `${record.role}@${record.org.sourcedId}`;
    }
    if (isRef(record)) return record.sourcedId;
    return JSON.stringify(value);
  }
  return String(value);
}

function isRef(value: unknown): value is { sourcedId: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { sourcedId?: unknown }).sourcedId === 'string'
  );
}

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field starting
 * with `=`, `+`, `-` or `@` gets a leading `'`, so a spreadsheet never runs roster data as a
 * formula (CSV injection).
 *
 * @example
 * ```ts
 * csvField('Smith, Jo'); // '"Smith, Jo"'
 * csvField('=HYPERLINK("x")'); // `"'=HYPERLINK(""x"")"`
 * ```
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
