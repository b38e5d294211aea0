/**
 * Validation issue messages. Every message is built here or written in a schema, never from the
 * value that failed: records carry PII, and `ValidationError` messages end up in logs. A parse
 * passes {@link issueMessage} as zod's per-parse error map, which also shields us from an
 * application's global zod error map (which might quote the input).
 *
 * @module
 */
import type * as z from 'zod';
import type { ValidationIssue } from '../errors';

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'a list',
  int: 'an integer',
};

/**
 * zod error map: a message for an issue that the schema did not word itself.
 *
 * @example
 * ```ts
 * schema.safeParse(value, { error: issueMessage });
 * ```
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // Only whether the value is there is looked at, never the value.
      return issue.input === undefined
        ? 'is required'
        : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array') {
        return `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      }
      if (issue.origin === 'string')
        return `must have at least ${String(issue.minimum)} characters`;
      return 'is too small';
    case 'too_big':
      return 'is too large';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return 'has an unsupported type';
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return 'is invalid';
  }
}

/** Our issues from a zod error (paths dotted, at most `limit`). */
export function toValidationIssues(error: z.core.$ZodError, limit = 20): ValidationIssue[] {
  return error.issues.slice(0, limit).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
