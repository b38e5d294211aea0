/**
 * `@smartpass/oneroster/storage/memory`: the in-memory storage adapter, for tests, examples and
 * short-lived scripts.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from '@smartpass/oneroster/storage/memory';
 *
 * const storage = new MemoryStorage();
 * ```
 *
 * @module
 */
export { MemoryStorage, type MemoryStorageOptions } from './memory-storage';
