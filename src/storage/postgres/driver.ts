/**
 * What {@link PostgresStorage} needs from `pg` (an optional peer dependency, loaded on first
 * use), as structural types: a `pg.Pool` fits them, and so does a wrapper a team already has,
 * without this package's public types depending on `@types/pg`.
 *
 * @module
 */
import { loadOptionalPeer } from '../sql/optional-peer';

/** The part of a `pg` query result the adapter reads. */
export interface PgQueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

/** A query with a statement name: `pg` prepares it once per connection. */
export interface PgQueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

/** A connection checked out of a pool (`pg.PoolClient`). */
export interface PgClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: matches pg's own `QueryResultRow` default.
  query<R extends Record<string, any> = Record<string, unknown>>(
    textOrConfig: string | PgQueryConfig,
    values?: unknown[],
  ): Promise<PgQueryResult<R>>;
  /** Return the client to the pool; `true` (or an error) destroys it instead. */
  release(destroy?: boolean | Error): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool (`pg.Pool`). */
export interface PgPoolLike {
  // biome-ignore lint/suspicious/noExplicitAny: matches pg's own `QueryResultRow` default.
  query<R extends Record<string, any> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<PgQueryResult<R>>;
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
  /** `pg.Pool` exposes its options; `max` is checked when present. */
  readonly options?: { max?: number | undefined };
}

interface PgModule {
  Pool: new (config: {
    connectionString: string;
    max?: number;
    application_name?: string;
  }) => PgPoolLike & { on(event: 'error', listener: (error: Error) => void): unknown };
}

/** The `pg` module, or a `ConfigurationError` if not installed. */
export function loadPg(): PgModule {
  return loadOptionalPeer<PgModule>('pg', 'PostgresStorage');
}

/** SQLSTATE classes and codes after which repeating the operation may succeed. */
const RETRYABLE_SQLSTATE = /^(08|53|57P0[123]|40001|40P01)/;
const RETRYABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** Whether a `pg` error is transient: a lost or refused connection, a shutdown, a deadlock. */
export function isRetryablePgError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (RETRYABLE_SQLSTATE.test(code) || RETRYABLE_NODE_CODES.has(code))
  ) {
    return true;
  }
  // pg reports a connection dropped mid-query without a code.
  return error instanceof Error && /Connection terminated/i.test(error.message);
}

/** Whether the connection that raised `error` should be destroyed rather than reused. */
export function isBrokenConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(08|57P0)/.test(code)) return true;
  return isRetryablePgError(error) && !(typeof code === 'string' && /^(40|53)/.test(code));
}
