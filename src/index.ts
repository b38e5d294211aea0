/**
 * `@smartpass/oneroster`: a typed OneRoster 1.1/1.2 client with paging, rate limiting and retry.
 *
 * Subpaths: `./sync`, `./storage/memory`, `./storage/sqlite`, `./storage/postgres`, `./sso`,
 * `./testing`.
 *
 * @packageDocumentation
 */
export * from './errors';
export type * from './models/types';
export { SYNC_RESOURCES } from './models/types';
export type * from './options';
