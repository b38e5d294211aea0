/**
 * Direct mode signs like ClassLink's own sample libraries (`classlinkinc/request-libraries`,
 * `classlink-oneroster-oauth1/node/OneRoster.js`). The reference algorithm below is a
 * transcription of that sample, kept independent of the package's signer, so the test compares
 * two implementations instead of one with itself.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createClassLinkDirectClient, rosterServerBaseUrl } from '../../src/classlink';
import { ConfigurationError } from '../../src/errors';
import { filter } from '../../src/query';

/** The Node sample's percent-encoding: encodeURIComponent plus `'` -> %27. */
function sampleEncode(value: string): string {
  return encodeURIComponent(value).replace(/'/g, '%27');
}

/**
 * ClassLink's sample, step by step (classlink.md §1.5): split the URL at `?`, percent-decode each
 * `k=v` piece, take a piece with more than one `=` as the filter (`piece.substr(7)`), merge with
 * the OAuth parameters, sort by key, join `key=enc(value)` with `&`, and build
 * `GET&enc(base)&enc(params)`.
 */
function classLinkSampleBaseString(url: string, oauth: Record<string, string>): string {
  const [base = '', query = ''] = url.split('?');
  const params: Record<string, string> = {};
  for (const piece of query.split('&').filter(Boolean)) {
    const decoded = decodeURIComponent(piece);
    if (decoded.split('=').length > 2) {
      params.filter = decoded.substring(7);
    } else {
      const [key = '', value = ''] = decoded.split('=');
      params[key] = value;
    }
  }
  const merged: Record<string, string> = { ...params, ...oauth };
  const joined = Object.keys(merged)
    .sort()
    .map((key) => `${key}=${sampleEncode(merged[key] ?? '')}`)
    .join('&');
  return `GET&${sampleEncode(base)}&${sampleEncode(joined)}`;
}

function parseHeader(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  const params: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const match = /^([a-z_]+)="([^"]*)"$/.exec(part);
    expect(match, `header part ${part}`).not.toBeNull();
    params[match?.[1] ?? ''] = decodeURIComponent(match?.[2] ?? '');
  }
  return params;
}

/** A client whose every request is recorded and answered with an empty page. */
function recordingClient(pageSize = 100) {
  const sent: Array<{ url: string; authorization: string }> = [];
  const client = createClassLinkDirectClient({
    endpointUrl: 'https://certs-nj-v2.oneroster.com',
    clientId: 'classlink-key',
    clientSecret: 'classlink-secret',
    pageSize,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sent.push({ url: request.url, authorization: request.headers.get('authorization') ?? '' });
      return Response.json({ users: [] }, { headers: { 'x-total-count': '0' } });
    },
  });
  return { client, sent };
}

describe('direct mode signing', () => {
  test("the signature equals ClassLink's sample signature over the same request", async () => {
    const { client, sent } = recordingClient();
    await client.users
      .list({ filter: filter.and(filter.eq('status', 'active'), filter.eq('role', 'student')) })
      .toArray();
    expect(sent).toHaveLength(1);
    const [request] = sent;
    if (!request) throw new Error('no request');
    const header = parseHeader(request.authorization);
    const { oauth_signature: signature, ...oauth } = header;
    expect(oauth).toMatchObject({
      oauth_consumer_key: 'classlink-key',
      oauth_signature_method: 'HMAC-SHA256',
    });
    const baseString = classLinkSampleBaseString(request.url, oauth);
    const expected = createHmac('sha256', `${sampleEncode('classlink-secret')}&`)
      .update(baseString)
      .digest('base64');
    expect(signature).toBe(expected);
    // The base string of classlink.md §1.5 for `filter=status='active' AND role='student'&limit=100`.
    expect(baseString).toContain(
      'filter%3Dstatus%253D%2527active%2527%2520AND%2520role%253D%2527student%2527%26limit%3D100%26oauth_consumer_key',
    );
    expect(
      baseString.startsWith(
        'GET&https%3A%2F%2Fcerts-nj-v2.oneroster.com%2Fims%2Foneroster%2Fv1p1%2Fusers&',
      ),
    ).toBe(true);
  });

  test('the header is comma-separated without spaces or realm, with a fresh nonce each request', async () => {
    const { client, sent } = recordingClient();
    await client.users.list().toArray();
    await client.users.list().toArray();
    const [first, second] = sent.map((r) => r.authorization);
    expect(first).not.toMatch(/, |realm=/);
    expect(parseHeader(first ?? '').oauth_nonce).not.toBe(parseHeader(second ?? '').oauth_nonce);
  });

  test('HMAC-SHA1 can be chosen for servers that want it', async () => {
    const sent: string[] = [];
    const client = createClassLinkDirectClient({
      endpointUrl: 'https://certs-nj-v2.oneroster.com/ims/oneroster/v1p1/',
      clientId: 'k',
      clientSecret: 's',
      signatureMethod: 'HMAC-SHA1',
      fetch: async (input, init) => {
        sent.push(new Request(input, init).headers.get('authorization') ?? '');
        return Response.json({ orgs: [] }, { headers: { 'x-total-count': '0' } });
      },
    });
    await client.orgs.list().toArray();
    expect(parseHeader(sent[0] ?? '').oauth_signature_method).toBe('HMAC-SHA1');
  });
});

describe('rosterServerBaseUrl', () => {
  test.each([
    ['https://certs-nj-v2.oneroster.com', 'https://certs-nj-v2.oneroster.com/ims/oneroster/v1p1'],
    ['https://certs-nj-v2.oneroster.com/', 'https://certs-nj-v2.oneroster.com/ims/oneroster/v1p1'],
    [
      'https://springtownisd-tx-v2.rosterserver.com/ims/oneroster/v1p1/',
      'https://springtownisd-tx-v2.rosterserver.com/ims/oneroster/v1p1',
    ],
    [
      'https://x-v2.rosterserver.com/ims/oneroster/rostering/v1p2',
      'https://x-v2.rosterserver.com/ims/oneroster/rostering/v1p2',
    ],
  ])('%s -> %s', (input, expected) => {
    expect(rosterServerBaseUrl(input)).toBe(expected);
  });

  test.each([
    'not a url',
    'ftp://x.test',
    'https://x.test/learningdata/v1',
    'https://key:secret@x.test/',
    'https://x.test/?token=1',
  ])('%s is refused', (input) => {
    expect(() => rosterServerBaseUrl(input)).toThrow(ConfigurationError);
    try {
      rosterServerBaseUrl(input);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
