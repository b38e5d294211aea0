/**
 * Opening the storage a config names. Adapters are imported only when used, so a command that
 * needs no database never loads a driver, and a missing optional driver is reported only to
 * those who need it.
 *
 * @module
 */
import { resolve } from 'node:path';
import type { StorageAdapter } from '../storage/types';
import type { LoadedConfig } from './config/load';
import { readValue } from './config/tenants';

/**
 * Open the storage of a config: SQLite paths are relative to the config file's directory; a
 * PostgreSQL URL may come from an environment variable.
 *
 * @example
 * ```ts
 * const storage = await openStorage(loaded, process.env);
 * try {
 *   console.log(await storage.runs({ tenantId: 'district-a' }));
 * } finally {
 *   await storage.close();
 * }
 * ```
 */
export async function openStorage(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StorageAdapter> {
  const storage = loaded.config.storage;
  switch (storage.type) {
    case 'sqlite':
      return openSqlite(resolve(loaded.dir, storage.path));
    case 'postgres': {
      const { PostgresStorage } = await import('../storage/postgres');
      return PostgresStorage.connect({
        connectionString: readValue(storage.url, 'storage.url', loaded.file, env),
        ...(storage.schema === undefined ? {} : { schema: storage.schema }),
      });
    }
    case 'memory': {
      const { MemoryStorage } = await import('../storage/memory');
      return new MemoryStorage();
    }
  }
}

/**
 * Open (creating if needed) a SQLite database file.
 *
 * @example
 * ```ts
 * const storage = await openSqlite('/tmp/roster.db');
 * ```
 */
export async function openSqlite(path: string): Promise<StorageAdapter> {
  const { SqliteStorage } = await import('../storage/sqlite');
  return new SqliteStorage({ path });
}
