/**
 * The real client (transport, auth, models) against msw: paging quirks of real servers, both
 * versions, broken bodies, validation modes, cancellation and prefetch.
 */
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OneRosterClient } from '../../src/client';
import {
  AbortError,
  InvalidResponseError,
  NotFoundError,
  PaginationError,
  ServerError,
  ValidationError,
} from '../../src/errors';
import type { ClientOptions } from '../../src/options';
import { filter } from '../../src/query';

const ORIGIN = 'https://sis.test';
const V11 = `${ORIGIN}/ims/oneroster/v1p1`;
const V12 = `${ORIGIN}/ims/oneroster/rostering/v1p2`;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const user11 = (n: number, extra: Record<string, unknown> = {}) => ({
  sourcedId: `u-${String(n).padStart(4, '0')}`,
  status: 'active',
  dateLastModified: '2024-01-01T00:00:00Z',
  username: `user${n}`,
  enabledUser: true,
  givenName: 'Given',
  familyName: 'Family',
  role: 'student',
  orgs: [{ href: `${V11}/orgs/s-1`, sourcedId: 's-1', type: 'org' }],
  ...extra,
});

const user12 = (n: number, extra: Record<string, unknown> = {}) => ({
  sourcedId: `u-${String(n).padStart(4, '0')}`,
  status: 'active',
  dateLastModified: '2024-01-01T00:00:00Z',
  enabledUser: 'false',
  givenName: 'Given',
  familyName: 'Family',
  roles: [
    {
      roleType: 'primary',
      role: 'teacher',
      org: { href: `${V12}/orgs/s-1`, sourcedId: 's-1', type: 'org' },
    },
  ],
  ...extra,
});

const users = (count: number, make: (n: number) => { sourcedId: string } = user11) =>
  Array.from({ length: count }, (_, n) => make(n));

function client(extra: Partial<ClientOptions> = {}): OneRosterClient {
  return new OneRosterClient({
    baseUrl: V11,
    retry: false,
    rateLimit: { maxConcurrent: 4, requestsPerSecond: 10_000 },
    pageSize: 10,
    ...extra,
  });
}

interface Served {
  urls: URL[];
}

/** Offset paging over `records` with a server-side clamp and selectable headers. */
function offsetHandler(
  path: string,
  key: string,
  records: unknown[],
  options: { clamp?: number; total?: boolean; totalHeader?: string; link?: boolean } = {},
): Served {
  const served: Served = { urls: [] };
  server.use(
    http.get(path, ({ request }) => {
      const url = new URL(request.url);
      served.urls.push(url);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), options.clamp ?? 1e9);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const page = records.slice(offset, offset + limit);
      const headers: Record<string, string> = {};
      if (options.total !== false)
        headers[options.totalHeader ?? 'X-Total-Count'] = String(records.length);
      if (options.link && offset + page.length < records.length) {
        headers.Link = `<${url.origin}${url.pathname}?limit=${limit}&offset=${offset + page.length}>; rel="next"`;
      }
      return HttpResponse.json({ [key]: page }, { headers });
    }),
  );
  return served;
}

