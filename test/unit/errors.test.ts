import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  isOneRosterError,
  NotFoundError,
  OneRosterError,
  PermissionDeniedError,
  RateLimitError,
  redactUrl,
  ServerError,
  ValidationError,
} from '../../src/errors';

describe('ApiError.fromStatus', () => {
  const base = { method: 'GET', url: 'https://x.test/ims/oneroster/v1p1/users' };
  it.each([
    [400, BadRequestError, 'bad_request', false],
    [422, BadRequestError, 'bad_request', false],
    [401, AuthenticationError, 'authentication_failed', false],
    [403, PermissionDeniedError, 'permission_denied', false],
    [404, NotFoundError, 'not_found', false],
    [429, RateLimitError, 'rate_limited', true],
    [500, ServerError, 'server_error', true],
    [503, ServerError, 'server_error', true],
  ] as const)('maps HTTP %i', (status, Class, code, retryable) => {
    const error = ApiError.fromStatus({ ...base, status });
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(OneRosterError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.status).toBe(status);
    expect(error.name).toBe(Class.name);
  });

  it('puts the imsx status info in the message and accessors', () => {
    const error = ApiError.fromStatus({
      ...base,
      status: 400,
      statusInfo: {
        codeMajor: 'failure',
        severity: 'error',
        description: 'Unknown filter field: nickname',
        codeMinor: [{ name: 'TargetEndSystem', value: 'invalid_filter_field' }],
      },
    });
    expect(error.codeMinor).toBe('invalid_filter_field');
    expect(error.codeMajor).toBe('failure');
    expect(error.message).toContain('invalid_filter_field');
    expect(error.message).toBe(
      'GET https://x.test/ims/oneroster/v1p1/users failed with HTTP 400 (failure/error/invalid_filter_field): Unknown filter field: nickname',
    );
  });

  it('keeps retryAfterMs on rate limit errors', () => {
    const error = ApiError.fromStatus({ ...base, status: 429, retryAfterMs: 5000 });
    expect((error as RateLimitError).retryAfterMs).toBe(5000);
  });
});

describe('isOneRosterError', () => {
  it('recognises our errors and nothing else', () => {
    expect(isOneRosterError(new ConfigurationError('baseUrl', 'is required'))).toBe(true);
    expect(isOneRosterError(new Error('x'))).toBe(false);
    expect(isOneRosterError(null)).toBe(false);
    expect(isOneRosterError({ code: 'bad_request' })).toBe(false);
  });
});

describe('ConfigurationError', () => {
  it('names the option', () => {
    const error = new ConfigurationError('auth.consumerSecret', 'is required');
    expect(error.option).toBe('auth.consumerSecret');
    expect(error.message).toBe('Invalid option `auth.consumerSecret`: is required');
  });
});

describe('ValidationError', () => {
  it('names the record and paths but not values', () => {
    const error = new ValidationError({
      resource: 'users',
      sourcedId: 'u-1',
      issues: [{ path: 'roles', message: 'Required' }],
    });
    expect(error.message).toBe('Invalid users record u-1: roles: Required');
    expect(error.code).toBe('validation_failed');
  });
});

describe('redactUrl', () => {
  it('removes credentials from userinfo and secret query parameters', () => {
    const out = redactUrl(
      'https://user:pw@x.test/a?limit=5&oauth_signature=abc%3D&access_token=s3cr3tT0ken&filter=a%3D%27b%27',
    );
    expect(out).toBe(
      'https://x.test/a?limit=5&oauth_signature=[REDACTED]&access_token=[REDACTED]&filter=a%3D%27b%27',
    );
    expect(out).not.toContain('pw');
    expect(out).not.toContain('s3cr3tT0ken');
  });

  it('leaves URLs without a query alone and never throws', () => {
    expect(redactUrl('https://x.test/a')).toBe('https://x.test/a');
    expect(redactUrl('not a url')).toBe('[unparseable URL]');
  });
});
