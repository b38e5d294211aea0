/**
 * Errors of the sync engine and of storage adapters. Both extend {@link OneRosterError}, so
 * `isOneRosterError` and `error.code` work the same as for client errors.
 *
 * @module
 */
import { OneRosterError } from '../errors';

/**
 * Another run holds the tenant's lock (in this process or another one on the same storage).
 * `sync.run()` throws it at once instead of waiting: overlapping runs of one tenant would
 * compete for the same staging area and cursors, and a scheduler should simply try later.
 *
 * @example
 * ```ts
 * try {
 *   await sync.run({ mode: 'auto' });
 * } catch (error) {
 *   if (error instanceof SyncLockedError) console.log(`tenant ${error.tenantId} is busy`);
 *   else throw error;
 * }
 * ```
 */
export class SyncLockedError extends OneRosterError {
  /** The tenant whose lock is held. */
  readonly tenantId: string;

  constructor(tenantId: string) {
    super(
      `A sync run for tenant "${tenantId}" is already in progress (its lock is held); ` +
        'try again when it has finished',
      // Retryable: the same call succeeds once the other run ends.
      { code: 'sync_locked', retryable: true },
    );
    this.tenantId = tenantId;
  }
}

/**
 * A storage adapter could not do what was asked: the database failed, the adapter was closed,
 * or a staged run was used after it was committed, discarded or replaced by a newer run.
 * Adapters wrap driver errors in it (the driver error is the `cause`) so the sync report gets a
 * stable code.
 *
 * @example
 * ```ts
 * throw new StorageError('staged run r-1 was replaced by a newer run of tenant "t1"');
 * ```
 */
export class StorageError extends OneRosterError {
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, {
      code: 'storage_error',
      retryable: options.retryable ?? false,
      cause: options.cause,
    });
  }
}

/**
 * A sync run could not proceed for a reason that is neither an HTTP nor a storage failure, for
 * example a school listed in the `schools` option that the server does not know. It appears in
 * the run report's `errors` with code `sync_failed`.
 *
 * @example
 * ```ts
 * throw new SyncError('school "s-9" from the `schools` option is not on the server');
 * ```
 */
export class SyncError extends OneRosterError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'sync_failed', retryable: false, cause: options.cause });
  }
}
