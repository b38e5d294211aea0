/**
 * The package's own OneRosterClient against the mock, both versions and every auth type: the
 * two were written apart, so this is where they must agree (and where each catches the other's
 * mistakes).
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { filter, OneRosterClient } from '../../src/index';
import type { AuthOptions } from '../../src/options';
import {
  createMockOneRoster,
  generateDistrict,
  type MockAuthOptions,
  type MockOneRosterOptions,
} from '../../src/testing';

const dataset = generateDistrict({ seed: 17, schools: 2, studentsPerSchool: 40 });
const school = dataset.orgs.toArray().find((o) => o.type === 'school')?.sourcedId ?? '';

const AUTH: Record<
  string,
  { server: MockAuthOptions; client: (tokenUrl?: string) => AuthOptions }
> = {
  none: { server: { type: 'none' }, client: () => undefined as unknown as AuthOptions },
  oauth1: {
    server: { type: 'oauth1', consumers: { 'district-key': 'district secret/with+chars' } },
    client: () => ({
      type: 'oauth1',
      consumerKey: 'district-key',
      consumerSecret: 'district secret/with+chars',
    }),
  },
  oauth2: {
    server: {
      type: 'oauth2',
      clients: {
        app: { secret: 's3cret', scopes: ['roster.readonly', 'roster-demographics.readonly'] },
      },
    },
    client: (tokenUrl) => ({
      type: 'oauth2',
      tokenUrl: tokenUrl ?? '',
      clientId: 'app',
      clientSecret: 's3cret',
    }),
  },
  bearer: {
    server: { type: 'bearer', tokens: ['proxy-token'] },
    client: () => ({ type: 'bearer', token: 'proxy-token' }),
  },
};

function pair(
  version: '1.1' | '1.2',
  auth: keyof typeof AUTH,
  options: Partial<MockOneRosterOptions> = {},
) {
  const spec = AUTH[auth] as (typeof AUTH)[string];
  const mock = createMockOneRoster({ dataset, version, auth: spec.server, ...options });
  const clientAuth = spec.client(mock.tokenUrl);
  const client = new OneRosterClient({
    baseUrl: mock.baseUrl,
    fetch: mock.fetch,
    ...(auth === 'none' ? {} : { auth: clientAuth }),
    retry: { retries: 4, minDelayMs: 1, maxDelayMs: 2 },
  });
  return { mock, client };
}

describe.each(['1.1', '1.2'] as const)('OneRosterClient against the mock (%s)', (version) => {
  // With oauth1, a 401 "Invalid OAuth 1.0a signature; the Authorization header carries
  // non-OAuth parameters" means the client's signer put query parameters into the header.
  it.each(Object.keys(AUTH))('walks every user with %s auth', async (auth) => {
    const { mock, client } = pair(version, auth);
    const users = await client.users.list().toArray();
    expect(users.map((u) => u.sourcedId)).toEqual([...dataset.users.ids()]);
    expect(mock.log.filter((e) => e.path !== '/oauth2/token').every((e) => e.status === 200)).toBe(
      true,
    );
  });

  it('reads back the dataset it was served, normalised (roles, booleans)', async () => {
    const { client } = pair(version, 'none');
    const student = dataset.users.toArray().find((u) => u.roles[0]?.role === 'student' && u.agents);
    const got = await client.users.get(student?.sourcedId ?? '');
    expect(got.roles.map((r) => [r.role, r.org.sourcedId])).toEqual(
      student?.roles.map((r) => [r.role, r.org.sourcedId]),
    );
    expect(got.enabledUser).toBe(student?.enabledUser);
    expect(got.agents?.map((a) => a.sourcedId)).toEqual(student?.agents?.map((a) => a.sourcedId));
  });

  it('nested collections, filters and delta queries agree with the dataset', async () => {
    const { client } = pair(version, 'oauth2');
    const classes = await client.schools.listClasses(school).toArray();
    expect(classes.map((k) => k.sourcedId)).toEqual(
      dataset.classes
        .toArray()
        .filter((k) => k.school.sourcedId === school)
        .map((k) => k.sourcedId),
    );
    const since = '2025-06-01T00:00:00Z';
    const recent = await client.enrollments
      .list({ filter: filter.gte('dateLastModified', since) })
      .toArray();
    expect(recent.map((e) => e.sourcedId)).toEqual(
      dataset.enrollments
        .toArray()
        .filter((e) => Date.parse(e.dateLastModified) >= Date.parse(since))
        .map((e) => e.sourcedId),
    );
  });

  it('survives throttling, resets, clamping and missing paging headers', async () => {
    const { mock, client } = pair(version, 'bearer', {
      pagingHeaders: 'none',
      maxPageSize: 25,
      faults: [
        { kind: 'status', status: 429, retryAfter: 0, body: 'html', every: 4 },
        { kind: 'reset', nth: 3 },
        { kind: 'status', status: 503, probability: 0.1, seed: 5 },
      ],
    });
    const enrollments = await client.enrollments.list().toArray();
    expect(enrollments).toHaveLength(dataset.enrollments.size);
    expect(mock.log.count((e) => e.status !== 200)).toBeGreaterThan(3);
  });
});

describe('createMockOneRoster options are checked', () => {
  it.each([
    [{ version: '2.0' }, 'version'],
    [{ version: '1.2', pagingHeaders: 'some' }, 'pagingHeaders'],
    [{ version: '1.2', maxPageSize: 0 }, 'maxPageSize'],
    [{ version: '1.2', defaultPageSize: 1.5 }, 'defaultPageSize'],
    [{ version: '1.2', latencyMs: -1 }, 'latencyMs'],
    [{ version: '1.2', baseUrl: 'ftp://x.test' }, 'baseUrl'],
    [{ version: '1.2', baseUrl: 'not a url' }, 'baseUrl'],
    [{ version: '1.2', baseUrl: 'https://x.test/?a=1' }, 'baseUrl'],
    [{ version: '1.2', faults: 'none' }, 'faults'],
  ])('%j -> %s', (options, option) => {
    try {
      createMockOneRoster({ dataset, ...(options as unknown as MockOneRosterOptions) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe(option);
    }
  });
});
