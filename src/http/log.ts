/**
 * The HTTP layer's logging and event emission: everything passes through the redactor, and a
 * throwing logger or listener never breaks a request.
 *
 * @module
 */
import type { ClientEvent, Logger } from '../options';
import type { Redactor } from './redact';

/** Log calls used by the transport. Fields are redacted before they reach the logger. */
export interface HttpLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Wrap an optional pino-compatible logger so that every call is redacted and cannot throw.
 *
 * @example
 * ```ts
 * const log = createHttpLog(options.logger, redactor);
 * log.debug({ method: 'GET', url }, 'oneroster request');
 * ```
 */
export function createHttpLog(logger: Logger | undefined, redactor: Redactor): HttpLog {
  if (!logger) return { debug() {}, warn() {} };
  const call = (level: 'debug' | 'warn', fields: object, message: string): void => {
    try {
      logger[level](redactor.fields(fields), redactor.text(message));
    } catch {
      // A broken logger must not turn a successful request into a failure.
    }
  };
  return {
    debug: (fields, message) => call('debug', fields, message),
    warn: (fields, message) => call('warn', fields, message),
  };
}

/**
 * Deliver an event to the transport-wide and the per-request listener. Listener errors are
 * logged (redacted) and swallowed: observing a request must not change its outcome.
 *
 * @example
 * ```ts
 * emitEvent(event, [options.onEvent, request.onEvent], log);
 * ```
 */
export function emitEvent(
  event: ClientEvent,
  listeners: ReadonlyArray<((event: ClientEvent) => void) | undefined>,
  log: HttpLog,
): void {
  for (const listener of listeners) {
    if (!listener) continue;
    try {
      listener(event);
    } catch (error) {
      log.warn(
        { event: event.type, error: error instanceof Error ? error.message : String(error) },
        'oneroster onEvent listener threw; ignored',
      );
    }
  }
}
