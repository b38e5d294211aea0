/**
 * The error hierarchy. Every error this package throws is a {@link OneRosterError} with a stable
 * `code` and a `retryable` flag, so callers can branch without string matching.
 *
 * Messages never contain secrets, tokens, OAuth parameters or record bodies: URLs are passed
 * through {@link redactUrl} before they reach a message.
 *
 * @module
 */

/** Stable machine-readable codes. Never renamed once released. */
export type OneRosterErrorCode =
  | 'bad_request'
  | 'authentication_failed'
  | 'permission_denied'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  | 'api_error'
  | 'invalid_response'
  | 'connection_error'
  | 'timeout'
  | 'aborted'
  | 'validation_failed'
  | 'pagination_error'
  | 'configuration_error'
  | 'sync_locked'
  | 'sync_failed'
  | 'storage_error'
  | 'sso_error';

const BRAND = Symbol.for('@smartpass/oneroster.error');

/**
 * Root of every error thrown by this package.
 *
 * @example
 * ```ts
 * try {
 *   await client.users.get('u-1');
 * } catch (error) {
 *   if (isOneRosterError(error) && error.retryable) scheduleRetry();
 *   else throw error;
 * }
 * ```
 */
export class OneRosterError extends Error {
  /** Stable machine-readable code. */
  readonly code: OneRosterErrorCode;
  /** Whether repeating the same request later may succeed. */
  readonly retryable: boolean;

  constructor(
    message: string,
    options: { code: OneRosterErrorCode; retryable?: boolean; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Cross-realm check (works when two copies of the package are loaded, where `instanceof` fails).
 *
 * @example
 * ```ts
 * if (isOneRosterError(err)) console.error(err.code);
 * ```
 */
export function isOneRosterError(value: unknown): value is OneRosterError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/** One imsx code-minor entry as sent by the server. */
export interface StatusInfoCodeMinor {
  name: string;
  value: string;
}

/**
 * The imsx status information a OneRoster server sent with an error, normalised from any of the
 * shapes seen in the wild (1.2 flat `imsx_*`, 1.1 `statusInfoSet`, `errors[]`, un-prefixed keys).
 */
export interface StatusInfo {
  codeMajor?: string;
  severity?: string;
  description?: string;
  codeMinor: StatusInfoCodeMinor[];
}

/** What an {@link ApiError} is constructed from. */
export interface ApiErrorInit {
  status: number;
  method: string;
  /** Already redacted; see {@link redactUrl}. */
  url: string;
  statusInfo?: StatusInfo | undefined;
  /** A short, redacted excerpt of a non-JSON body (e.g. an HTML gateway page). */
  bodyExcerpt?: string | undefined;
  headers?: Headers | undefined;
  /** Human hint appended to the message: what the user should check. */
  hint?: string | undefined;
  cause?: unknown;
}

/**
 * The server answered with an HTTP error status. Subclasses by status:
 * {@link BadRequestError} (400, 422), {@link AuthenticationError} (401),
 * {@link PermissionDeniedError} (403), {@link NotFoundError} (404), {@link RateLimitError} (429),
 * {@link ServerError} (5xx).
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof ApiError) console.log(error.status, error.codeMinor, error.description);
 * }
 * ```
 */
export class ApiError extends OneRosterError {
  readonly status: number;
  readonly method: string;
  /** The request URL with credentials removed. */
  readonly url: string;
  readonly statusInfo: StatusInfo | undefined;
  readonly bodyExcerpt: string | undefined;
  readonly headers: Headers | undefined;

  constructor(init: ApiErrorInit, code: OneRosterErrorCode = 'api_error', retryable = false) {
    super(ApiError.message(init), { code, retryable, cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.statusInfo = init.statusInfo;
    this.bodyExcerpt = init.bodyExcerpt;
    this.headers = init.headers;
  }

  /** `imsx_codeMajor` (e.g. `failure`), when the server sent one. */
  get codeMajor(): string | undefined {
    return this.statusInfo?.codeMajor;
  }
  /** `imsx_severity` (e.g. `error`), when the server sent one. */
  get severity(): string | undefined {
    return this.statusInfo?.severity;
  }
  /** The first imsx code-minor value (e.g. `invalid_filter_field`), when the server sent one. */
  get codeMinor(): string | undefined {
    return this.statusInfo?.codeMinor[0]?.value;
  }
  /** `imsx_description`, when the server sent one. */
  get description(): string | undefined {
    return this.statusInfo?.description;
  }

  private static message(init: ApiErrorInit): string {
    let message = `${init.method} ${init.url} failed with HTTP ${init.status}`;
    const info = init.statusInfo;
    if (info) {
      const minor = info.codeMinor.map((c) => c.value).join(', ');
      const detail = [info.codeMajor, info.severity, minor].filter(Boolean).join('/');
      if (detail) message += ` (${detail})`;
      if (info.description) message += `: ${info.description}`;
    } else if (init.bodyExcerpt) {
      message += `: ${init.bodyExcerpt}`;
    }
    if (init.hint) message += `. ${init.hint}`;
    return message;
  }

  /**
   * Pick the subclass for a status code.
   *
   * @example
   * ```ts
   * throw ApiError.fromStatus({ status: 404, method: 'GET', url });
   * ```
   */
  static fromStatus(init: ApiErrorInit & { retryAfterMs?: number | undefined }): ApiError {
    const { status } = init;
    if (status === 400 || status === 422) return new BadRequestError(init);
    if (status === 401) return new AuthenticationError(init);
    if (status === 403) return new PermissionDeniedError(init);
    if (status === 404) return new NotFoundError(init);
    if (status === 429) return new RateLimitError(init);
    if (status === 408) return new ApiError(init, 'timeout', true);
    if (status >= 500) return new ServerError(init);
    return new ApiError(init);
  }
}

/** 400 or 422: a bad parameter, unknown filter or selection field, or invalid data. */
export class BadRequestError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'bad_request', false);
  }
}

/** 401: credentials missing, wrong, expired, or the OAuth 1.0a signature was rejected. */
export class AuthenticationError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'authentication_failed', false);
  }
}

