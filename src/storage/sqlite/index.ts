/**
 * `@smartpass/oneroster/storage/sqlite`: the SQLite storage adapter (the embedded default).
 * Needs the optional peer dependency `better-sqlite3`.
 *
 * @example
 * ```ts
 * import { SqliteStorage } from '@smartpass/oneroster/storage/sqlite';
 *
 * const storage = new SqliteStorage({ path: './roster.db' });
 * ```
 *
 * @module
 */
export { SQLITE_SCHEMA_VERSION } from './migrations';
export { SqliteStorage, type SqliteStorageOptions } from './sqlite-storage';
