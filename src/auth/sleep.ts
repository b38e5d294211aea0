/**
 * An abortable delay on the global timers (so fake timers drive it in tests).
 *
 * @module
 */
import { AbortError, isOneRosterError } from '../errors';

/** The error to throw for an aborted signal: its reason if it is already ours, else an AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return isOneRosterError(reason) ? reason : new AbortError(undefined, { cause: reason });
}

/**
 * Resolve after `ms`, or reject with {@link abortReason} as soon as `signal` aborts.
 *
 * @example
 * ```ts
 * await sleep(250, controller.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
