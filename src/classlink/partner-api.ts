/**
 * The HTTP side of ClassLink's partner endpoints (`/applications`, `/applications/{id}/server`):
 * the package's transport (retry with backoff and jitter, rate limiting, typed errors, redaction)
 * authorised with the partner API key.
 *
 * @module
 */
import { createAuthStrategy } from '../auth';
import { ConfigurationError } from '../errors';
import { createHttpTransport } from '../http';
import type { Transport } from '../http/types';
import type { ClientEvent, Logger, RetryOptions } from '../options';
import { CLASSLINK_PROXY_BASE_URL } from './proxy';

/** Options shared by the partner API calls. */
export interface PartnerApiOptions {
  /** The partner API key from the Partner Portal (a bearer). Never logged. */
  partnerKey: string;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** @default 'https://oneroster-proxy.classlink.io' */
  baseUrl?: string;
  /** Retry of 429/5xx/connection errors; `false` disables it. @default the client defaults */
  retry?: RetryOptions | false;
  /** Per-attempt timeout in ms. @default 30_000 */
  timeout?: number;
  logger?: Logger;
  onEvent?: (event: ClientEvent) => void;
  signal?: AbortSignal;
}

/** Build the transport for the partner API. */
export function partnerTransport(options: PartnerApiOptions): Transport {
  if (typeof options.partnerKey !== 'string' || options.partnerKey.trim() === '') {
    throw new ConfigurationError('partnerKey', 'must be a non-empty string');
  }
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl ?? CLASSLINK_PROXY_BASE_URL);
  } catch {
    throw new ConfigurationError('baseUrl', 'is not an absolute URL');
  }
  const fetch = options.fetch;
  return createHttpTransport({
    baseUrl,
    auth: createAuthStrategy(
      { type: 'bearer', token: options.partnerKey },
      { fetch: fetch ?? ((input, init) => globalThis.fetch(input, init)) },
    ),
    rateLimit: {},
    retry: options.retry ?? {},
    timeout: options.timeout ?? 30_000,
    ...(fetch ? { fetch } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
