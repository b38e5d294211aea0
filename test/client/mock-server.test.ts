/**
 * The real client against the package's own mock OneRoster server (`./testing`): every paging
 * header mode with clamping, both versions, nested collections, real auth, and faults.
 */
import { describe, expect, it } from 'vitest';
import { OneRosterClient } from '../../src/client';
import {
  AuthenticationError,
  PermissionDeniedError,
  ServerError,
  ValidationError,
} from '../../src/errors';
import type { ClientEvent, ClientOptions } from '../../src/options';
import {
  createMockOneRoster,
  generateDistrict,
  type MockOneRosterOptions,
} from '../../src/testing';

const dataset = generateDistrict({
  seed: 11,
  schools: 2,
  studentsPerSchool: 40,
  teachersPerSchool: 4,
  classesPerSchool: 6,
  coursesPerSchool: 3,
  classesPerStudent: 3,
});
const userIds = [...dataset.users].map((u) => u.sourcedId);

function setup(
  mockOptions: Partial<MockOneRosterOptions>,
  clientOptions: Partial<ClientOptions> = {},
) {
  const mock = createMockOneRoster({ dataset, version: '1.2', ...mockOptions });
  const client = new OneRosterClient({
    baseUrl: mock.baseUrl,
    fetch: mock.fetch,
    rateLimit: { maxConcurrent: 4, requestsPerSecond: 10_000 },
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    pageSize: 25,
    ...clientOptions,
  });
  return { mock, client };
}

describe.each(['1.1', '1.2'] as const)('OneRoster %s mock', (version) => {
  it.each(['both', 'total', 'link', 'none', 'classlink'] as const)(
    'paging headers %s with limit clamped to 10: every user once, in order',
    async (pagingHeaders) => {
      const { client, mock } = setup({ version, pagingHeaders, maxPageSize: 10 });
      const ids: string[] = [];
      for await (const user of client.users.list()) ids.push(user.sourcedId);
      expect(ids).toEqual(userIds);
      const requests = mock.log.count((e) => e.path === '/users');
      // ceil(n / 10) pages, plus at most the empty page that proves the end without a total.
      expect(requests).toBeGreaterThanOrEqual(Math.ceil(userIds.length / 10));
      expect(requests).toBeLessThanOrEqual(Math.ceil(userIds.length / 10) + 1);
    },
  );

  it('nested collections and get() return what the dataset holds', async () => {
    const { client } = setup({ version });
    const school = [...dataset.orgs].find((o) => o.type === 'school');
    if (!school) throw new Error('no school in the dataset');
    const expected = [...dataset.classes]
      .filter((c) => c.school.sourcedId === school.sourcedId)
      .map((c) => c.sourcedId);
    const classes = await client.schools.listClasses(school.sourcedId).toArray();
    expect(classes.map((c) => c.sourcedId)).toEqual(expected);
    const cls = classes[0];
    if (!cls) throw new Error('no class');
    const enrollments = await client.schools
      .listEnrollmentsForClass(school.sourcedId, cls.sourcedId)
      .toArray();
    expect(enrollments.length).toBeGreaterThan(0);
    expect(enrollments.every((e) => e.class.sourcedId === cls.sourcedId)).toBe(true);
    const first = userIds[0] ?? '';
    expect((await client.users.get(first)).sourcedId).toBe(first);
    const terms = await client.terms.list().toArray();
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.every((t) => t.type === 'term')).toBe(true);
  });
});

describe('auth against the mock', () => {
  it('OAuth 1.0a signatures verify; a wrong secret is an AuthenticationError', async () => {
    const auth = { type: 'oauth1' as const, consumers: { 'key-1': 'secret-1' } };
    const good = setup(
      { version: '1.1', auth },
      { auth: { type: 'oauth1', consumerKey: 'key-1', consumerSecret: 'secret-1' } },
    );
    const users = await good.client.users
      .list({ fields: ['sourcedId', 'status', 'dateLastModified'], sort: 'sourcedId' })
      .toArray();
    expect(users).toHaveLength(userIds.length);
    const bad = setup(
      { version: '1.1', auth },
      { auth: { type: 'oauth1', consumerKey: 'key-1', consumerSecret: 'wrong' } },
    );
    const error = await bad.client.users.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).not.toContain('wrong');
  });

  it('OAuth 2: a missing scope on /demographics is a PermissionDeniedError', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      auth: {
        type: 'oauth2',
        clients: { app: { secret: 's3cret', scopes: ['roster-core.readonly'] } },
      },
    });
    const client = new OneRosterClient({
      baseUrl: mock.baseUrl,
      fetch: mock.fetch,
      auth: {
        type: 'oauth2',
        tokenUrl: mock.tokenUrl ?? '',
        clientId: 'app',
        clientSecret: 's3cret',
        scope: 'roster-core.readonly',
      },
      retry: false,
    });
    expect((await client.orgs.list()).items.length).toBeGreaterThan(0);
    await expect(client.demographics.list()).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});

describe('faults through the client', () => {
  it('an invalid record: lenient skips and reports it, strict rejects', async () => {
    const { client, mock } = setup({ version: '1.2' });
    mock.faults.add({ kind: 'invalid-record', path: '/users', nth: 1, index: 3 });
    const events: ClientEvent[] = [];
    const users = await client.users.list(undefined, { onEvent: (e) => events.push(e) }).toArray();
    expect(users).toHaveLength(userIds.length - 1);
    expect(events.filter((e) => e.type === 'invalid_record')).toHaveLength(1);
    mock.faults.set([{ kind: 'invalid-record', path: '/users', nth: 1 }]);
    await expect(client.users.list(undefined, { validation: 'strict' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it.each([
    ['a connection reset', { kind: 'reset' as const }],
    [
      'a 429 with an HTML body and Retry-After 0',
      { kind: 'status' as const, status: 429, body: 'html' as const, retryAfter: 0 },
    ],
    ['a 503', { kind: 'status' as const, status: 503 }],
    ['a truncated JSON body', { kind: 'truncate' as const }],
  ])('%s mid-walk is retried and nothing is lost', async (_name, fault) => {
    const { client, mock } = setup({ version: '1.1' });
    mock.faults.add({ ...fault, path: '/users', nth: 3 });
    const ids = (await client.users.list().toArray()).map((u) => u.sourcedId);
    expect(ids).toEqual(userIds);
  });

  it('a failure that outlasts the retries surfaces, and page.next() can retry it', async () => {
    const { client, mock } = setup({ version: '1.1' }, { retry: false });
    mock.faults.add({ kind: 'status', status: 500, path: '/users', nth: 2 });
    const first = await client.users.list();
    await expect(first.next()).rejects.toBeInstanceOf(ServerError);
    const second = await first.next();
    expect(second?.items.map((u) => u.sourcedId)).toEqual(userIds.slice(25, 50));
  });

  it('a page clamped mid-walk is not the end and skips nothing', async () => {
    const { client, mock } = setup({ version: '1.2', pagingHeaders: 'total' });
    mock.faults.add({ kind: 'clamp', limit: 7, path: '/users', nth: 2 });
    const ids = (await client.users.list().toArray()).map((u) => u.sourcedId);
    expect(ids).toEqual(userIds);
  });

  it('prefetch with latency: in order, at most maxConcurrent in flight', async () => {
    const { client, mock } = setup({ version: '1.2', pagingHeaders: 'total', latencyMs: 10 });
    const ids = (await client.users.list().toArray()).map((u) => u.sourcedId);
    expect(ids).toEqual(userIds);
    expect(mock.log.maxInFlight()).toBe(4);
  });
});
