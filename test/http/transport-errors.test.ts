/**
 * Error mapping for every body shape servers send, success-shaped failures, URL safety, headers,
 * redirects, and the guarantee that only `OneRosterError`s (never ky's) come out. Driven by msw.
 */
import { isKyError } from 'ky';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  ConnectionError,
  InvalidResponseError,
  NotFoundError,
  OneRosterError,
  PaginationError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
} from '../../src/errors';
import { createHttpTransport } from '../../src/http/transport';
import type { Transport } from '../../src/http/types';
import { noAuth, rotatingBearer } from './helpers/auth';
import { virtualClock } from './helpers/clock';
import { failure } from './helpers/transport';

const ORIGIN = 'https://or.example.test';
const BASE = `${ORIGIN}/ims/oneroster/v1p1`;
const mock = setupServer();
beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.resetHandlers());
afterAll(() => mock.close());

function transport(overrides: Partial<Parameters<typeof createHttpTransport>[0]> = {}): Transport {
  return createHttpTransport({
    baseUrl: new URL(BASE),
    auth: noAuth(),
    rateLimit: false,
    retry: { retries: 0 },
    timeout: 5000,
    ...virtualClock(),
    ...overrides,
  });
}

function respond(
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  mock.use(
    http.get(
      `${BASE}/users`,
      () =>
        new HttpResponse(body, { status, headers: { 'content-type': contentType, ...headers } }),
    ),
  );
}

function chainHasKyError(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e && depth < 10;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (isKyError(e)) return true;
  }
  return false;
}

const imsx12 = JSON.stringify({
  imsx_codeMajor: 'failure',
  imsx_severity: 'error',
  imsx_description: 'Unknown filter field: nickname',
  imsx_CodeMinor: {
    imsx_codeMinorField: [
      {
        imsx_codeMinorFieldName: 'TargetEndSystem',
        imsx_codeMinorFieldValue: 'invalid_filter_field',
      },
    ],
  },
});

