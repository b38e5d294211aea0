/**
 * One OAuth 2 client-credentials token request (RFC 6749 §4.4) and the mapping of every way it
 * can fail to a typed error. Error messages name the token URL, the client id and the OAuth
 * `error` code; never the secret, the Authorization header or a token.
 *
 * @module
 */
import {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConnectionError,
  InvalidResponseError,
  PermissionDeniedError,
  RateLimitError,
  redactUrl,
  ServerError,
} from '../errors';
import { abortReason } from './sleep';

/** What a token request needs (validated `OAuth2Auth` options). */
export interface TokenRequestConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes. */
  scope?: string | undefined;
  clientAuthentication: 'basic' | 'body';
}

/** A token endpoint's successful answer, reduced to what the cache needs. */
export interface TokenResult {
  accessToken: string;
  /** `expires_in` in ms; `undefined` when absent or not a positive number. */
  expiresInMs: number | undefined;
  tokenType: string | undefined;
}

/** `application/x-www-form-urlencoded` encoding (space as `+`), as RFC 6749 §2.3.1 requires. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function basicCredentials(clientId: string, clientSecret: string): string {
  const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function buildRequest(config: TokenRequestConfig): { headers: Headers; body: string } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (config.scope !== undefined) form.set('scope', config.scope);
  const headers = new Headers({
    Accept: 'application/json',
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  if (config.clientAuthentication === 'basic') {
    headers.set('Authorization', basicCredentials(config.clientId, config.clientSecret));
  } else {
    form.set('client_id', config.clientId);
    form.set('client_secret', config.clientSecret);
  }
  return { headers, body: form.toString() };
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The server's `error_description`, cut short and scrubbed of the secret in case it is echoed. */
function safeDescription(value: unknown, secret: string): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const short = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return short.replaceAll(secret, '[REDACTED]');
}

function failure(
  response: Response,
  text: string,
  config: TokenRequestConfig,
  now: number,
): ApiError {
  const body = parseJson(text);
  const code = isRecord(body) && typeof body.error === 'string' ? body.error : undefined;
  const description = isRecord(body)
    ? safeDescription(body.error_description, config.clientSecret)
    : undefined;
  const { status } = response;
  const init: ApiErrorInit = {
    status,
    method: 'POST',
    url: redactUrl(config.tokenUrl),
    statusInfo:
      code === undefined && description === undefined
        ? undefined
        : {
            codeMinor: code === undefined ? [] : [{ name: 'error', value: code }],
            ...(description === undefined ? {} : { description }),
          },
    headers: response.headers,
  };
  const client = `client id "${config.clientId}"`;
  if (status === 400 || status === 401) {
    return new AuthenticationError({
      ...init,
      hint: `The OAuth 2 token request for ${client} was refused${code ? ` (${code})` : ''}; check auth.clientId, auth.clientSecret${config.scope ? ', auth.scope' : ''} and auth.clientAuthentication`,
    });
  }
  if (status === 403) {
    return new PermissionDeniedError({
      ...init,
      hint: `The token endpoint refused ${client}; check the application's permissions and auth.scope`,
    });
  }
  if (status === 429) {
    return new RateLimitError({
      ...init,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
      hint: `The token endpoint throttled ${client}`,
    });
  }
  if (status >= 500) return new ServerError({ ...init, hint: 'The token endpoint failed' });
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return ApiError.fromStatus({
      ...init,
      hint: `The token endpoint redirected${location ? ` to ${redactUrl(new URL(location, config.tokenUrl))}` : ''}; set auth.tokenUrl to the final URL (credentials are not re-sent across redirects)`,
    });
  }
  return ApiError.fromStatus({ ...init, hint: 'Check auth.tokenUrl' });
}

function parseToken(response: Response, text: string, config: TokenRequestConfig): TokenResult {
  const invalid = (reason: string) =>
    new InvalidResponseError({
      status: response.status,
      method: 'POST',
      url: redactUrl(config.tokenUrl),
      // No body excerpt: a token response carries the token itself.
      reason: `${reason}; check auth.tokenUrl points at the OAuth 2 token endpoint`,
      // A 2xx that is not a token is a wrong URL or a misbehaving server, not a passing glitch.
      retryable: false,
    });
  const body = parseJson(text);
  if (!isRecord(body)) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw invalid(`the token response is not a JSON object (${type})`);
  }
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw invalid('the token response has no access_token string');
  }
  const expiresIn =
    typeof body.expires_in === 'string' && body.expires_in.trim() !== ''
      ? Number(body.expires_in)
      : body.expires_in;
  return {
    accessToken,
    expiresInMs:
      typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0
        ? expiresIn * 1000
        : undefined,
    tokenType: typeof body.token_type === 'string' ? body.token_type : undefined,
  };
}

/**
 * POST one client-credentials token request and parse the answer.
 *
 * @throws {AuthenticationError} 400/401 (e.g. `invalid_client`, `invalid_grant`).
 * @throws {PermissionDeniedError} 403.
 * @throws {RateLimitError} 429 (retryable, with `retryAfterMs`).
 * @throws {ServerError} 5xx (retryable).
 * @throws {ConnectionError} no response (retryable).
 * @throws {InvalidResponseError} a 2xx without a JSON object holding `access_token`.
 * @throws the signal's reason (a `TimeoutError` or `AbortError`) when `signal` aborts.
 *
 * @example
 * ```ts
 * const token = await requestToken(config, fetch, AbortSignal.timeout(30_000));
 * ```
 */
export async function requestToken(
  config: TokenRequestConfig,
  fetchFn: typeof globalThis.fetch,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<TokenResult> {
  const { headers, body } = buildRequest(config);
  let response: Response;
  let text: string;
  try {
    // `manual`: a redirected POST would carry the client secret to wherever the server points.
    response = await fetchFn(config.tokenUrl, {
      method: 'POST',
      headers,
      body,
      signal,
      redirect: 'manual',
    });
    text = await response.text();
  } catch (cause) {
    if (signal.aborted) throw abortReason(signal);
    const url = redactUrl(config.tokenUrl);
    throw new ConnectionError(
      `POST ${url} failed: the OAuth 2 token endpoint could not be reached`,
      {
        url,
        cause,
      },
    );
  }
  if (response.status < 200 || response.status >= 300) {
    throw failure(response, text, config, now());
  }
  return parseToken(response, text, config);
}
