/**
 * Runtime checks for options that arrive from JavaScript callers (or `as any` casts), shared by
 * the client's constructor and every request method. Each throws a {@link ConfigurationError}
 * naming the option, and never echoes values that might be secret.
 *
 * @module
 */
import { ConfigurationError } from '../errors';
import type { ValidationMode } from '../models/types';
import type { ClientEvent, RequestOptions } from '../options';

/** `setTimeout` fires at once for delays above this (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

const VALIDATION_MODES: readonly ValidationMode[] = ['strict', 'lenient', 'off'];

/** RFC 9110 `token`: the characters a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A short, value-free description of what was passed, for error messages.
 *
 * @example
 * ```ts
 * describeType([]); // 'an array'
 * ```
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  return typeof value;
}

/**
 * True for a plain object (not null, not an array).
 *
 * @example
 * ```ts
 * isPlainObject({}); // true
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An integer >= `min`.
 *
 * @example
 * ```ts
 * checkInteger('pageSize', 1000, 1);
 * ```
 */
export function checkInteger(option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigurationError(
      option,
      `must be an integer >= ${min}, got ${describeType(value)}`,
    );
  }
  return value;
}

/**
 * A timeout in milliseconds: finite, > 0 and at most {@link MAX_TIMEOUT_MS}.
 *
 * @example
 * ```ts
 * checkTimeout('timeout', 30_000);
 * ```
 */
export function checkTimeout(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(
      option,
      `must be a number of milliseconds > 0, got ${describeType(value)}`,
    );
  }
  if (value > MAX_TIMEOUT_MS) {
    throw new ConfigurationError(option, `must be at most ${MAX_TIMEOUT_MS} ms, got ${value}`);
  }
  return value;
}

/**
 * `'strict' | 'lenient' | 'off'`.
 *
 * @example
 * ```ts
 * checkValidationMode('validation', 'strict');
 * ```
 */
export function checkValidationMode(option: string, value: unknown): ValidationMode {
  if (!VALIDATION_MODES.includes(value as ValidationMode)) {
    throw new ConfigurationError(
      option,
      `must be 'strict', 'lenient' or 'off', got ${typeof value === 'string' ? JSON.stringify(value) : describeType(value)}`,
    );
  }
  return value as ValidationMode;
}

/**
 * A function.
 *
 * @example
 * ```ts
 * checkFunction('onEvent', (event) => console.log(event.type));
 * ```
 */
export function checkFunction<F extends (...args: never[]) => unknown>(
  option: string,
  value: unknown,
): F {
  if (typeof value !== 'function') {
    throw new ConfigurationError(option, `must be a function, got ${describeType(value)}`);
  }
  return value as F;
}

/**
 * Extra request headers: header names must be valid tokens and values strings without line
 * breaks (a `\r\n` in a value would otherwise fail deep inside `fetch`, or worse, split headers).
 * Values are never echoed: they are often API keys.
 *
 * @example
 * ```ts
 * checkHeaders('headers', { 'x-request-source': 'nightly-sync' });
 * ```
 */
export function checkHeaders(option: string, value: unknown): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new ConfigurationError(option, `must be an object of header names to strings`);
  }
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigurationError(`${option}.${name}`, 'is not a valid HTTP header name');
    }
    if (typeof headerValue !== 'string' || /[\r\n\0]/.test(headerValue)) {
      throw new ConfigurationError(
        `${option}.${name}`,
        'must be a string without line breaks or NUL characters',
      );
    }
    headers[name] = headerValue;
  }
  return headers;
}

/**
 * An `AbortSignal` (checked by shape, so signals from another realm or polyfill pass).
 *
 * @example
 * ```ts
 * checkSignal('signal', AbortSignal.timeout(5_000));
 * ```
 */
export function checkSignal(option: string, value: unknown): AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.aborted !== 'boolean' ||
    typeof candidate.addEventListener !== 'function'
  ) {
    throw new ConfigurationError(option, `must be an AbortSignal, got ${describeType(value)}`);
  }
  return value as AbortSignal;
}

/** {@link RequestOptions} after validation; absent options stay absent. */
export interface CheckedRequestOptions {
  signal: AbortSignal | undefined;
  timeout: number | undefined;
  headers: Record<string, string> | undefined;
  validation: ValidationMode | undefined;
  onEvent: ((event: ClientEvent) => void) | undefined;
}

const REQUEST_OPTION_KEYS = new Set(['signal', 'timeout', 'headers', 'validation', 'onEvent']);

/**
 * Validate the per-call options of a request method.
 *
 * @throws {ConfigurationError} naming the option (`signal`, `timeout`, `headers`, `validation`,
 * `onEvent`, or an unknown key).
 *
 * @example
 * ```ts
 * checkRequestOptions({ signal: controller.signal, validation: 'strict' });
 * ```
 */
export function checkRequestOptions(options: RequestOptions | undefined): CheckedRequestOptions {
  if (options === undefined) {
    return {
      signal: undefined,
      timeout: undefined,
      headers: undefined,
      validation: undefined,
      onEvent: undefined,
    };
  }
  if (!isPlainObject(options)) {
    throw new ConfigurationError(
      'options',
      `request options must be an object, got ${describeType(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!REQUEST_OPTION_KEYS.has(key)) {
      throw new ConfigurationError(
        key,
        `is not a request option (known: ${[...REQUEST_OPTION_KEYS].join(', ')})`,
      );
    }
  }
  const { signal, timeout, headers, validation, onEvent } = options;
  return {
    signal: signal === undefined ? undefined : checkSignal('signal', signal),
    timeout: timeout === undefined ? undefined : checkTimeout('timeout', timeout),
    headers: headers === undefined ? undefined : checkHeaders('headers', headers),
    validation:
      validation === undefined ? undefined : checkValidationMode('validation', validation),
    onEvent:
      onEvent === undefined
        ? undefined
        : checkFunction<(event: ClientEvent) => void>('onEvent', onEvent),
  };
}