describe('error bodies of every shape', () => {
  it.each([
    {
      name: '1.2 flat imsx (400)',
      status: 400,
      body: imsx12,
      type: 'application/json',
      Class: BadRequestError,
      info: {
        codeMajor: 'failure',
        severity: 'error',
        codeMinor: 'invalid_filter_field',
        description: 'Unknown filter field: nickname',
      },
    },
    {
      name: 'Ed-Fi imsx_codeMinor string (400)',
      status: 400,
      body: JSON.stringify({
        imsx_codeMajor: 'failure',
        imsx_severity: 'error',
        imsx_description: "Field 'foo' is not allowed",
        imsx_codeMinor: 'invalid_data',
      }),
      type: 'application/json',
      Class: BadRequestError,
      info: { codeMinor: 'invalid_data', description: "Field 'foo' is not allowed" },
    },
    {
      name: '1.1 statusInfoSet (404)',
      status: 404,
      body: JSON.stringify({
        statusInfoSet: [
          {
            imsx_codeMajor: 'failure',
            imsx_severity: 'error',
            imsx_CodeMinor: {
              imsx_codeMinorField: [
                { imsx_codeMinorFieldName: 'x', imsx_codeMinorFieldValue: 'unknownobject' },
              ],
            },
            imsx_description: 'Unknown Object',
          },
        ],
      }),
      type: 'application/json',
      Class: NotFoundError,
      info: { codeMinor: 'unknownobject', description: 'Unknown Object' },
    },
    {
      name: '1.1 imsx_statusInfo (403)',
      status: 403,
      body: JSON.stringify({
        imsx_statusInfo: {
          imsx_codeMajor: 'failure',
          imsx_severity: 'error',
          imsx_codeMinor: 'forbidden',
          imsx_description: 'Insufficient scope',
        },
      }),
      type: 'application/json',
      Class: PermissionDeniedError,
      info: { codeMinor: 'forbidden', description: 'Insufficient scope' },
    },
    {
      name: 'errors[] with un-prefixed keys (500)',
      status: 500,
      body: JSON.stringify({
        errors: [
          {
            codeMajor: 'failure',
            severity: 'error',
            codeMinor: 'internal_server_error',
            description: 'boom',
          },
        ],
      }),
      type: 'application/json',
      Class: ServerError,
      info: { codeMinor: 'internal_server_error', description: 'boom' },
    },
    {
      name: 'HTML 429 (Ed-Fi)',
      status: 429,
      body: '<!doctype html><html><head><title>429</title></head><body><h1>Too many requests, please try again later.</h1></body></html>',
      type: 'text/html',
      Class: RateLimitError,
      excerpt: 'Too many requests, please try again later.',
    },
    {
      name: 'plain text 401 from a gateway',
      status: 401,
      body: 'Unauthorized',
      type: 'text/plain',
      Class: AuthenticationError,
      excerpt: 'Unauthorized',
    },
    {
      name: 'JSON without imsx keys (502)',
      status: 502,
      body: '{"message":"Bad gateway"}',
      type: 'application/json',
      Class: ServerError,
      excerpt: '{"message":"Bad gateway"}',
    },
    { name: 'empty body (404)', status: 404, body: '', type: 'text/plain', Class: NotFoundError },
    {
      name: 'unmapped 409',
      status: 409,
      body: 'conflict',
      type: 'text/plain',
      Class: ApiError,
      excerpt: 'conflict',
    },
  ])('$name', async ({ status, body, type, Class, info, excerpt }) => {
    respond(status, body, type);
    const error = await failure(transport().get({ path: '/users' }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(OneRosterError);
    const api = error as ApiError;
    expect(api.status).toBe(status);
    expect(api.method).toBe('GET');
    expect(api.url).toBe(`${BASE}/users`);
    if (info)
      expect({
        codeMajor: api.codeMajor,
        severity: api.severity,
        codeMinor: api.codeMinor,
        description: api.description,
      }).toMatchObject(info);
    if (info?.description) expect(api.message).toContain(info.description);
    expect(api.bodyExcerpt).toBe(excerpt);
    if (excerpt) expect(api.message).toContain(excerpt);
    expect(chainHasKyError(error)).toBe(false);
  });

  it('redacts secrets a server echoes back in a description or an HTML page', async () => {
    const auth = rotatingBearer(['echoed-token-abc123']);
    mock.use(
      http.get(`${BASE}/users`, () =>
        HttpResponse.json(
          { imsx_codeMajor: 'failure', imsx_description: 'token echoed-token-abc123 is not valid' },
          { status: 403 },
        ),
      ),
      http.get(
        `${BASE}/orgs`,
        () =>
          new HttpResponse('<p>Denied for Authorization: Bearer echoed-token-abc123</p>', {
            status: 403,
            headers: { 'content-type': 'text/html' },
          }),
      ),
    );
    const a = await failure(transport({ auth }).get({ path: '/users' }));
    const b = await failure(transport({ auth }).get({ path: '/orgs' }));
    for (const e of [a, b]) {
      expect(e).toBeInstanceOf(PermissionDeniedError);
      expect(e.message).not.toContain('echoed-token-abc123');
      expect(JSON.stringify((e as ApiError).statusInfo ?? {})).not.toContain('echoed-token-abc123');
      expect((e as ApiError).bodyExcerpt ?? '').not.toContain('echoed-token-abc123');
    }
  });

  it('redacts credentials in error URLs', async () => {
    mock.use(http.get(`${BASE}/users`, () => new HttpResponse(null, { status: 500 })));
    const error = await failure(
      transport().get({ path: '/users', query: { access_token: 'qs-token-777', limit: 5 } }),
    );
    expect(error.message).not.toContain('qs-token-777');
    expect((error as ApiError).url).toBe(`${BASE}/users?access_token=[REDACTED]&limit=5`);
  });
});

describe('2xx bodies', () => {
  it('parses JSON regardless of content type', async () => {
    respond(200, '{"users":[{"sourcedId":"u1"}]}', 'text/plain');
    const response = await transport().get({ path: '/users' });
    expect(response.body).toEqual({ users: [{ sourcedId: 'u1' }] });
    expect(response.url.href).toBe(`${BASE}/users`);
    expect(response.headers.get('content-type')).toBe('text/plain');
  });

  it('an HTML page on 200 is an InvalidResponseError (not retried) with status and excerpt', async () => {
    respond(200, '<html><body>Please log in</body></html>', 'text/html');
    const error = await failure(transport({ retry: { retries: 3 } }).get({ path: '/users' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).status).toBe(200);
    expect((error as InvalidResponseError).retryable).toBe(false);
    expect((error as InvalidResponseError).bodyExcerpt).toBe('Please log in');
    expect(error.message).toContain('HTML');
  });

  it('malformed (complete but invalid) JSON is an InvalidResponseError that is not retried', async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE}/users`, () => {
        calls++;
        return new HttpResponse('{"users": [1,]}', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
    const error = await failure(transport({ retry: { retries: 3 } }).get({ path: '/users' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('malformed');
    expect(calls).toBe(1);
  });

  it('an empty 200 to a GET is an InvalidResponseError', async () => {
    respond(200, '', 'application/json');
    expect(await failure(transport().get({ path: '/users' }))).toBeInstanceOf(InvalidResponseError);
  });

  it.each([
    [
      '1.2 flat failure, unknownobject',
      { imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_codeMinor: 'unknownobject' },
      NotFoundError,
    ],
    [
      '1.1 statusInfoSet failure, invalid_filter_field',
      {
        statusInfoSet: [
          {
            imsx_codeMajor: 'failure',
            imsx_severity: 'error',
            imsx_codeMinor: 'invalid_filter_field',
          },
        ],
      },
      BadRequestError,
    ],
    [
      'errors[] unauthorisedrequest',
      { errors: [{ codeMajor: 'failure', severity: 'error', codeMinor: 'unauthorisedrequest' }] },
      AuthenticationError,
    ],
    ['unknown code minor', { imsx_codeMajor: 'failure', imsx_severity: 'error' }, ApiError],
  ])('a success-shaped failure (%s) is an error, not data', async (_name, body, Class) => {
    respond(200, JSON.stringify(body), 'application/json');
    const error = await failure(transport().get({ path: '/users' }));
    expect(error).toBeInstanceOf(Class);
    expect((error as ApiError).status).toBe(200);
  });

  it('a success-shaped server_busy is retried', async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE}/users`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({
              imsx_codeMajor: 'failure',
              imsx_severity: 'error',
              imsx_codeMinor: 'server_busy',
            })
          : HttpResponse.json({ users: [] });
      }),
    );
    expect(
      (await transport({ retry: { retries: 2, minDelayMs: 1 } }).get({ path: '/users' })).body,
    ).toEqual({ users: [] });
    expect(calls).toBe(2);
  });

  it('a 1.1 success with warnings is data', async () => {
    const body = {
      users: [],
      statusInfoSet: [
        {
          imsx_codeMajor: 'success',
          imsx_severity: 'warning',
          imsx_codeMinor: 'invalid_sort_field',
        },
      ],
    };
    respond(200, JSON.stringify(body), 'application/json');
    expect((await transport().get({ path: '/users' })).body).toEqual(body);
  });
});

