/**
 * The HTTP layer: the only module that imports ky.
 *
 * @module
 */
export type { HttpTransportOptions } from './transport';
export { createHttpTransport } from './transport';
export type * from './types';
