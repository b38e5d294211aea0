import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { serializeQuery } from '../../src/query/serialize';

describe('serializeQuery', () => {
  it('keeps insertion order and has no leading ?', () => {
    expect(serializeQuery({ offset: 0, limit: 100, sort: 'familyName' })).toBe(
      'offset=0&limit=100&sort=familyName',
    );
  });

  it('encodes a filter with spaces and quotes as %20 and %27 (never +)', () => {
    const query = serializeQuery({ filter: "status='active' AND role='student'" });
    expect(query).toBe('filter=status%3D%27active%27%20AND%20role%3D%27student%27');
    expect(query).not.toContain('+');
  });

  it('encodes =, +, %, & and non-ASCII inside values', () => {
    expect(serializeQuery({ filter: "email='a+b@x.test'" })).toBe(
      'filter=email%3D%27a%2Bb%40x.test%27',
    );
    expect(serializeQuery({ filter: "givenName~'100%'" })).toBe('filter=givenName~%27100%25%27');
    expect(serializeQuery({ filter: "familyName='Núñez & Sons'" })).toBe(
      'filter=familyName%3D%27N%C3%BA%C3%B1ez%20%26%20Sons%27',
    );
    expect(serializeQuery({ filter: "familyName='O''Brien'" })).toBe(
      'filter=familyName%3D%27O%27%27Brien%27',
    );
  });

  it('encodes parameter names too', () => {
    expect(serializeQuery({ 'x y': '1', 'a&b': '2' })).toBe('x%20y=1&a%26b=2');
  });

  it('joins arrays with an encoded comma', () => {
    expect(serializeQuery({ fields: ['sourcedId', 'givenName', 'familyName'] })).toBe(
      'fields=sourcedId%2CgivenName%2CfamilyName',
    );
  });

  it('skips undefined values and empty arrays, keeps empty strings', () => {
    expect(serializeQuery({ a: undefined, fields: [], b: '', c: 'x' })).toBe('b=&c=x');
    expect(serializeQuery({})).toBe('');
  });

  it('stringifies numbers and booleans', () => {
    expect(serializeQuery({ limit: 1000, offset: 0, flag: true, other: false })).toBe(
      'limit=1000&offset=0&flag=true&other=false',
    );
  });

  it('rejects non-finite numbers, naming the parameter', () => {
    expect(() => serializeQuery({ limit: Number.NaN })).toThrow(ConfigurationError);
    try {
      serializeQuery({ offset: Number.POSITIVE_INFINITY });
    } catch (error) {
      expect((error as ConfigurationError).option).toBe('offset');
    }
    expect.assertions(2);
  });

  it('produces what URL keeps verbatim (so what is signed is what is sent)', () => {
    const query = serializeQuery({
      filter: "givenName='Zoë' AND familyName~'(x)*!'",
      fields: ['a', 'b'],
    });
    const url = new URL(`https://x.test/users?${query}`);
    expect(url.search).toBe(`?${query}`);
  });
});
