/**
 * OAuth 2 client credentials with a cached token: one token request in flight at a time however
 * many requests wait for it, refreshed shortly before it expires and on demand after a 401.
 *
 * @module
 */
import { isOneRosterError, RateLimitError, redactUrl, TimeoutError } from '../errors';
import type { OAuth2Auth } from '../options';
import type { AuthDeps } from './deps';
import { requestToken, type TokenRequestConfig } from './oauth2-token-request';
import { abortReason, sleep } from './sleep';
import type { AuthRequest, AuthStrategy } from './types';

/** Lifetime assumed for a token sent without `expires_in`: short, so a revoked one ages out. */
export const DEFAULT_TOKEN_LIFETIME_MS = 5 * 60_000;
/** Refresh this long before expiry at most; short lifetimes use 10% instead. */
const MAX_EXPIRY_SKEW_MS = 60_000;
/**
 * A `refresh()` arriving this soon after a refresh completed reuses its token: it is a request
 * that got its 401 with the same old token, just later than the others.
 */
const REFRESH_REUSE_WINDOW_MS = 2_000;
const TOKEN_ATTEMPTS = 3;
const TOKEN_ATTEMPT_TIMEOUT_MS = 30_000;
const BACKOFF_BASE_MS = 250;
/** A token endpoint asking for a longer wait fails now rather than stall every request. */
const MAX_RETRY_AFTER_MS = 10_000;

interface CachedToken {
  value: string;
  obtainedAt: number;
  expiresAt: number;
  /** Obtained by `refresh()` after a 401, rather than because the previous one expired. */
  forced: boolean;
}

interface Flight {
  promise: Promise<CachedToken>;
  controller: AbortController;
  waiters: number;
}

/**
 * When a token stops being used: `expires_in` minus a skew of 60 s, or 10% of short lifetimes,
 * so a token never expires on its way to the server.
 *
 * @example
 * ```ts
 * tokenExpiry(0, 3_600_000); // 3_540_000
 * tokenExpiry(0, 30_000);    // 27_000
 * ```
 */
export function tokenExpiry(obtainedAt: number, lifetimeMs: number): number {
  return obtainedAt + lifetimeMs - Math.min(MAX_EXPIRY_SKEW_MS, lifetimeMs * 0.1);
}

/**
 * Create the OAuth 2 client-credentials strategy. Options are expected to be validated (see
 * `createAuthStrategy`).
 *
 * - `authorize()` returns `Authorization: Bearer <token>`, fetching a token when none is cached or
 *   the cached one is about to expire. Concurrent callers share one token request.
 * - `refresh()` (after a 401) forces a new token and returns `true`. Callers that hit a 401 with
 *   the same token at about the same time share one refresh.
 * - Token requests are retried twice with backoff on 5xx, 429, timeouts and connection errors.
 *   An aborted caller stops waiting; the request itself is cancelled only when no caller waits.
 *
 * @example
 * ```ts
 * const auth = createOAuth2Strategy(
 *   { type: 'oauth2', tokenUrl, clientId, clientSecret, scope: 'https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly' },
 *   { fetch },
 * );
 * const headers = await auth.authorize({ method: 'GET', url });
 * ```
 */
