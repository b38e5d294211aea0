/**
 * The code of docs/testing.md, run as a test. The guide shows it in blocks: the import block
 * there uses the package name (`@smartpass/oneroster/testing`) where this file uses relative
 * paths; every other block appears in this file verbatim. The last describe() checks both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// docs:imports
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionError, filter, OneRosterClient } from '../../src/index';
import { createMockOneRoster, generateDistrict, mutate } from '../../src/testing/index';

// docs:end

// docs:integration
/** The code under test: your integration. Here, the e-mail addresses of a school's teachers. */
async function teacherEmails(client: OneRosterClient, schoolId: string): Promise<string[]> {
  const emails: string[] = [];
  for await (const teacher of client.schools.listTeachers(schoolId)) {
    if (teacher.email) emails.push(teacher.email);
  }
  return emails.sort();
}

/** What the answer should be, computed from the generated district itself. */
function expectedEmails(district: ReturnType<typeof generateDistrict>, schoolId: string) {
  return district.users
    .toArray()
    .filter((u) => u.roles.some((r) => r.role === 'teacher' && r.org.sourcedId === schoolId))
    .flatMap((u) => (u.email ? [u.email] : []))
    .sort();
}
// docs:end

// docs:fetch
describe('teacherEmails, with an injected fetch', () => {
  const district = generateDistrict({ seed: 42, schools: 2 });
  const mock = createMockOneRoster({
    dataset: district,
    version: '1.2',
    auth: {
      type: 'oauth2',
      clients: { 'my-app': { secret: 'test-secret', scopes: ['roster.readonly'] } },
    },
  });
  const client = new OneRosterClient({
    baseUrl: mock.baseUrl,
    fetch: mock.fetch, // no global patching: safe in parallel tests
    auth: {
      type: 'oauth2',
      tokenUrl: mock.tokenUrl ?? '',
      clientId: 'my-app',
      clientSecret: 'test-secret',
    },
  });

  it("lists a school's teachers", async () => {
    const school = district.orgs.toArray().find((org) => org.type === 'school');
    if (!school) throw new Error('the district has schools');
    expect(await teacherEmails(client, school.sourcedId)).toEqual(
      expectedEmails(district, school.sourcedId),
    );
    // One token request, then the school's teachers (a single page).
    expect(mock.log.entries.map((e) => [e.path, e.status, e.auth])).toEqual([
      ['/oauth2/token', 200, 'none'],
      [`/schools/${school.sourcedId}/teachers`, 200, 'ok'],
    ]);
  });
});
// docs:end

// docs:msw
describe('teacherEmails, with msw', () => {
  const district = generateDistrict({ seed: 42, schools: 2 });
  const mock = createMockOneRoster({
    dataset: district,
    version: '1.1',
    baseUrl: 'https://district.example.com', // the URL your code is configured with
  });
  const server = setupServer(...mock.handlers);

  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    mock.log.clear();
  });
  afterAll(() => server.close());

  it('works through the global fetch', async () => {
    const client = new OneRosterClient({
      baseUrl: 'https://district.example.com/ims/oneroster/v1p1',
    });
    const school = district.orgs.toArray().find((org) => org.type === 'school');
    if (!school) throw new Error('the district has schools');
    expect(await teacherEmails(client, school.sourcedId)).toEqual(
      expectedEmails(district, school.sourcedId),
    );
  });
});
// docs:end

