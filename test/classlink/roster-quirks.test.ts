/**
 * ClassLink Roster Server quirks, exercised through the real `OneRosterClient` (paging and retry
 * belong to the client; these tests pin what it does with ClassLink's responses). The server is
 * an msw imitation of what integrators captured from ClassLink (classlink.md §1.6–1.8).
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createClassLinkProxyClient } from '../../src/classlink';
import type { ClientEvent } from '../../src/options';

const APP = 'MoYP%2Fly%3D';
const BASE = `https://oneroster-proxy.classlink.io/${APP}/ims/oneroster/v1p1`;
const BEARER = 'tenant-bearer-uuid';

function user(i: number, role = 'student', enabledUser: string | boolean = 'true') {
  const id = `${role === 'student' ? 'stu' : 'tea'}-${String(i).padStart(5, '0')}`;
  return {
    sourcedId: id,
    status: 'active',
    dateLastModified: '2026-08-01T12:00:00.000Z',
    username: `${id}@district.test`,
    userIds: [{ type: 'Fed', identifier: id }],
    enabledUser,
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    middleName: '',
    role,
    identifier: '',
    email: `${id}@district.test`,
    sms: '',
    phone: '',
    agents: [],
    orgs: [
      {
        href: 'https://certs-nj-v2.rosterserver.com/ims/oneroster/v1p1/orgs/7',
        sourcedId: '7',
        type: 'org',
      },
    ],
    grades: role === 'student' ? ['05'] : [],
    password: '',
  };
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client(options: { pageSize?: number; onEvent?: (event: ClientEvent) => void } = {}) {
  return createClassLinkProxyClient({
    applicationId: APP,
    bearer: BEARER,
    retry: { minDelayMs: 5, maxDelayMs: 80 },
    ...options,
  });
}

/** A `/users` collection served ClassLink-style: x-count + x-total-count, no Link, a clamp. */
function usersEndpoint(total: number, clampTo = 10_000) {
  const requests: URL[] = [];
  server.use(
    http.get(`${BASE}/users`, ({ request }) => {
      expect(request.headers.get('authorization')).toBe(`Bearer ${BEARER}`);
      const url = new URL(request.url);
      requests.push(url);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), clampTo);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const page = [];
      for (let i = offset; i < Math.min(offset + limit, total); i++) page.push(user(i));
      return HttpResponse.json(
        { users: page },
        {
          headers: {
            'x-count': String(page.length),
            'x-total-count': String(total),
            'x-next-page-token': 'opaque',
            'x-page-generation-time-ms': '9',
          },
        },
      );
    }),
  );
  return requests;
}

describe('paging', () => {
  test('x-count / x-total-count pages are followed to the end', async () => {
    const requests = usersEndpoint(2_345);
    const first = await client({ pageSize: 1000 }).users.list();
    expect(first.totalCount).toBe(2_345);
    const all = await client({ pageSize: 1000 }).users.list().toArray();
    expect(all).toHaveLength(2_345);
    expect(new Set(all.map((u) => u.sourcedId)).size).toBe(2_345);
    expect(requests.every((url) => url.searchParams.get('limit') === '1000')).toBe(true);
  });

  test('a silently clamped limit (short pages) still yields every record', async () => {
    usersEndpoint(1_250, 500);
    const all = await client({ pageSize: 1000 }).users.list().toArray();
    expect(all).toHaveLength(1_250);
  });

  test('page sizes up to 10,000 are sent as asked', async () => {
    const requests = usersEndpoint(12_000);
    const all = await client({ pageSize: 10_000 }).users.list().toArray({ limit: 20_000 });
    expect(all).toHaveLength(12_000);
    expect(requests[0]?.searchParams.get('limit')).toBe('10000');
  });
});

describe('records', () => {
  test('string booleans become booleans', async () => {
    server.use(
      http.get(`${BASE}/users`, () =>
        HttpResponse.json(
          { users: [user(1, 'student', 'true'), user(2, 'student', 'false')] },
          { headers: { 'x-count': '2', 'x-total-count': '2' } },
        ),
      ),
    );
    const all = await client().users.list().toArray();
    expect(all.map((u) => u.enabledUser)).toEqual([true, false]);
  });

  test('a class roster arrives under the `users` key', async () => {
    server.use(
      http.get(`${BASE}/classes/cls-1/students`, () =>
        HttpResponse.json(
          { users: [user(1), user(2)] },
          { headers: { 'x-count': '2', 'x-total-count': '2' } },
        ),
      ),
    );
    const students = await client().classes.listStudents('cls-1').toArray();
    expect(students.map((s) => s.sourcedId)).toEqual(['stu-00001', 'stu-00002']);
  });

  test('teachers in a student list are passed through with their role (filter on roles)', async () => {
    server.use(
      http.get(`${BASE}/classes/cls-1/students`, () =>
        HttpResponse.json(
          { users: [user(1), user(9, 'teacher'), user(2)] },
          { headers: { 'x-count': '3', 'x-total-count': '3' } },
        ),
      ),
    );
    const listed = await client().classes.listStudents('cls-1').toArray();
    // The client does not drop records: it returns what the server sent, normalised. Callers
    // who need students only filter on the role, as documented in docs/classlink.md.
    expect(listed).toHaveLength(3);
    const students = listed.filter((u) => u.roles.some((r) => r.role === 'student'));
    expect(students.map((s) => s.sourcedId)).toEqual(['stu-00001', 'stu-00002']);
    expect(listed.find((u) => u.sourcedId === 'tea-00009')?.roles[0]?.role).toBe('teacher');
  });
});

describe('rate limiting', () => {
  test('429 without Retry-After is retried with growing, jittered backoff', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/orgs`, () => {
        calls += 1;
        if (calls <= 3) {
          return new HttpResponse('<html><body>Too Many Requests</body></html>', {
            status: 429,
            headers: { 'content-type': 'text/html' },
          });
        }
        return HttpResponse.json(
          { orgs: [] },
          { headers: { 'x-count': '0', 'x-total-count': '0' } },
        );
      }),
    );
    const delays: number[] = [];
    const orgs = await client({
      onEvent: (event) => {
        if (event.type === 'retry') delays.push(event.delayMs);
      },
    })
      .orgs.list()
      .toArray();
    expect(orgs).toEqual([]);
    expect(calls).toBe(4);
    expect(delays).toHaveLength(3);
    // Decorrelated jitter (the client's policy): each wait is drawn from
    // [minDelayMs, 3 x the previous wait], capped at maxDelayMs; ClassLink asks for jitter.
    let previous = 5;
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(5);
      expect(delay).toBeLessThanOrEqual(Math.min(80, 3 * previous) + 1);
      previous = delay;
    }
  });
});
