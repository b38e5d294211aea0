import { describe, expect, it } from 'vitest';
import { MAX_LINKS, parseLinkHeader } from '../../src/resources/link-header';
import { readNextLink } from '../../src/resources/response';

describe('parseLinkHeader', () => {
  it('parses the OneRoster example (next and last, quoted rel)', () => {
    const header =
      '<https://sis.example/ims/oneroster/rostering/v1p2/users?limit=2&offset=2>; rel="next", ' +
      '<https://sis.example/ims/oneroster/rostering/v1p2/users?limit=2&offset=502>; rel="last"';
    expect(parseLinkHeader(header)).toEqual([
      {
        uri: 'https://sis.example/ims/oneroster/rostering/v1p2/users?limit=2&offset=2',
        rel: ['next'],
      },
      {
        uri: 'https://sis.example/ims/oneroster/rostering/v1p2/users?limit=2&offset=502',
        rel: ['last'],
      },
    ]);
  });

  it.each([
    ['unquoted rel', '</u?o=1>;rel=next', [{ uri: '/u?o=1', rel: ['next'] }]],
    ['spaces and tabs', ' < /u?o=1 > ;\trel = "next" ', [{ uri: '/u?o=1', rel: ['next'] }]],
    ['several relation types', '</u>; rel="next last"', [{ uri: '/u', rel: ['next', 'last'] }]],
    ['upper-case rel', '</u>; REL="NEXT"', [{ uri: '/u', rel: ['next'] }]],
    ['other parameters first', '</u>; title="a, b; c"; rel="next"', [{ uri: '/u', rel: ['next'] }]],
    [
      'escaped quote in a parameter',
      '</u>; title="a \\" b"; rel=next',
      [{ uri: '/u', rel: ['next'] }],
    ],
    ['only the first rel counts', '</u>; rel=prev; rel=next', [{ uri: '/u', rel: ['prev'] }]],
    [
      'a comma inside the URL',
      '</u?fields=a,b>; rel=next',
      [{ uri: '/u?fields=a,b', rel: ['next'] }],
    ],
    ['no rel', '</u>; title=x', [{ uri: '/u', rel: [] }]],
    ['empty header', '', []],
    ['garbage before a link', 'junk, </u>; rel=next', [{ uri: '/u', rel: ['next'] }]],
    ['unterminated URL', '</u; rel=next', []],
    ['unterminated quote', '</u>; rel="next', [{ uri: '/u', rel: ['nex'] }]],
  ])('%s', (_name, header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });

  it(`stops after ${MAX_LINKS} links`, () => {
    const header = Array.from({ length: 1000 }, (_, i) => `</u?o=${i}>; rel=item`).join(', ');
    expect(parseLinkHeader(header)).toHaveLength(MAX_LINKS);
  });

  it.each([
    ['unclosed angle brackets', '<'.repeat(100_000)],
    ['unclosed quote after a link', `</u>; rel="${'a'.repeat(100_000)}`],
    ['many separators', `</u>${';'.repeat(100_000)}`],
    ['alternating quotes and backslashes', `</u>; t="${'\\"'.repeat(50_000)}`],
    ['many empty parameters', `</u>${'; a='.repeat(25_000)}`],
    ['commas and spaces', `${', '.repeat(50_000)}</u>; rel=next`],
    ['garbage without links', 'x;'.repeat(50_000)],
  ])('parses a 100k-character malicious header (%s) in linear time', (_name, header) => {
    expect(header.length).toBeGreaterThanOrEqual(100_000);
    const started = performance.now();
    parseLinkHeader(header);
    // Linear parsing takes about a millisecond; quadratic behaviour would take seconds.
    expect(performance.now() - started).toBeLessThan(250);
  });
});

describe('readNextLink', () => {
  const request = new URL('https://sis.test/ims/oneroster/v1p1/users?limit=10&offset=0');

  it('resolves a relative next link against the request URL', () => {
    const headers = new Headers({
      link: '</ims/oneroster/v1p1/users?limit=10&offset=10>; rel="next"',
    });
    expect(readNextLink(headers, request)?.href).toBe(
      'https://sis.test/ims/oneroster/v1p1/users?limit=10&offset=10',
    );
  });

  it('ignores links that are not next, and a missing header', () => {
    expect(readNextLink(new Headers({ link: '</x>; rel="last"' }), request)).toBeUndefined();
    expect(readNextLink(new Headers(), request)).toBeUndefined();
  });

  it('ignores an unparseable target (offset paging takes over)', () => {
    expect(readNextLink(new Headers({ link: '<http://[bad>; rel=next' }), request)).toBeUndefined();
  });
});
