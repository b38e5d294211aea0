/**
 * Turn whatever a fetch attempt threw (ky 2's `NetworkError`, undici's `TypeError: fetch failed`
 * with a `cause.code`, a body read cut short, a custom `fetch` throwing) into a typed error.
 * No ky error object survives this: ky's errors hold the `Request`, headers included, so they are
 * unwrapped to their underlying cause.
 *
 * @module
 */
import { isKyError, isNetworkError } from 'ky';
import { ConnectionError, type OneRosterError } from '../errors';

/** A classified failure: the error to throw, and whether repeating the request may help. */
export interface ThrownFailure {
  error: OneRosterError;
  transient: boolean;
}

const CONNECTION_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ECONNABORTED: 'connection aborted',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
  UND_ERR_CLOSED: 'connection closed',
};

// Certificate problems do not fix themselves between retries.
const PERMANENT_CODE = /^(CERT_|ERR_TLS_CERT|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED|UNABLE_TO_)/;

// The messages undici and browsers use for "no usable response" (ky's own list, plus the body
// read variant): only these TypeErrors are network failures; any other TypeError is a bug.
const NETWORK_MESSAGES = new Set([
  'fetch failed',
  'terminated',
  'network error',
  'Failed to fetch',
  'Network request failed',
  'NetworkError when attempting to fetch resource.',
]);

/** The message of the innermost `cause` (undici puts the reason of a "fetch failed" there). */
function causeMessage(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const { cause, message } = error as { cause?: unknown; message?: unknown };
  return (
    causeMessage(cause, depth + 1) ??
    (typeof message === 'string' && depth > 0 ? message : undefined)
  );
}

function errorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string') return record.code;
  // Dual-stack connects fail with an AggregateError holding one error per address.
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return errorCode(record.cause, depth + 1);
}

/**
 * Classify an error thrown while sending a request or reading its body. The caller has already
 * ruled out its own aborts (user signal, timeouts), which it reports itself.
 *
 * @example
 * ```ts
 * const { error, transient } = classifyThrown(caught, 'GET', redactedUrl, 'sending the request');
 * ```
 */
export function classifyThrown(
  thrown: unknown,
  method: string,
  url: string,
  phase: 'request' | 'body',
): ThrownFailure {
  // Keep the platform's cause (it has the syscall code), never ky's wrapper (it has the Request).
  const raw = isNetworkError(thrown) ? thrown.cause : thrown;
  const cause = isKyError(raw) ? undefined : raw;
  const code = errorCode(raw);
  const isNetwork =
    isNetworkError(thrown) ||
    (raw instanceof TypeError && NETWORK_MESSAGES.has(raw.message)) ||
    (code !== undefined && code in CONNECTION_CODES);
  // fetch refuses some ports outright (6000, 6665-6669, 10080, ...: the Fetch standard's "bad
  // ports"): no retry can help, and "network error" would send the user looking at the server.
  if (code === undefined && causeMessage(raw) === 'bad port') {
    const error = new ConnectionError(
      `${method} ${url} failed: fetch refuses this port (a "bad port" of the Fetch standard); serve on another port`,
      { url, cause, retryable: false },
    );
    return { error, transient: false };
  }
  const what =
    (code && CONNECTION_CODES[code]) ??
    (phase === 'body' ? 'connection closed while reading the response' : undefined) ??
    (isNetwork ? 'network error' : 'unexpected error from fetch');
  const suffix = code ? ` (${code})` : '';
  // A certificate problem does not fix itself between retries; an error that is not a network
  // failure (a custom fetch's bug) would fail the same way again.
  const transient = isNetwork && !(code !== undefined && PERMANENT_CODE.test(code));
  const error = new ConnectionError(`${method} ${url} failed: ${what}${suffix}`, {
    url,
    cause,
    retryable: transient,
  });
  return { error, transient };
}
