/**
 * What every resource needs from its client. Built once per client by `OneRosterClient`; a
 * derived client (`withOptions`) builds a new context around the same transport.
 *
 * @module
 */
import type { Transport } from '../http/types';
import type { OneRosterVersion, ValidationMode } from '../models/types';
import type { ClientEvent, Logger } from '../options';

/**
 * The client-wide settings resources work with.
 *
 * @example
 * ```ts
 * const context: ResourceContext = {
 *   transport, version: '1.2', pageSize: 1000, maxPages: 100_000,
 *   validation: 'lenient', prefetch: 4, logger: undefined, onEvent: undefined,
 * };
 * const users = new UsersResource(context);
 * ```
 */
export interface ResourceContext {
  readonly transport: Transport;
  readonly version: OneRosterVersion;
  /** `limit` sent on collection requests unless a call passes its own. */
  readonly pageSize: number;
  /** The most pages one collection walk may fetch. */
  readonly maxPages: number;
  /** Default validation mode; a call's `validation` option overrides it. */
  readonly validation: ValidationMode;
  /** Most pages requested ahead of the consumer when the total is known (1 = sequential). */
  readonly prefetch: number;
  readonly logger: Logger | undefined;
  /** The client-wide listener; the transport reports requests to it, resources report records. */
  readonly onEvent: ((event: ClientEvent) => void) | undefined;
}
