import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../src/errors';
import type { TransportResponse } from '../../src/http/types';
import { createResources } from '../../src/resources';
import { readCollection, readSingle, readTotalCount } from '../../src/resources/response';
import { contextFor, fakeTransport } from './fake-transport';

const response = (body: unknown, headers: Record<string, string> = {}): TransportResponse => ({
  status: 200,
  url: new URL('https://sis.test/ims/oneroster/v1p1/users?limit=10&offset=0&oauth_signature=abc'),
  headers: new Headers(headers),
  body,
});

function invalid(fn: () => unknown): InvalidResponseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidResponseError);
    return error as InvalidResponseError;
  }
  throw new Error('expected an InvalidResponseError');
}

describe('readCollection', () => {
  it('returns the records under the wrapper key with the paging headers', () => {
    const page = readCollection(
      response(
        { users: [{ sourcedId: 'u-1' }] },
        {
          'X-Total-Count': '42',
          link: '</ims/oneroster/v1p1/users?limit=10&offset=10>; rel="next"',
        },
      ),
      'users',
    );
    expect(page.records).toEqual([{ sourcedId: 'u-1' }]);
    expect(page.totalCount).toBe(42);
    expect(page.nextLink?.href).toBe(
      'https://sis.test/ims/oneroster/v1p1/users?limit=10&offset=10',
    );
  });

  it('accepts an empty collection', () => {
    expect(readCollection(response({ users: [] }), 'users').records).toEqual([]);
  });

  it.each([
    ['a body without the key', { user: { givenName: 'Private Person' } }, /keys "user"/],
    [
      'an imsx status body',
      { imsx_codeMajor: 'failure', imsx_description: 'Private' },
      /keys "imsx_codeMajor", "imsx_description"/,
    ],
    [
      'the key holding an object',
      { users: { givenName: 'Private Person' } },
      /"users" holding a object/,
    ],
    ['the key holding null', { users: null }, /"users" holding null/],
    ['a JSON array', [{ givenName: 'Private Person' }], /a JSON array/],
    ['null', null, /null/],
    ['a JSON string (an HTML page as JSON)', '<html>Private Person</html>', /a JSON string/],
    ['an empty object', {}, /an empty object/],
  ])(
    'rejects %s with an InvalidResponseError describing the shape, not values',
    (_n, body, shape) => {
      const error = invalid(() => readCollection(response(body), 'users'));
      expect(error.code).toBe('invalid_response');
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(200);
      expect(error.message).toMatch(/"users"/);
      expect(error.message).toMatch(shape);
      expect(error.message).not.toContain('Private');
      expect(error.url).not.toContain('abc');
    },
  );

  it('shows at most five key names', () => {
    const body = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]));
    const error = invalid(() => readCollection(response(body), 'users'));
    expect(error.message).toMatch(/"k4", …/);
    expect(error.message).not.toMatch(/k5/);
  });
});

describe('readSingle', () => {
  it('returns the object under the singular key', () => {
    expect(readSingle(response({ user: { sourcedId: 'u-1' } }), 'user')).toEqual({
      sourcedId: 'u-1',
    });
  });

  it.each([
    ['the plural key', { users: [{ sourcedId: 'u-1' }] }],
    ['an array under the key', { user: [{ sourcedId: 'u-1' }] }],
    ['null under the key', { user: null }],
  ])('rejects %s', (_n, body) => {
    expect(invalid(() => readSingle(response(body), 'user')).message).toMatch(
      /an object under "user"/,
    );
  });
});

describe('readTotalCount', () => {
  it.each([
    ['503', 503],
    [' 12 ', 12],
    ['0', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
    ['abc', undefined],
    ['', undefined],
    ['12, 13', undefined],
    ['9999999999999999999', undefined],
  ])('%j -> %s', (value, expected) => {
    expect(readTotalCount(new Headers({ 'x-total-count': value }))).toBe(expected);
  });

  it('reads ClassLink lower-case x-total-count and is undefined when absent', () => {
    expect(readTotalCount(new Headers([['x-total-count', '7']]))).toBe(7);
    expect(readTotalCount(new Headers())).toBeUndefined();
  });
});

describe('resources reject success-shaped failures', () => {
  it('list() and get() never yield undefined items', async () => {
    const transport = fakeTransport(() => ({ body: { imsx_codeMajor: 'success' } }));
    const { users } = createResources(contextFor(transport));
    await expect(users.list()).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(users.get('u-1')).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
