/**
 * `@smartpass/oneroster/storage/postgres`: the PostgreSQL storage adapter. Needs the optional
 * peer dependency `pg`.
 *
 * @example
 * ```ts
 * import { PostgresStorage } from '@smartpass/oneroster/storage/postgres';
 *
 * const storage = await PostgresStorage.connect({ connectionString: process.env.DATABASE_URL! });
 * ```
 *
 * @module
 */
export type { PgClientLike, PgPoolLike, PgQueryResult } from './driver';
export { POSTGRES_SCHEMA_VERSION } from './migrations';
export {
  type PostgresConnectionStringOptions,
  type PostgresPoolOptions,
  PostgresStorage,
  type PostgresStorageBaseOptions,
  type PostgresStorageOptions,
} from './postgres-storage';
