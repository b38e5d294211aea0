/**
 * The default `sleep` seam: a timer that an `AbortSignal` cancels at once.
 *
 * @module
 */

/**
 * Wait `ms` milliseconds, or reject with `signal.reason` as soon as `signal` aborts.
 *
 * `globalThis.setTimeout` is looked up on every call so that test fake timers installed after the
 * transport was created still apply.
 *
 * @example
 * ```ts
 * await abortableSleep(500, controller.signal);
 * ```
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      globalThis.clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = globalThis.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
