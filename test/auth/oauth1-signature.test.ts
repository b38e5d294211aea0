import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatOAuthAuthorizationHeader,
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from '../../src/auth/oauth1-signature';
import { ConfigurationError } from '../../src/errors';
import { serializeQuery } from '../../src/query/serialize';

/** The normalised parameter string (third part of the base string), decoded once for reading. */
function paramString(baseString: string): string {
  return decodeURIComponent(baseString.split('&')[2] ?? '');
}

describe('RFC 5849 known answers', () => {
  it('§3.4.1.1: reproduces the example base string exactly (query, form body, token, realm)', () => {
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const header = parseOAuthAuthorizationHeader(
      `OAuth realm="Example",
               oauth_consumer_key="9djdj82h48djs9d2",
               oauth_token="kkk9d7dh3k39sjv7",
               oauth_signature_method="HMAC-SHA1",
               oauth_timestamp="137131201",
               oauth_nonce="7d8f3e4a",
               oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"`,
    );
    expect(header).not.toBeNull();
    // The form body `c2&a3=2+q`, decoded as application/x-www-form-urlencoded (`+` is a space there).
    const body: Array<[string, string]> = [
      ['c2', ''],
      ['a3', '2 q'],
    ];
    expect(oauth1BaseString('POST', url, header ?? {}, body)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
        '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
        'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
        'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
        '9d7dh3k39sjv7',
    );
    // The RFC does not publish the secrets behind this example's signature
    // (bYT5CMsGcbgUdFHObYMEfcx6bsw=), so the signature known answer is §1.2's below.
  });

  it('§1.2: reproduces the HMAC-SHA1 signature MdpQcU8iPSUjWoN/UDMsK2sui9I=', () => {
    const header = parseOAuthAuthorizationHeader(
      'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
    );
    expect(header?.oauth_signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    const url = new URL('http://photos.example.net/photos?file=vacation.jpg&size=original');
    const base = oauth1BaseString('GET', url, header ?? {});
    expect(base).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal',
    );
    expect(oauth1Signature(base, 'kd94hf93k423kf44', 'HMAC-SHA1', 'pfkkdhi9sl3r4s00')).toBe(
      'MdpQcU8iPSUjWoN/UDMsK2sui9I=',
    );
  });
});

describe('HMAC-SHA256', () => {
  // Hand-written base string; expected value computed with
  // `printf '%s' "$BASE" | openssl dgst -sha256 -hmac 's3cr%26t%20%C3%A9&' -binary | base64`.
  const base =
    'GET&https%3A%2F%2Fdistrict.example%2Fims%2Foneroster%2Fv1p1%2Fusers&limit%3D5%26oauth_consumer_key%3Dk%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0';

  it('matches an independently computed known answer (secret needing encoding)', () => {
    expect(oauth1Signature(base, 's3cr&t é', 'HMAC-SHA256')).toBe(
      'Kd0dkBQngtEhZLq5t7NwYyadHYAmm5laVp8iN9gkW3o=',
    );
  });

  it('matches node:crypto with the key enc(secret)&enc(tokenSecret)', () => {
    const expected = createHmac('sha256', 'c%2Bs&t%2Fs').update(base).digest('base64');
    expect(oauth1Signature(base, 'c+s', 'HMAC-SHA256', 't/s')).toBe(expected);
  });

  it('builds the base string this signature covers', () => {
    const url = new URL('https://district.example/ims/oneroster/v1p1/users?limit=5');
    expect(
      oauth1BaseString('get', url, {
        oauth_consumer_key: 'k',
        oauth_nonce: 'n1',
        oauth_signature_method: 'HMAC-SHA256',
        oauth_timestamp: '1700000000',
        oauth_version: '1.0',
      }),
    ).toBe(base);
  });

  it('rejects an unsupported method', () => {
    expect(() => oauth1Signature(base, 's', 'PLAINTEXT' as 'HMAC-SHA1')).toThrow(
      ConfigurationError,
    );
  });
});

describe('ClassLink example (classlink.md §1.5)', () => {
  const oauth = {
    oauth_consumer_key: 'key',
    oauth_nonce: 'nonce',
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: '1700000000',
  };
  const fragment =
    'filter%3Dstatus%253D%2527active%2527%2520AND%2520role%253D%2527student%2527%26limit%3D100%26oauth_consumer_key';

  it('signs the query built by serializeQuery as ClassLink does', () => {
    const query = serializeQuery({
      limit: 100,
      offset: 0,
      filter: "status='active' AND role='student'",
    });
    const url = new URL(`https://example.oneroster.com/ims/oneroster/v1p1/users?${query}`);
    expect(oauth1BaseString('GET', url, oauth)).toContain(fragment);
  });

  it('gives the same base string for a URL written with raw spaces and quotes', () => {
    const url = new URL(
      "https://example.oneroster.com/ims/oneroster/v1p1/users?limit=100&offset=0&filter=status='active' AND role='student'",
    );
    expect(oauth1BaseString('GET', url, oauth)).toContain(fragment);
  });
});

