/**
 * Wrapping of database driver errors in {@link StorageError}, so a sync report always carries a
 * stable `code` and callers can branch on `retryable`.
 *
 * @module
 */
import { isOneRosterError, type OneRosterError } from '../../errors';
import { StorageError } from '../../sync/errors';

/**
 * Wrap `error` (anything a driver threw) as a {@link StorageError} whose message says which
 * adapter and operation failed. Errors of this package pass through unchanged. Only the driver's
 * own message is used: PostgreSQL's `detail` field can quote row values, so it stays in `cause`.
 */
export function toStorageError(
  adapter: string,
  operation: string,
  error: unknown,
  retryable: (error: unknown) => boolean,
): OneRosterError {
  if (isOneRosterError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(`${adapter}: ${operation} failed: ${message}`, {
    retryable: retryable(error),
    cause: error,
  });
}
