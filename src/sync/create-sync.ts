/**
 * `createSync()`: the sync engine's entry point.
 *
 * @module
 */
import {
  type ResolvedSyncOptions,
  type RunOptions,
  resolveRunOptions,
  resolveSyncOptions,
  type SyncOptions,
} from './options';
import type { SyncReport } from './report';
import { executeRun } from './run';

/** A configured sync for one tenant. */
export interface Sync {
  /** The tenant this sync writes. */
  readonly tenantId: string;
  /**
   * Run once. Resolves with the report whatever the outcome: check `report.status`
   * (`succeeded`, `failed` with `errors`, or `refused` by the shrink guard with a `reason`).
   * A failed, refused or aborted run changed nothing and left the cursors where they were.
   *
   * @throws {SyncLockedError} at once when another run of the tenant holds the lock.
   * @throws {ConfigurationError} for invalid run options.
   */
  run(options?: RunOptions): Promise<SyncReport>;
}

/**
 * Create the sync of one tenant: pull a district's roster from its OneRoster server into a
 * storage adapter, with nothing half-applied, a shrink guard, and one run per tenant at a time.
 *
 * @throws {ConfigurationError} naming the first invalid option.
 *
 * @example
 * ```ts
 * import { OneRosterClient } from '@smartpass/oneroster';
 * import { createSync } from '@smartpass/oneroster/sync';
 * import { MemoryStorage } from '@smartpass/oneroster/storage/memory';
 *
 * const client = new OneRosterClient({
 *   baseUrl: 'https://sis.example/ims/oneroster/v1p1',
 *   auth: { type: 'oauth1', consumerKey: 'key', consumerSecret: 'secret' },
 * });
 * const sync = createSync({ client, storage: new MemoryStorage(), tenantId: 'district-42' });
 * const report = await sync.run({ mode: 'auto' });
 * if (report.status !== 'succeeded') console.error(report.reason);
 * ```
 */
export function createSync(options: SyncOptions): Sync {
  const resolved: ResolvedSyncOptions = resolveSyncOptions(options);
  return {
    tenantId: resolved.tenantId,
    run: async (runOptions?: RunOptions) => executeRun(resolved, resolveRunOptions(runOptions)),
  };
}
