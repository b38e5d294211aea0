/**
 * The signature covers exactly what goes on the wire: a real 127.0.0.1 server rebuilds the URL
 * from the request line it received and verifies the header, as a OneRoster provider does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import {
  oauth1BaseString,
  oauth1Signature,
  parseOAuthAuthorizationHeader,
} from '../../src/auth/oauth1-signature';
import { filter } from '../../src/query/filter';
import { toQueryParams } from '../../src/query/list-params';
import { serializeQuery } from '../../src/query/serialize';

const SECRET = 'wire secret & more';
let server: Server;
let origin = '';
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.url ?? '');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const params = parseOAuthAuthorizationHeader(req.headers.authorization ?? '');
    const method = params?.oauth_signature_method as 'HMAC-SHA256' | 'HMAC-SHA1';
    const ok =
      params !== null &&
      oauth1Signature(oauth1BaseString(req.method ?? '', url, params), SECRET, method) ===
        params.oauth_signature;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('OAuth 1.0a over real HTTP', () => {
  const queries = [
    toQueryParams(
      { filter: filter.and(filter.eq('status', 'active'), filter.eq('role', 'student')) },
      { pageSize: 100 },
    ),
    toQueryParams(
      {
        filter: filter.contains('familyName', "O'Brien-Núñez 🎒 +100% (x)*!"),
        sort: 'familyName',
        orderBy: 'desc',
        fields: ['sourcedId', 'familyName'],
      },
      { pageSize: 5 },
    ),
    {},
  ];

  it.each(queries.map((q) => [serializeQuery(q) || '(no query)', q] as const))(
    'the server verifies %s',
    async (_name, query) => {
      for (const signatureMethod of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
        const strategy = createAuthStrategy(
          { type: 'oauth1', consumerKey: 'ck', consumerSecret: SECRET, signatureMethod },
          { fetch: globalThis.fetch },
        );
        const text = serializeQuery(query);
        const url = new URL(`${origin}/ims/oneroster/v1p1/users${text ? `?${text}` : ''}`);
        const headers = await strategy.authorize({ method: 'GET', url });
        const response = await fetch(url, { headers });
        expect(await response.json()).toEqual({ ok: true });
        // What arrived is byte for byte what was signed.
        expect(received.at(-1)).toBe(`${url.pathname}${url.search}`);
      }
    },
  );

  it('the server rejects a signature made with another secret', async () => {
    const strategy = createAuthStrategy(
      { type: 'oauth1', consumerKey: 'ck', consumerSecret: 'wrong' },
      { fetch: globalThis.fetch },
    );
    const url = new URL(`${origin}/ims/oneroster/v1p1/orgs?limit=1`);
    const response = await fetch(url, {
      headers: await strategy.authorize({ method: 'GET', url }),
    });
    expect(response.status).toBe(401);
  });
});
