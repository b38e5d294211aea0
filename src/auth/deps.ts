/**
 * What an authentication strategy needs from its client: I/O and clocks are injected so that
 * tests run with fake timers, a deterministic nonce and an in-process token endpoint.
 *
 * @module
 */
import type { ClientEvent, Logger } from '../options';

/**
 * Dependencies of {@link createAuthStrategy}.
 *
 * @example
 * ```ts
 * const deps: AuthDeps = { fetch: globalThis.fetch, logger: console };
 * ```
 */
export interface AuthDeps {
  /** Used for OAuth 2 token requests. */
  fetch: typeof globalThis.fetch;
  logger?: Logger | undefined;
  /** Milliseconds since the epoch. @default Date.now */
  now?: (() => number) | undefined;
  /** OAuth 1.0a nonce source. @default 32 hex characters from node:crypto */
  nonce?: (() => string) | undefined;
  /** Receives `retry` events for token requests. */
  onEvent?: ((event: ClientEvent) => void) | undefined;
}
