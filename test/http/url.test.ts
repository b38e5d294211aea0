import { describe, expect, it } from 'vitest';
import { ConfigurationError, PaginationError } from '../../src/errors';
import { buildRequestUrl } from '../../src/http/url';

const base = new URL('https://x.test/ims/oneroster/v1p1');

describe('buildRequestUrl', () => {
  it('appends relative paths to the base path, with or without slashes', () => {
    expect(buildRequestUrl(base, '/users').href).toBe('https://x.test/ims/oneroster/v1p1/users');
    expect(buildRequestUrl(base, 'users').href).toBe('https://x.test/ims/oneroster/v1p1/users');
    expect(buildRequestUrl(new URL('https://x.test/ims/oneroster/v1p1/'), '/users').href).toBe(
      'https://x.test/ims/oneroster/v1p1/users',
    );
  });

  it('serialises the query with RFC 3986 (%20, never +) and keeps it verbatim', () => {
    const url = buildRequestUrl(base, '/users', {
      filter: "role='student' AND givenName='Ann Marie'",
      fields: ['sourcedId', 'givenName'],
      limit: 100,
      offset: undefined,
    });
    expect(url.search).toBe(
      '?filter=role%3D%27student%27%20AND%20givenName%3D%27Ann%20Marie%27&fields=sourcedId%2CgivenName&limit=100',
    );
    expect(url.href).not.toContain('+');
  });

  it('keeps already-encoded id segments as the caller encoded them', () => {
    const id = encodeURIComponent('a/b c');
    expect(buildRequestUrl(base, `/users/${id}`).pathname).toBe(
      '/ims/oneroster/v1p1/users/a%2Fb%20c',
    );
  });

  it.each([
    '/users/..',
    '/users/../../admin',
    '../x',
    '/a/./b',
    '/users/%2e%2e/x',
    '/users/.%2E',
    '/a\\..\\b',
  ])('refuses dot segments: %s', (path) => {
    expect(() => buildRequestUrl(base, path)).toThrow(ConfigurationError);
  });

  it('allows dots inside segments', () => {
    expect(buildRequestUrl(base, '/users/j.doe...x').pathname).toBe(
      '/ims/oneroster/v1p1/users/j.doe...x',
    );
  });

  it('accepts absolute same-origin URLs (Link: rel=next) and appends extra query', () => {
    const next = new URL('https://x.test/ims/oneroster/v1p1/users?limit=5&offset=5');
    expect(buildRequestUrl(base, next).href).toBe(next.href);
    expect(buildRequestUrl(base, next.href, { fields: ['sourcedId'] }).search).toBe(
      '?limit=5&offset=5&fields=sourcedId',
    );
  });

  it.each([
    'https://evil.test/ims/oneroster/v1p1/users',
    'http://x.test/ims/oneroster/v1p1/users',
    'https://x.test:8443/ims/oneroster/v1p1/users',
  ])('refuses a foreign origin: %s', (next) => {
    const error = (() => {
      try {
        buildRequestUrl(base, new URL(next));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).message).toContain('origin');
  });

  it('redacts credentials of a refused URL in the error', () => {
    try {
      buildRequestUrl(base, 'https://u:pw@evil.test/x?access_token=abc123');
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('abc123');
      expect(String((error as Error).message)).not.toContain('pw');
    }
  });

  it('refuses fragments in relative paths', () => {
    expect(() => buildRequestUrl(base, '/users#x')).toThrow(ConfigurationError);
  });
});