export function createOAuth2Strategy(options: OAuth2Auth, deps: AuthDeps): AuthStrategy {
  const now = deps.now ?? (() => Date.now());
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
  const config: TokenRequestConfig = {
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope,
    clientAuthentication: options.clientAuthentication ?? 'basic',
  };
  const safeTokenUrl = redactUrl(options.tokenUrl);

  let current: CachedToken | undefined;
  // The token before `current`: requests signed with it may still be in flight and logging.
  let previous: string | undefined;
  let flight: Flight | undefined;

  async function fetchWithRetry(signal: AbortSignal): Promise<CachedToken> {
    for (let attempt = 1; ; attempt++) {
      const attemptController = new AbortController();
      const forward = () => attemptController.abort(signal.reason);
      signal.addEventListener('abort', forward, { once: true });
      const timer = setTimeout(() => {
        attemptController.abort(
          new TimeoutError(
            `POST ${safeTokenUrl} timed out after ${TOKEN_ATTEMPT_TIMEOUT_MS} ms (OAuth 2 token request)`,
            { url: safeTokenUrl, timeoutMs: TOKEN_ATTEMPT_TIMEOUT_MS },
          ),
        );
      }, TOKEN_ATTEMPT_TIMEOUT_MS);
      try {
        const result = await requestToken(config, deps.fetch, attemptController.signal, now);
        if (result.tokenType !== undefined && result.tokenType.toLowerCase() !== 'bearer') {
          deps.logger?.warn(
            { tokenUrl: safeTokenUrl, tokenType: result.tokenType },
            'OAuth 2 token endpoint returned a non-bearer token_type; sending it as a bearer token',
          );
        }
        const obtainedAt = now();
        const lifetime = result.expiresInMs ?? DEFAULT_TOKEN_LIFETIME_MS;
        deps.logger?.debug(
          { tokenUrl: safeTokenUrl, clientId: options.clientId, expiresInMs: result.expiresInMs },
          'OAuth 2 token obtained',
        );
        return {
          value: result.accessToken,
          obtainedAt,
          expiresAt: tokenExpiry(obtainedAt, lifetime),
          forced: false,
        };
      } catch (error) {
        if (signal.aborted) throw abortReason(signal);
        if (!isOneRosterError(error) || !error.retryable || attempt >= TOKEN_ATTEMPTS) throw error;
        const serverDelay = error instanceof RateLimitError ? error.retryAfterMs : undefined;
        if (serverDelay !== undefined && serverDelay > MAX_RETRY_AFTER_MS) throw error;
        const delayMs =
          serverDelay ??
          Math.round(BACKOFF_BASE_MS * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4));
        deps.onEvent?.({
          type: 'retry',
          method: 'POST',
          url: safeTokenUrl,
          attempt,
          delayMs,
          reason: error.code,
        });
        await sleep(delayMs, signal);
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', forward);
      }
    }
  }

  function start(forced: boolean): Flight {
    const controller = new AbortController();
    const started: Flight = {
      controller,
      waiters: 0,
      promise: fetchWithRetry(controller.signal).then((token) => {
        if (current) previous = current.value;
        current = { ...token, forced };
        return current;
      }),
    };
    started.promise
      .finally(() => {
        if (flight === started) flight = undefined;
      })
      // Failures reach the waiters through `join`; this only keeps an abandoned flight quiet.
      .catch(() => {});
    flight = started;
    return started;
  }

  /** Wait for a flight; this caller's abort stops only its own wait, unless it is the last one. */
  function join(target: Flight, signal: AbortSignal | undefined): Promise<CachedToken> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    target.waiters++;
    return new Promise<CachedToken>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        waiting = false;
        target.waiters--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!waiting) return;
        leave();
        if (target.waiters === 0) {
          // Nobody wants this token any more: cancel the request, and let the next caller start
          // a fresh one instead of joining a flight that is about to fail with our abort.
          if (flight === target) flight = undefined;
          target.controller.abort(abortReason(signal as AbortSignal));
        }
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      target.promise.then(
        (token) => {
          if (!waiting) return;
          leave();
          resolve(token);
        },
        (error: unknown) => {
          if (!waiting) return;
          leave();
          reject(error);
        },
      );
    });
  }

  async function token(signal: AbortSignal | undefined): Promise<string> {
    // A refresh in flight means the cached token was just rejected: wait for its replacement.
    if (flight) return (await join(flight, signal)).value;
    if (current && now() < current.expiresAt) return current.value;
    return (await join(start(false), signal)).value;
  }

  return {
    type: 'oauth2',
    async authorize(request: AuthRequest): Promise<Record<string, string>> {
      return { Authorization: `Bearer ${await token(request.signal)}` };
    },
    async refresh(signal?: AbortSignal): Promise<boolean> {
      if (flight) {
        await join(flight, signal);
        return true;
      }
      if (current?.forced && now() - current.obtainedAt < REFRESH_REUSE_WINDOW_MS) return true;
      await join(start(true), signal);
      return true;
    },
    describe(): string {
      return `OAuth 2 client credentials (client id "${options.clientId}", token URL ${safeTokenUrl})`;
    },
    secrets(): string[] {
      const list = [options.clientSecret];
      if (current) list.push(current.value);
      if (previous !== undefined) list.push(previous);
      return list;
    },
  };
}
