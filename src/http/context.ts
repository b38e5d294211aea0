/**
 * What every request of one transport shares: resolved options, the limiter, the redactor and
 * the seams. Built once by `createHttpTransport`.
 *
 * @module
 */
import type { AuthStrategy } from '../auth/types';
import type { ClientEvent } from '../options';
import type { ResolvedRetryOptions } from './defaults';
import type { HttpLog } from './log';
import type { RequestLimiter } from './rate-limiter';
import type { Redactor } from './redact';

/** Shared per-transport state and settings. */
export interface RunnerContext {
  baseUrl: URL;
  auth: AuthStrategy;
  fetch: typeof globalThis.fetch | undefined;
  retry: ResolvedRetryOptions;
  /** Default per-attempt timeout (ms). */
  timeout: number;
  limiter: RequestLimiter;
  /** `Accept` plus the user's transport-wide headers, validated. */
  headers: Headers;
  log: HttpLog;
  redactor: Redactor;
  onEvent: ((event: ClientEvent) => void) | undefined;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  /** Hint appended to a 401 (what to check), built from `auth.describe()`. */
  authHint: () => string;
}