/** 403: authenticated but not allowed (in 1.2 usually a missing scope). */
export class PermissionDeniedError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'permission_denied', false);
  }
}

/** 404: unknown sourcedId, or the parent of a nested collection does not exist. */
export class NotFoundError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'not_found', false);
  }
}

/** 429: the server throttled us. `retryAfterMs` is the server's `Retry-After`, when sent. */
export class RateLimitError extends ApiError {
  readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit & { retryAfterMs?: number | undefined }) {
    super(init, 'rate_limited', true);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx: the server failed. */
export class ServerError extends ApiError {
  constructor(init: ApiErrorInit) {
    super(init, 'server_error', true);
  }
}

/**
 * A 2xx response whose body is not what OneRoster promises: malformed or truncated JSON, an
 * HTML page, or a body without the expected wrapper key (a "success-shaped failure").
 */
export class InvalidResponseError extends OneRosterError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string | undefined;
  constructor(init: {
    status: number;
    method: string;
    url: string;
    reason: string;
    bodyExcerpt?: string | undefined;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(
      `${init.method} ${init.url} returned HTTP ${init.status} with an invalid body: ${init.reason}`,
      {
        code: 'invalid_response',
        retryable: init.retryable ?? true,
        cause: init.cause,
      },
    );
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.bodyExcerpt = init.bodyExcerpt;
  }
}

/** No HTTP response: DNS failure, refused or reset connection, TLS failure. */
export class ConnectionError extends OneRosterError {
  readonly url: string | undefined;
  /** `retryable: false` for failures no retry can fix (a certificate problem, a refused port). */
  constructor(
    message: string,
    options: { url?: string | undefined; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, {
      code: 'connection_error',
      retryable: options.retryable ?? true,
      cause: options.cause,
    });
    this.url = options.url;
  }
}

/** A request attempt, or the whole retry budget, ran out of time. */
export class TimeoutError extends OneRosterError {
  readonly url: string | undefined;
  readonly timeoutMs: number | undefined;
  constructor(
    message: string,
    options: { url?: string | undefined; timeoutMs?: number; cause?: unknown } = {},
  ) {
    super(message, { code: 'timeout', retryable: true, cause: options.cause });
    this.url = options.url;
    this.timeoutMs = options.timeoutMs;
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends OneRosterError {
  constructor(message = 'The operation was aborted', options: { cause?: unknown } = {}) {
    super(message, { code: 'aborted', retryable: false, cause: options.cause });
  }
}

/** One failing field of a record. */
export interface ValidationIssue {
  /** Dotted path inside the record, e.g. `roles.0.org.sourcedId`. */
  path: string;
  message: string;
}

/**
 * A record failed schema validation. Carries which record (resource and sourcedId, which are
 * identifiers and never PII) and which fields, never the record's values.
 */
export class ValidationError extends OneRosterError {
  readonly resource: string;
  readonly sourcedId: string | undefined;
  readonly issues: ValidationIssue[];
  constructor(init: {
    resource: string;
    sourcedId?: string | undefined;
    issues: ValidationIssue[];
  }) {
    const where = init.sourcedId
      ? `${init.resource} record ${init.sourcedId}`
      : `a ${init.resource} record`;
    const what = init.issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ');
    super(`Invalid ${where}: ${what}`, { code: 'validation_failed', retryable: false });
    this.resource = init.resource;
    this.sourcedId = init.sourcedId;
    this.issues = init.issues;
  }
}

/** Paging could not continue safely: a loop, a foreign-origin `Link`, or the page bound hit. */
export class PaginationError extends OneRosterError {
  readonly url: string | undefined;
  constructor(message: string, options: { url?: string | undefined; cause?: unknown } = {}) {
    super(message, { code: 'pagination_error', retryable: false, cause: options.cause });
    this.url = options.url;
  }
}

/** An option is missing or invalid. Thrown at construction, naming the option. */
export class ConfigurationError extends OneRosterError {
  /** The option path, e.g. `auth.consumerSecret`. */
  readonly option: string;
  constructor(option: string, message: string) {
    super(`Invalid option \`${option}\`: ${message}`, {
      code: 'configuration_error',
      retryable: false,
    });
    this.option = option;
  }
}

const SECRET_QUERY_KEYS =
  /^(oauth_[a-z_]+|access_token|token|client_secret|code|id_token|refresh_token|password|api_key|apikey|key|secret|signature)$/i;

/**
 * Remove credentials from a URL before it reaches a log line or an error message: userinfo and
 * the values of query parameters that carry secrets (OAuth parameters, tokens, codes).
 *
 * @example
 * ```ts
 * redactUrl('https://u:p@x.test/a?oauth_signature=abc&limit=5');
 * // 'https://x.test/a?oauth_signature=[REDACTED]&limit=5'
 * ```
 */
export function redactUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    return '[unparseable URL]';
  }
  url.username = '';
  url.password = '';
  if (!url.search) return url.toString();
  const parts = url.search
    .slice(1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      let decodedKey = key;
      try {
        decodedKey = decodeURIComponent(key);
      } catch {
        // keep the raw key
      }
      return SECRET_QUERY_KEYS.test(decodedKey) ? `${key}=[REDACTED]` : pair;
    });
  return `${url.origin}${url.pathname}?${parts.join('&')}${url.hash}`;
}