describe('oauth1BaseString details', () => {
  const none = {};

  it('normalises the base URI: lower-case scheme and host, default ports dropped, path kept', () => {
    const base = (href: string) => oauth1BaseString('GET', new URL(href), none).split('&')[1];
    expect(base('HTTPS://Example.COM:443/IMS/Users')).toBe(
      'https%3A%2F%2Fexample.com%2FIMS%2FUsers',
    );
    expect(base('http://example.com:80/a')).toBe('http%3A%2F%2Fexample.com%2Fa');
    expect(base('https://example.com:8443/a')).toBe('https%3A%2F%2Fexample.com%3A8443%2Fa');
    expect(base('https://example.com')).toBe('https%3A%2F%2Fexample.com%2F');
    expect(base('https://example.com/a?x=1#frag')).toBe('https%3A%2F%2Fexample.com%2Fa');
  });

  it('upper-cases the method', () => {
    expect(oauth1BaseString('get', new URL('https://x.test/'), none)).toMatch(/^GET&/);
  });

  it('splits each query piece on its first = only', () => {
    const url = new URL("https://x.test/u?filter=familyName='a=b'");
    expect(paramString(oauth1BaseString('GET', url, none))).toBe('filter=familyName%3D%27a%3Db%27');
  });

  it('treats + in the query as a literal plus, not a space', () => {
    const url = new URL('https://x.test/u?q=a+b&r=a%2Bb&s=a%20b');
    expect(paramString(oauth1BaseString('GET', url, none))).toBe('q=a%2Bb&r=a%2Bb&s=a%20b');
  });

  it('keeps empty values, valueless names and skips empty pieces', () => {
    const url = new URL('https://x.test/u?a=&b&&c=1&');
    expect(paramString(oauth1BaseString('GET', url, none))).toBe('a=&b=&c=1');
  });

  it('keeps malformed percent-escapes as literal text', () => {
    const url = new URL('https://x.test/u?a=100%zz');
    expect(paramString(oauth1BaseString('GET', url, none))).toBe('a=100%25zz');
  });

  it('sorts by encoded name, then by encoded value, in byte order', () => {
    const url = new URL('https://x.test/u?b=2&a=z&A=1&a=%20&a1=0&a=y');
    expect(paramString(oauth1BaseString('GET', url, none))).toBe('A=1&a=%20&a=y&a=z&a1=0&b=2');
  });

  it('excludes oauth_signature and realm, includes every other oauth parameter', () => {
    const url = new URL('https://x.test/u');
    const text = paramString(
      oauth1BaseString('GET', url, {
        realm: 'r',
        oauth_signature: 'sig',
        oauth_version: '1.0',
        oauth_consumer_key: 'k',
      }),
    );
    expect(text).toBe('oauth_consumer_key=k&oauth_version=1.0');
  });

  it('encodes non-ASCII names and values as UTF-8', () => {
    const url = new URL('https://x.test/u?filter=givenName%3D%27Zo%C3%AB%27');
    expect(paramString(oauth1BaseString('GET', url, none))).toBe(
      'filter=givenName%3D%27Zo%C3%AB%27',
    );
  });
});

describe('parseOAuthAuthorizationHeader', () => {
  it('parses a compact header and percent-decodes values', () => {
    expect(
      parseOAuthAuthorizationHeader('OAuth oauth_consumer_key="k%20y",oauth_signature="a%2Bb%3D"'),
    ).toEqual({ oauth_consumer_key: 'k y', oauth_signature: 'a+b=' });
  });

  it('tolerates spaces, newlines, a realm, unquoted values and a lower-case scheme', () => {
    expect(
      parseOAuthAuthorizationHeader(
        'oauth realm="Photos Album" ,\n  oauth_nonce = "abc" ,oauth_version=1.0',
      ),
    ).toEqual({ realm: 'Photos Album', oauth_nonce: 'abc', oauth_version: '1.0' });
    expect(parseOAuthAuthorizationHeader('OAuth')).toEqual({});
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['no scheme separator', 'OAuthoauth_nonce="x"'],
    ['missing comma', 'OAuth a="1" b="2"'],
    ['repeated parameter', 'OAuth a="1",a="2"'],
    ['unterminated quote', 'OAuth a="1'],
    ['bad escape', 'OAuth a="%zz"'],
    ['garbage', 'OAuth ===='],
  ])('returns null for %s', (_name, header) => {
    expect(parseOAuthAuthorizationHeader(header)).toBeNull();
  });
});

describe('formatOAuthAuthorizationHeader', () => {
  it('formats comma-separated quoted RFC 3986 values, realm first', () => {
    expect(
      formatOAuthAuthorizationHeader({
        oauth_consumer_key: 'key',
        realm: 'Example',
        oauth_signature: 'a+b/c=',
      }),
    ).toBe('OAuth realm="Example",oauth_consumer_key="key",oauth_signature="a%2Bb%2Fc%3D"');
  });

  it('round-trips through parseOAuthAuthorizationHeader', () => {
    const params = {
      oauth_consumer_key: 'clé "quoted", comma',
      oauth_nonce: '0123456789abcdef',
      oauth_signature: 'x/y+z==',
    };
    expect(parseOAuthAuthorizationHeader(formatOAuthAuthorizationHeader(params))).toEqual(params);
  });
});
