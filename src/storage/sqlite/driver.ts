/**
 * The `better-sqlite3` driver, loaded on first use (it is an optional peer dependency), and the
 * error classification the adapter needs from it.
 *
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import { loadOptionalPeer } from '../sql/optional-peer';

/** A `better-sqlite3` connection. */
export type SqliteDatabase = BetterSqlite3.Database;
/** A prepared `better-sqlite3` statement. */
export type SqliteStatement = BetterSqlite3.Statement;

type DatabaseConstructor = new (
  filename: string,
  options?: BetterSqlite3.Options,
) => BetterSqlite3.Database;

/** The `Database` constructor of `better-sqlite3`, or a `ConfigurationError` if not installed. */
export function loadSqliteDriver(): DatabaseConstructor {
  return loadOptionalPeer<DatabaseConstructor>('better-sqlite3', 'SqliteStorage');
}

/**
 * Whether a driver error may pass on retry: another connection held the write lock for longer
 * than the busy timeout.
 */
export function isRetryableSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
}
