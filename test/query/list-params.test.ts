import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { filter } from '../../src/query/filter';
import { type ListParams, toGetQueryParams, toQueryParams } from '../../src/query/list-params';
import { serializeQuery } from '../../src/query/serialize';

const defaults = { pageSize: 1000 };

function optionOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).option;
  }
  throw new Error('expected a ConfigurationError');
}

describe('toQueryParams', () => {
  it('defaults limit to the page size and offset to 0', () => {
    expect(toQueryParams(undefined, defaults)).toEqual({ limit: 1000, offset: 0 });
    expect(toQueryParams({}, { pageSize: 25 })).toEqual({ limit: 25, offset: 0 });
  });

  it('builds every parameter in a stable order', () => {
    const query = toQueryParams(
      {
        fields: ['sourcedId', 'givenName'],
        filter: filter.and(filter.eq('role', 'student'), filter.eq('status', 'active')),
        orderBy: 'desc',
        sort: 'familyName',
        offset: 200,
        limit: 100,
      },
      defaults,
    );
    expect(Object.keys(query)).toEqual(['limit', 'offset', 'sort', 'orderBy', 'filter', 'fields']);
    expect(serializeQuery(query)).toBe(
      'limit=100&offset=200&sort=familyName&orderBy=desc&filter=role%3D%27student%27%20AND%20status%3D%27active%27&fields=sourcedId%2CgivenName',
    );
  });

  it('accepts a raw filter string and a comma-separated fields string', () => {
    expect(toQueryParams({ filter: "role='x'", fields: 'a, b,c' }, defaults)).toMatchObject({
      filter: "role='x'",
      fields: ['a', 'b', 'c'],
    });
  });

  it.each<[string, ListParams, string]>([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit negative', { limit: -5 }, 'limit'],
    ['limit fractional', { limit: 1.5 }, 'limit'],
    ['limit NaN', { limit: Number.NaN }, 'limit'],
    ['limit as string', { limit: '10' as unknown as number }, 'limit'],
    ['offset negative', { offset: -1 }, 'offset'],
    ['offset fractional', { offset: 0.5 }, 'offset'],
    ['orderBy without sort', { orderBy: 'asc' }, 'orderBy'],
    ['orderBy invalid', { sort: 'x', orderBy: 'up' as 'asc' }, 'orderBy'],
    ['sort invalid', { sort: 'family name' }, 'sort'],
    ['sort empty', { sort: '' }, 'sort'],
    ['fields empty list', { fields: [] }, 'fields'],
    ['fields empty string', { fields: '' }, 'fields'],
    ['fields with a bad name', { fields: ['ok', 'not ok'] }, 'fields'],
    ['fields with a trailing comma', { fields: 'a,b,' }, 'fields'],
    ['fields not a list', { fields: 5 as unknown as string }, 'fields'],
    ['filter empty', { filter: '' }, 'filter'],
    ['filter not a string', { filter: 42 as unknown as string }, 'filter'],
  ])('rejects %s naming the parameter', (_name, params, option) => {
    expect(optionOf(() => toQueryParams(params, defaults))).toBe(option);
  });

  it('names pageSize when the default page size is invalid', () => {
    expect(optionOf(() => toQueryParams({}, { pageSize: 0 }))).toBe('pageSize');
  });

  it('accepts limit 1 and offset 0 at the boundaries', () => {
    expect(toQueryParams({ limit: 1, offset: 0 }, defaults)).toEqual({ limit: 1, offset: 0 });
  });
});

describe('toGetQueryParams', () => {
  it('builds only fields', () => {
    expect(toGetQueryParams(undefined)).toEqual({});
    expect(toGetQueryParams({})).toEqual({});
    expect(toGetQueryParams({ fields: 'sourcedId,email' })).toEqual({
      fields: ['sourcedId', 'email'],
    });
  });
  it('validates fields', () => {
    expect(optionOf(() => toGetQueryParams({ fields: ['a b'] }))).toBe('fields');
  });
});