// docs:faults
describe('when the district misbehaves', () => {
  const district = generateDistrict({ seed: 7 });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits as long as Retry-After asks, then carries on', async () => {
    vi.useFakeTimers();
    const mock = createMockOneRoster({
      dataset: district,
      version: '1.2',
      faults: [{ kind: 'status', status: 429, retryAfter: 30, path: '/users', nth: 2 }],
    });
    const client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch, pageSize: 100 });

    const walk = client.users.list().toArray();
    await vi.runAllTimersAsync(); // the client sleeps 30 s of fake time
    expect(await walk).toHaveLength(district.users.size);

    // 481 users in pages of 100 (the client fetches pages ahead, so order varies): the second
    // page was throttled once and asked for again 30 s later.
    const users = mock.log.filter((e) => e.path === '/users');
    expect(users.map((e) => e.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
    const throttled = users.find((e) => e.status === 429);
    const retried = users.find((e) => e.url === throttled?.url && e.status === 200);
    expect((retried?.time ?? 0) - (throttled?.time ?? 0)).toBeGreaterThanOrEqual(30_000);
  });

  it('gives up on a connection that keeps resetting, with a typed error', async () => {
    const mock = createMockOneRoster({
      dataset: district,
      version: '1.2',
      faults: [{ kind: 'reset', path: '/orgs' }],
    });
    const client = new OneRosterClient({
      baseUrl: mock.baseUrl,
      fetch: mock.fetch,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.orgs.list().toArray()).rejects.toBeInstanceOf(ConnectionError);
    expect(mock.log.count((e) => e.path === '/orgs')).toBe(3); // first try + 2 retries
  });

  it('keeps every record when a page is clamped and headers are missing', async () => {
    const mock = createMockOneRoster({
      dataset: district,
      version: '1.1',
      pagingHeaders: 'none', // like Ed-Fi: no X-Total-Count, no Link
      maxPageSize: 50, // the client asks for 1000 and silently gets 50
    });
    const client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
    expect(await client.users.list().toArray()).toHaveLength(district.users.size);
  });

  it('stays within its concurrency limit', async () => {
    const mock = createMockOneRoster({ dataset: district, version: '1.2', latencyMs: 5 });
    const client = new OneRosterClient({
      baseUrl: mock.baseUrl,
      fetch: mock.fetch,
      pageSize: 20,
      rateLimit: { maxConcurrent: 2, requestsPerSecond: 1000 },
    });
    await client.enrollments.list().toArray();
    expect(mock.log.maxInFlight()).toBeLessThanOrEqual(2);
  });
});
// docs:end

// docs:mutate
describe('incremental sync against day-N changes', () => {
  it('fetches exactly what changed since the last run', async () => {
    const district = generateDistrict({ seed: 3 });
    const mock = createMockOneRoster({ dataset: district, version: '1.2' });
    const client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });

    const lastRun = district.latestModified; // your stored cursor
    const { changes } = mutate(district, { seed: 1, add: 2, update: 0.05, markToBeDeleted: 1 });

    const changed = await client.users
      .list({ filter: filter.gt('dateLastModified', lastRun) })
      .toArray();
    expect(changed.map((u) => u.sourcedId).sort()).toEqual(
      [...changes.created.users, ...changes.updated.users, ...changes.tobedeleted.users].sort(),
    );
    expect(changed.filter((u) => u.status === 'tobedeleted')).toHaveLength(1);
  });
});
// docs:end

describe('docs/testing.md shows this file', () => {
  const self = readFileSync(import.meta.filename, 'utf8');
  const guide = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'testing.md'), 'utf8');
  const regions = new Map(
    [...self.matchAll(/^\/\/ docs:(\w+)\n([\s\S]*?)^\/\/ docs:end$/gm)].map((m) => [
      m[1] as string,
      (m[2] as string).trimEnd(),
    ]),
  );
  // Each block is tagged `<!-- docs-test: name -->`; all but the imports also carry the
  // `<!-- example: ... -->` marker with which scripts/check-docs.ts checks them verbatim.
  const blocks = [
    ...guide.matchAll(
      /<!-- docs-test: (\w+) -->\n(?:<!-- example: [^>]+ -->\n)?```ts\n([\s\S]*?)\n```/g,
    ),
  ].map((m) => [m[1] as string, m[2] as string] as const);

  it('has a block for every region and nothing else', () => {
    expect(blocks.map(([name]) => name)).toEqual([...regions.keys()]);
  });

  it.each(blocks)('block %s matches', (name, code) => {
    const expected = regions.get(name) ?? '';
    // The guide imports the package by name; this file imports the sources.
    const mapped = code
      .replace("'@smartpass/oneroster/testing'", "'../../src/testing/index'")
      .replace("'@smartpass/oneroster'", "'../../src/index'");
    expect(mapped).toBe(expected);
  });
});
