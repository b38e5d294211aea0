/**
 * Turn an error into the `{ code, message }` a report keeps. Package errors already keep secrets
 * and record values out of their messages; anything else (a bug, a driver error) is cut short,
 * since its message was not written with a report in mind.
 *
 * @module
 */
import { isOneRosterError } from '../errors';
import type { SyncResource } from '../models/types';
import type { SyncReport } from './report';

type ErrorSummary = SyncReport['errors'][number];

const MAX_FOREIGN_MESSAGE = 300;

/**
 * Summarise an error for a report.
 *
 * @example
 * ```ts
 * summarizeError(new ServerError({ status: 503, method: 'GET', url }), 'users');
 * // { code: 'server_error', message: 'GET … failed with HTTP 503', resource: 'users' }
 * ```
 */
export function summarizeError(
  error: unknown,
  resource: SyncResource | undefined,
  aborted: boolean,
): ErrorSummary {
  const where = resource === undefined ? {} : { resource };
  if (aborted) return { code: 'aborted', message: 'The sync run was aborted', ...where };
  if (isOneRosterError(error)) return { code: error.code, message: error.message, ...where };
  const name = error instanceof Error ? error.name : typeof error;
  const text = error instanceof Error ? error.message : String(error);
  const message =
    text.length > MAX_FOREIGN_MESSAGE ? `${text.slice(0, MAX_FOREIGN_MESSAGE)}…` : text;
  return { code: 'sync_failed', message: `${name}: ${message}`, ...where };
}
