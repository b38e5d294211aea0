/** Build a transport for tests with sensible fast defaults. */
import { createHttpTransport, type HttpTransportOptions } from '../../../src/http/transport';
import type { Transport } from '../../../src/http/types';
import { noAuth } from './auth';

export const BASE_PATH = '/ims/oneroster/v1p1';

export function transportFor(
  origin: string,
  overrides: Partial<HttpTransportOptions> = {},
): Transport {
  return createHttpTransport({
    baseUrl: new URL(`${origin}${BASE_PATH}`),
    auth: noAuth(),
    rateLimit: false,
    retry: { retries: 5, minDelayMs: 10, maxDelayMs: 100 },
    timeout: 5000,
    ...overrides,
  });
}

/** Run a promise expected to reject and return the rejection. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}