describe('requests', () => {
  it('sends Accept, transport headers and per-request headers; auth headers win', async () => {
    let seen: Headers | undefined;
    mock.use(
      http.get(`${BASE}/users`, ({ request }) => {
        seen = request.headers;
        return HttpResponse.json({ users: [] });
      }),
    );
    await transport({
      auth: rotatingBearer(['real-token-1234']),
      headers: {
        'x-district': 'tx-42',
        authorization: 'Bearer user-supplied',
        accept: 'application/json',
      },
    }).get({ path: '/users', headers: { 'x-request-id': 'r-1' } });
    expect(seen?.get('accept')).toBe('application/json');
    expect(seen?.get('x-district')).toBe('tx-42');
    expect(seen?.get('x-request-id')).toBe('r-1');
    expect(seen?.get('authorization')).toBe('Bearer real-token-1234');
  });

  it('passes the exact sent URL to authorize()', async () => {
    const seen: string[] = [];
    mock.use(
      http.get(`${BASE}/users`, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json({ users: [] });
      }),
    );
    const authorized: string[] = [];
    await transport({
      auth: {
        ...noAuth(),
        authorize: async ({ url }) => {
          authorized.push(url.href);
          return {};
        },
      },
    }).get({ path: '/users', query: { filter: "familyName='O''Brien'", sort: 'sourcedId' } });
    expect(authorized).toEqual(seen);
    expect(seen[0]).toBe(`${BASE}/users?filter=familyName%3D%27O%27%27Brien%27&sort=sourcedId`);
  });

  it('refuses a foreign-origin absolute URL before sending anything (no credentials leave)', async () => {
    let authorizeCalls = 0;
    const auth = {
      ...noAuth(),
      authorize: async () => {
        authorizeCalls++;
        return {};
      },
    };
    const error = await failure(
      transport({ auth }).get({
        path: new URL('https://evil.example.test/ims/oneroster/v1p1/users?offset=5'),
      }),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(authorizeCalls).toBe(0);
  });

  it('follows a same-origin absolute Link URL', async () => {
    mock.use(
      http.get(`${BASE}/users`, ({ request }) =>
        HttpResponse.json({ offset: new URL(request.url).searchParams.get('offset') }),
      ),
    );
    const response = await transport().get({ path: new URL(`${BASE}/users?limit=5&offset=5`) });
    expect(response.body).toEqual({ offset: '5' });
  });

  it('refuses `..` segments', async () => {
    expect(await failure(transport().get({ path: '/users/../../admin' }))).toBeInstanceOf(
      ConfigurationError,
    );
    expect(
      await failure(transport().get({ path: `/users/${encodeURIComponent('..')}` })),
    ).toBeInstanceOf(ConfigurationError);
  });

  it('rejects invalid header values with a ConfigurationError that does not echo the value', async () => {
    const error = await failure(
      transport().get({ path: '/users', headers: { 'x-bad': 'secret\nvalue' } }),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('x-bad');
    expect(error.message).not.toContain('secret');
  });

  it('follows a same-origin redirect, re-authorising for the new URL', async () => {
    mock.use(
      http.get(
        `${BASE}/users`,
        () => new HttpResponse(null, { status: 301, headers: { location: '/v2/users' } }),
      ),
      http.get(`${ORIGIN}/v2/users`, () => HttpResponse.json({ users: ['ok'] })),
    );
    const authorized: string[] = [];
    const response = await transport({
      auth: {
        ...noAuth(),
        authorize: async ({ url }) => {
          authorized.push(url.pathname);
          return {};
        },
      },
    }).get({ path: '/users' });
    expect(response.body).toEqual({ users: ['ok'] });
    expect(authorized).toEqual(['/ims/oneroster/v1p1/users', '/v2/users']);
    expect(response.url.href).toBe(`${ORIGIN}/v2/users`);
  });

  it('stops after 5 redirects', async () => {
    let calls = 0;
    mock.use(
      http.get(`${BASE}/users`, () => {
        calls++;
        return new HttpResponse(null, { status: 307, headers: { location: `${BASE}/users` } });
      }),
    );
    const error = await failure(transport().get({ path: '/users' }));
    expect((error as ApiError).status).toBe(307);
    expect(calls).toBe(6);
  });

  it('does not follow a redirect to another origin (credentials stay home)', async () => {
    mock.use(
      http.get(
        `${BASE}/users`,
        () =>
          new HttpResponse(null, {
            status: 302,
            headers: { location: 'https://elsewhere.example.test/x' },
          }),
      ),
    );
    const error = await failure(transport().get({ path: '/users' }));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(302);
  });

  it('validates options at construction', () => {
    expect(() => transport({ timeout: 0 })).toThrow(ConfigurationError);
    expect(() => transport({ retry: { retries: -1 } })).toThrow(/retry\.retries/);
    expect(() => transport({ retry: { minDelayMs: 100, maxDelayMs: 10 } })).toThrow(
      /retry\.maxDelayMs/,
    );
    expect(() => transport({ rateLimit: { maxConcurrent: 0 } })).toThrow(
      /rateLimit\.maxConcurrent/,
    );
    expect(() => transport({ rateLimit: { requestsPerSecond: Number.NaN } })).toThrow(
      /requestsPerSecond/,
    );
    expect(() => transport({ headers: { 'bad header': 'x' } })).toThrow(ConfigurationError);
  });
});

describe('only OneRosterErrors come out', () => {
  it.each([
    [
      'fetch throws a TypeError: fetch failed',
      async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
        });
      },
    ],
    [
      'fetch throws a non-network error',
      async () => {
        throw new RangeError('bug in a custom fetch');
      },
    ],
    [
      'fetch throws a string',
      async () => {
        throw 'weird';
      },
    ],
    ['msw network error', undefined],
  ] as const)('%s', async (_name, fetchImpl) => {
    if (!fetchImpl) mock.use(http.get(`${BASE}/users`, () => HttpResponse.error()));
    const error = await failure(
      transport({
        retry: { retries: 1, minDelayMs: 1 },
        ...(fetchImpl ? { fetch: fetchImpl as typeof fetch } : {}),
      }).get({ path: '/users' }),
    );
    expect(error).toBeInstanceOf(OneRosterError);
    expect(chainHasKyError(error)).toBe(false);
  });
});

describe('ports fetch refuses', () => {
  it('a "bad port" says so and is not retried (no retry can help)', async () => {
    let calls = 0;
    // What undici throws for http://127.0.0.1:9/ (port 9 is on the Fetch standard's list).
    const badPort = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: new Error('bad port') });
    };
    const error = await failure(
      transport({ retry: { retries: 3, minDelayMs: 1 }, fetch: badPort as typeof fetch }).get({
        path: '/users',
      }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe('connection_error');
    expect(error.message).toContain('fetch refuses this port');
    expect((error as ConnectionError).retryable).toBe(false);
    expect(calls).toBe(1);
  });
});
