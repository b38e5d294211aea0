/**
 * The HTTP layer: the only module that imports ky. Resources and the paginator use
 * {@link createHttpTransport}; the other exports are for the client (option defaults and
 * validation) and for modules that parse OneRoster status info or redact log output.
 *
 * @module
 */
export type { ResolvedRateLimitOptions, ResolvedRetryOptions } from './defaults';
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETRY,
  resolveRateLimitOptions,
  resolveRetryOptions,
} from './defaults';
export { createRedactor, REDACTED, type Redactor } from './redact';
export { bodyExcerpt, isFailureStatus, parseStatusInfo } from './status-info';
export type { HttpTransportOptions } from './transport';
export { createHttpTransport } from './transport';
export type * from './types';
