/**
 * Field-name rules shared by the filter builder and the list parameters.
 *
 * @module
 */

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * Whether `name` is a valid OneRoster field name: a letter followed by letters, digits and `_`,
 * with dot paths (`course.sourcedId`) allowed. Used for filter, sort and fields names so that a
 * typo or an injected operator is caught before a request is made.
 *
 * @example
 * ```ts
 * isValidFieldName('dateLastModified'); // true
 * isValidFieldName("role='x' OR 1");    // false
 * ```
 */
export function isValidFieldName(name: unknown): name is string {
  return typeof name === 'string' && FIELD_NAME.test(name);
}

/**
 * Quote a caller-supplied name for an error message, cut short so a pasted blob cannot flood it.
 *
 * @example
 * ```ts
 * describeName('given name'); // '"given name"'
 * describeName(42);           // 'a number'
 * ```
 */
export function describeName(name: unknown): string {
  if (typeof name !== 'string') return `a ${name === null ? 'null' : typeof name}`;
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}
