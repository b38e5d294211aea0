/**
 * Interpret one HTTP response: a 2xx body becomes data (or an `InvalidResponseError`, or the
 * `ApiError` of a success-shaped failure), anything else becomes the `ApiError` for its status.
 *
 * @module
 */
import {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  type StatusInfo,
} from '../errors';
import { bodyExcerpt, clipText, isFailureStatus, parseStatusInfo } from './status-info';

/** What the interpreter needs to know about the request. */
export interface ResponseContext {
  method: string;
  /** Already redacted. */
  url: string;
  redact: (text: string) => string;
  /** Appended to a 401's message. */
  authHint: () => string;
  /** From `Retry-After`, if the server sent one. */
  retryAfterMs: number | undefined;
}

function looksLikeHtml(text: string, contentType: string | null): boolean {
  if (contentType && /html|xml/i.test(contentType)) return true;
  // Skip a BOM and leading whitespace without copying the (possibly huge) string.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfeff || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x3c; // '<'
  }
  return false;
}

function endsLikeJsonDocument(text: string): boolean {
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7d || c === 0x5d; // '}' or ']'
  }
  return false;
}

function scrubInfo(info: StatusInfo, redact: (text: string) => string): StatusInfo {
  const out: StatusInfo = {
    codeMinor: info.codeMinor.map((m) => ({ name: redact(m.name), value: redact(m.value) })),
  };
  if (info.codeMajor !== undefined) out.codeMajor = redact(info.codeMajor);
  if (info.severity !== undefined) out.severity = redact(info.severity);
  if (info.description !== undefined) {
    const description = clipText(info.description, redact);
    if (description !== undefined) out.description = description;
  }
  return out;
}

/**
 * Parse an error body of any shape into status info or a short excerpt. Descriptions are scrubbed
 * too: servers do echo tokens back ("invalid token abc…").
 */
function describeErrorBody(
  text: string,
  contentType: string | null,
  redact: (text: string) => string,
): { statusInfo?: StatusInfo; bodyExcerpt?: string } {
  if (text.trim() === '') return {};
  if (!looksLikeHtml(text, contentType)) {
    try {
      const parsed: unknown = JSON.parse(text);
      const info = parseStatusInfo(parsed);
      if (info) return { statusInfo: scrubInfo(info, redact) };
    } catch {
      // Not JSON after all: fall through to an excerpt of the text.
    }
  }
  const excerpt = bodyExcerpt(text, redact);
  return excerpt === undefined ? {} : { bodyExcerpt: excerpt };
}

/**
 * The error for a non-2xx response.
 *
 * @example
 * ```ts
 * throw errorForStatus(response.status, response.headers, text, context);
 * ```
 */
export function errorForStatus(
  status: number,
  headers: Headers,
  text: string,
  context: ResponseContext,
): ApiError {
  const init: ApiErrorInit & { retryAfterMs?: number | undefined } = {
    status,
    method: context.method,
    url: context.url,
    headers,
    retryAfterMs: context.retryAfterMs,
    ...describeErrorBody(text, headers.get('content-type'), context.redact),
  };
  if (status === 401) init.hint = context.authHint();
  return ApiError.fromStatus(init);
}

/**
 * A 2xx body with an imsx failure in it is an error, not data ("a success-shaped failure is never
 * applied as a roster"). The code minor picks the class; the status stays the real one.
 */
function successShapedFailure(
  init: ApiErrorInit,
  info: StatusInfo,
  authHint: () => string,
): ApiError {
  const minors = info.codeMinor.map((m) => m.value.toLowerCase().replace(/[^a-z]/g, ''));
  const has = (...names: string[]): boolean => names.some((n) => minors.includes(n));
  if (has('unauthorisedrequest', 'unauthorizedrequest', 'unauthorized')) {
    return new AuthenticationError({ ...init, hint: authHint() });
  }
  if (has('forbidden')) return new PermissionDeniedError(init);
  if (has('unknownobject', 'notfound')) return new NotFoundError(init);
  if (has('serverbusy')) return new RateLimitError(init);
  if (has('internalservererror', 'targetreadfailure')) return new ServerError(init);
  if (
    has(
      'invalidfilterfield',
      'invalidselectionfield',
      'invalidsortfield',
      'invaliddata',
      'invalidblankselectionfield',
    )
  ) {
    return new BadRequestError(init);
  }
  return new ApiError(init);
}

/**
 * Parse a 2xx body. The text was read once; it is parsed once (this is the hot path of a
 * 200k-record pull). `undefined` for an empty body of a method that may have none (204, DELETE).
 *
 * @throws {InvalidResponseError} for truncated/malformed JSON or an HTML page (truncation is
 *   retryable: it is how a dropped connection or a gateway time-out looks).
 * @throws {ApiError} for a success-shaped failure (imsx `failure` in a 2xx body).
 *
 * @example
 * ```ts
 * const body = parseSuccessBody(200, response.headers, text, context);
 * ```
 */
export function parseSuccessBody(
  status: number,
  headers: Headers,
  text: string,
  context: ResponseContext,
): unknown {
  const invalid = (reason: string, retryable: boolean, excerpt?: string): InvalidResponseError =>
    new InvalidResponseError({
      status,
      method: context.method,
      url: context.url,
      reason,
      retryable,
      bodyExcerpt: excerpt,
    });
  if (text.length === 0) {
    if (status === 204 || context.method !== 'GET') return undefined;
    throw invalid('the body is empty', true);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (looksLikeHtml(text, headers.get('content-type'))) {
      throw invalid(
        'expected JSON, got an HTML or XML page',
        false,
        bodyExcerpt(text, context.redact),
      );
    }
    // V8's message quotes the body (PII), so it is neither kept nor chained. A complete JSON
    // document from a OneRoster server ends with `}` or `]`; one that does not was cut short
    // (a dropped connection, a gateway giving up), which is worth another attempt.
    const truncated = !endsLikeJsonDocument(text);
    throw invalid(truncated ? 'the JSON is truncated' : 'the JSON is malformed', truncated);
  }
  // Only a top-level object can be an imsx envelope; this costs a few key lookups, never a walk
  // over the records.
  const info =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? parseStatusInfo(body)
      : undefined;
  if (info && isFailureStatus(info)) {
    throw successShapedFailure(
      {
        status,
        method: context.method,
        url: context.url,
        headers,
        statusInfo: scrubInfo(info, context.redact),
      },
      info,
      context.authHint,
    );
  }
  return body;
}