describe('paging through the real client', () => {
  it('1.1: clamped limit, no X-Total-Count, no Link: offset advances by records received', async () => {
    const served = offsetHandler(`${V11}/users`, 'users', users(30), { clamp: 7, total: false });
    const all = await client().users.list().toArray();
    expect(all.map((u) => u.sourcedId)).toEqual(users(30).map((u) => u.sourcedId));
    expect(served.urls.map((u) => u.searchParams.get('offset'))).toEqual([
      '0',
      '7',
      '14',
      '21',
      '28',
      '30',
    ]);
    expect(served.urls.every((u) => u.searchParams.get('limit') === '10')).toBe(true);
  });

  it('stops at a lower-case x-total-count (ClassLink) without an extra request', async () => {
    const served = offsetHandler(`${V11}/users`, 'users', users(25), {
      totalHeader: 'x-total-count',
    });
    const page = await client().users.list();
    expect(page.totalCount).toBe(25);
    expect(await client().users.list().toArray()).toHaveLength(25);
    expect(served.urls).toHaveLength(4);
  });

  it('1.2: normalises records (string booleans, roles) and pages the rostering base', async () => {
    const served = offsetHandler(`${V12}/users`, 'users', users(12, user12));
    const c = client({ baseUrl: V12 });
    expect(c.version).toBe('1.2');
    const all = await c.users.list().toArray();
    expect(all).toHaveLength(12);
    expect(all[0]?.enabledUser).toBe(false);
    expect(all[0]?.roles[0]?.role).toBe('teacher');
    expect(served.urls[0]?.pathname).toBe('/ims/oneroster/rostering/v1p2/users');
  });

  it('1.1: user role and orgs come out as roles[]', async () => {
    offsetHandler(`${V11}/users`, 'users', users(1));
    const [u] = await client().users.list().toArray();
    expect(u?.roles).toEqual([
      { roleType: 'primary', role: 'student', org: expect.objectContaining({ sourcedId: 's-1' }) },
    ]);
  });

  it('follows a same-origin Link rel="next" with an opaque cursor', async () => {
    const records = users(23);
    const urls: string[] = [];
    server.use(
      http.get(`${V11}/users`, ({ request }) => {
        const url = new URL(request.url);
        urls.push(url.search);
        const start = Number(url.searchParams.get('cursor') ?? 0);
        const page = records.slice(start, start + 10);
        const next = start + page.length;
        const headers: Record<string, string> =
          next < records.length
            ? { Link: `</ims/oneroster/v1p1/users?cursor=${next}>; rel="next"` }
            : {};
        return HttpResponse.json({ users: page }, { headers });
      }),
    );
    expect(await client().users.list().toArray()).toHaveLength(23);
    expect(urls).toEqual(['?limit=10&offset=0', '?cursor=10', '?cursor=20']);
  });

  it('refuses a Link rel="next" to another origin and never calls it', async () => {
    server.use(
      http.get(`${V11}/users`, () =>
        HttpResponse.json(
          { users: users(10) },
          { headers: { Link: '<https://evil.test/steal?offset=10>; rel="next"' } },
        ),
      ),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const u of client().users.list()) seen.push(u.sourcedId);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toHaveLength(10);
  });

  it('detects a Link loop', async () => {
    server.use(
      http.get(`${V11}/users`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(
          { users: cursor === null ? users(10) : users(20).slice(10) },
          { headers: { Link: `<${V11}/users?cursor=a>; rel="next"` } },
        );
      }),
    );
    await expect(client().users.list().toArray()).rejects.toBeInstanceOf(PaginationError);
  });

  it('detects a server that ignores offset', async () => {
    server.use(http.get(`${V11}/users`, () => HttpResponse.json({ users: users(10) })));
    const error = await client()
      .users.list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/ignore `offset`/);
  });

  it('an empty collection is one request and an empty page', async () => {
    const served = offsetHandler(`${V11}/classes`, 'classes', [], { total: false });
    const page = await client().classes.list();
    expect(page.items).toEqual([]);
    expect(page.hasNextPage()).toBe(false);
    expect(await client().classes.list().toArray()).toEqual([]);
    expect(served.urls).toHaveLength(2);
  });

  it('a nested collection of an unknown parent is a NotFoundError, not an empty list', async () => {
    server.use(
      http.get(`${V11}/schools/:id/classes`, () =>
        HttpResponse.json(
          { imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_description: 'unknown school' },
          { status: 404 },
        ),
      ),
    );
    await expect(client().schools.listClasses('nope').toArray()).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('broken bodies', () => {
  it('a 200 HTML page is an InvalidResponseError', async () => {
    server.use(
      http.get(
        `${V11}/users`,
        () =>
          new HttpResponse('<html><body>Maintenance</body></html>', {
            status: 200,
            headers: { 'content-type': 'text/html' },
          }),
      ),
    );
    await expect(client().users.list()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('a 502 HTML gateway page is a ServerError', async () => {
    server.use(
      http.get(
        `${V11}/users`,
        () =>
          new HttpResponse('<html>Bad gateway</html>', {
            status: 502,
            headers: { 'content-type': 'text/html' },
          }),
      ),
    );
    await expect(client().users.list()).rejects.toBeInstanceOf(ServerError);
  });

  it('a JSON body without the wrapper key is an InvalidResponseError', async () => {
    server.use(http.get(`${V11}/users`, () => HttpResponse.json({ user: user11(1) })));
    const error = await client()
      .users.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/"users"/);
  });

  it('get() on a body without the singular key is an InvalidResponseError', async () => {
    server.use(http.get(`${V11}/users/u-1`, () => HttpResponse.json({ users: [user11(1)] })));
    await expect(client().users.get('u-1')).rejects.toBeInstanceOf(InvalidResponseError);
  });
});

describe('validation modes through the client', () => {
  const mixed = [user11(1), user11(2, { sourcedId: '' }), user11(3)];

  it('strict rejects, lenient skips, off keeps', async () => {
    offsetHandler(`${V11}/users`, 'users', mixed);
    await expect(client({ validation: 'strict' }).users.list()).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await client().users.list()).items).toHaveLength(2);
    expect((await client({ validation: 'off' }).users.list()).items).toHaveLength(3);
    expect((await client().users.list(undefined, { validation: 'off' })).items).toHaveLength(3);
  });
});

describe('queries and cancellation', () => {
  it('sends the filter RFC 3986-encoded (%20, never +)', async () => {
    const served = offsetHandler(`${V11}/users`, 'users', []);
    await client().users.list({
      filter: filter.and(filter.eq('role', 'student'), filter.eq('familyName', "O'Neil Smith")),
    });
    const raw = served.urls[0]?.href ?? '';
    expect(raw).toContain(
      'filter=role%3D%27student%27%20AND%20familyName%3D%27O%27%27Neil%20Smith%27',
    );
    expect(raw).not.toContain('+');
  });

  it('aborting mid-iteration stops with AbortError and no further requests', async () => {
    const records = users(100);
    let requests = 0;
    server.use(
      http.get(`${V11}/users`, async ({ request }) => {
        requests++;
        await delay(5);
        const offset = Number(new URL(request.url).searchParams.get('offset'));
        return HttpResponse.json({ users: records.slice(offset, offset + 10) });
      }),
    );
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const u of client().users.list(undefined, { signal: controller.signal })) {
        seen.push(u.sourcedId);
        if (seen.length === 15) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toHaveLength(20);
    const after = requests;
    await delay(20);
    expect(requests).toBe(after);
    expect(requests).toBeLessThanOrEqual(3);
  });
});

describe('prefetch with a slow server', () => {
  it('overlaps requests up to maxConcurrent, keeps order, bounds the pages held', async () => {
    const records = users(200);
    let inFlight = 0;
    let maxInFlight = 0;
    let started = 0;
    server.use(
      http.get(`${V11}/users`, async ({ request }) => {
        started++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay(20);
        inFlight--;
        const offset = Number(new URL(request.url).searchParams.get('offset'));
        return HttpResponse.json(
          { users: records.slice(offset, offset + 10) },
          { headers: { 'X-Total-Count': '200' } },
        );
      }),
    );
    let consumed = 0;
    let maxAhead = 0;
    const ids: string[] = [];
    for await (const page of client().users.list().pages()) {
      consumed++;
      maxAhead = Math.max(maxAhead, started - consumed);
      ids.push(...page.items.map((u) => u.sourcedId));
    }
    expect(ids).toEqual(records.map((u) => u.sourcedId));
    expect(maxInFlight).toBe(4);
    expect(maxAhead).toBeLessThanOrEqual(4);
    expect(started).toBe(20);
  });

  it('maxConcurrent: 1 fetches one page at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const records = users(50);
    server.use(
      http.get(`${V11}/users`, async ({ request }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay(5);
        inFlight--;
        const offset = Number(new URL(request.url).searchParams.get('offset'));
        return HttpResponse.json(
          { users: records.slice(offset, offset + 10) },
          { headers: { 'X-Total-Count': '50' } },
        );
      }),
    );
    const c = client({ rateLimit: { maxConcurrent: 1, requestsPerSecond: 10_000 } });
    expect(await c.users.list().toArray()).toHaveLength(50);
    expect(maxInFlight).toBe(1);
  });
});
