/**
 * One HTTP exchange through ky: send, receive headers, read the body text. ky's own retry and
 * timeout are off (retry happens in exactly one layer, p-retry in `request-runner.ts`; timeouts
 * come from our signal, so the body read is covered too) and ky never sees a query object (it would re-serialise it with
 * `URLSearchParams` and break OAuth 1.0a signatures).
 *
 * @module
 */
import ky from 'ky';

/** What was received. */
export interface Exchanged {
  status: number;
  headers: Headers;
  text: string;
}

/** Where an exchange failed, for the error message. */
export class ExchangeFailure extends Error {
  constructor(
    readonly phase: 'request' | 'body',
    override readonly cause: unknown,
  ) {
    super(`exchange failed while ${phase === 'request' ? 'sending' : 'reading the body'}`);
  }
}

/** One exchange's inputs. */
export interface ExchangeInput {
  method: string;
  /** Final URL, query included, exactly as signed. */
  url: URL;
  headers: Headers;
  signal: AbortSignal;
  fetch: typeof globalThis.fetch | undefined;
  /** Called when response headers arrive (the server has certainly seen the request). */
  onHeaders: () => void;
}

/**
 * Send one request and read its body as text (read once; the caller parses it once).
 *
 * @throws {ExchangeFailure} wrapping whatever fetch or the body read threw.
 *
 * @example
 * ```ts
 * const { status, text } = await exchange({ method: 'GET', url, headers, signal, fetch, onHeaders });
 * ```
 */
export async function exchange(input: ExchangeInput): Promise<Exchanged> {
  let response: Response;
  try {
    response = await ky(input.url, {
      method: input.method,
      headers: input.headers,
      signal: input.signal,
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      redirect: 'manual',
      // Looked up per call (not captured) so that msw or a test double installed later applies.
      fetch: input.fetch ?? ((request, init) => globalThis.fetch(request, init)),
    });
  } catch (error) {
    throw new ExchangeFailure('request', error);
  }
  input.onHeaders();
  try {
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw new ExchangeFailure('body', error);
  }
}
