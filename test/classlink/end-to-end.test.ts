/**
 * The ClassLink pieces together, with real signatures checked by the mock OneRoster server:
 * direct mode, the proxy signing upstream, direct credentials from discovery, and a login linked
 * to a roster that was discovered and synced through the proxy.
 */
import { describe, expect, test } from 'vitest';
import {
  clientForTenant,
  createClassLinkDirectClient,
  directClientForTenant,
  listClassLinkTenants,
} from '../../src/classlink';
import { AuthenticationError } from '../../src/errors';
import { filter } from '../../src/query';
import { createClassLinkSso, findRosterUser } from '../../src/sso';
import { MemoryStorage } from '../../src/storage/memory';
import { createSync } from '../../src/sync';
import { createMockOneRoster, generateDistrict } from '../../src/testing';
import { classLinkUsersFromRoster, createMockClassLink } from '../../src/testing/classlink';

const CONSUMERS = { 'district-key': 'district-secret' };

function signedRoster(baseUrl = 'https://springtownisd-tx-v2.rosterserver.mock') {
  return createMockOneRoster({
    dataset: generateDistrict({
      seed: 11,
      schools: 2,
      studentsPerSchool: 10,
      teachersPerSchool: 2,
      classesPerSchool: 4,
      coursesPerSchool: 2,
      classesPerStudent: 2,
    }),
    version: '1.1',
    pagingHeaders: 'classlink',
    auth: { type: 'oauth1', consumers: CONSUMERS },
    baseUrl,
  });
}

describe('direct mode against a server that verifies OAuth 1.0a', () => {
  test('signed requests (with a quoted filter) are accepted', async () => {
    const roster = signedRoster();
    const client = createClassLinkDirectClient({
      endpointUrl: 'https://springtownisd-tx-v2.rosterserver.mock',
      clientId: 'district-key',
      clientSecret: 'district-secret',
      fetch: roster.fetch,
    });
    const students = await client.users
      .list({ filter: filter.and(filter.eq('status', 'active'), filter.eq('role', 'student')) })
      .toArray();
    expect(students.length).toBe(20);
    expect(students.every((u) => u.roles.some((r) => r.role === 'student'))).toBe(true);
  });

  test('a wrong secret is refused with an AuthenticationError that hides it', async () => {
    const roster = signedRoster();
    const client = createClassLinkDirectClient({
      endpointUrl: 'https://springtownisd-tx-v2.rosterserver.mock',
      clientId: 'district-key',
      clientSecret: 'not-the-secret-42',
      fetch: roster.fetch,
      retry: false,
    });
    const error = await client.orgs
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).not.toContain('not-the-secret-42');
  });
});

describe('through the proxy and discovery', () => {
  test('the proxy signs upstream with OAuth 1.0a; direct credentials from /server work too', async () => {
    const roster = signedRoster();
    const mock = createMockClassLink({
      partnerKey: 'pk',
      tenants: [
        {
          tenantId: 2,
          name: 'Springtown ISD',
          roster: {
            baseUrl: roster.baseUrl,
            fetch: roster.fetch,
            oauth1: { consumerKey: 'district-key', consumerSecret: 'district-secret' },
          },
          server: {
            clientId: 'district-key',
            clientSecret: 'district-secret',
            endpointUrl: 'https://springtownisd-tx-v2.rosterserver.mock',
          },
        },
      ],
    });
    const partner = { partnerKey: 'pk', baseUrl: mock.endpoints.proxy, fetch: mock.fetch };
    const [tenant] = await listClassLinkTenants(partner);
    if (!tenant) throw new Error('no tenant');
    const viaProxy = clientForTenant(tenant, {
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    const proxied = await viaProxy.classes.list().toArray();

    const direct = await directClientForTenant({
      ...partner,
      applicationId: tenant.applicationId,
      client: { fetch: roster.fetch },
    });
    const straight = await direct.classes.list().toArray();
    expect(proxied.map((c) => c.sourcedId)).toEqual(straight.map((c) => c.sourcedId));
    expect(proxied).toHaveLength(8);
  });

  test('a login links to the roster that was discovered and synced through the proxy', async () => {
    const roster = signedRoster();
    const users = classLinkUsersFromRoster(roster.dataset.users, { tenantId: 2 });
    const mock = createMockClassLink({
      partnerKey: 'pk',
      tenants: [
        {
          tenantId: 2,
          name: 'Springtown ISD',
          roster: {
            baseUrl: roster.baseUrl,
            fetch: roster.fetch,
            oauth1: { consumerKey: 'district-key', consumerSecret: 'district-secret' },
          },
        },
      ],
      users,
    });
    const storage = new MemoryStorage();
    for (const tenant of await listClassLinkTenants({
      partnerKey: 'pk',
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    })) {
      const client = clientForTenant(tenant, {
        proxyBaseUrl: mock.endpoints.proxy,
        fetch: mock.fetch,
      });
      const report = await createSync({ client, storage, tenantId: tenant.tenantId }).run({
        mode: 'full',
      });
      expect(report.status).toBe('succeeded');
    }

    const student = [...roster.dataset.users].find((u) => u.roles[0]?.role === 'student');
    if (!student?.username) throw new Error('no student with a username');
    const sso = createClassLinkSso({ ...mock.ssoOptions(), allowIdpInitiated: true });
    const login = await sso.handleCallback(mock.launch(student.username));
    const match = await findRosterUser(storage, login.rosterKey);
    expect(match?.matchedBy).toBe('sourcedId');
    expect(match?.user.sourcedId).toBe(student.sourcedId);
    const expectedClasses = [...roster.dataset.enrollments]
      .filter((e) => e.user.sourcedId === student.sourcedId && e.status === 'active')
      .map((e) => e.class.sourcedId)
      .sort();
    expect(match?.classes.map((c) => c.class.sourcedId).sort()).toEqual(expectedClasses);
    expect(match?.schools.length).toBeGreaterThan(0);
  });
});
