import { describe, expect, test } from 'vitest';
import {
  CLASSLINK_PROXY_BASE_URL,
  checkApplicationId,
  classLinkProxyBaseUrl,
  createClassLinkProxyClient,
} from '../../src/classlink';
import { AuthenticationError, ConfigurationError, NotFoundError } from '../../src/errors';
import { classLinkWithTenants } from './fixtures';

describe('proxy base URL', () => {
  test('the application id is used verbatim, percent-escapes and all', () => {
    expect(classLinkProxyBaseUrl('MoYP%2Fly%3D')).toBe(
      `${CLASSLINK_PROXY_BASE_URL}/MoYP%2Fly%3D/ims/oneroster/v1p1`,
    );
    expect(classLinkProxyBaseUrl('MoYPlyQWmG0%3D', 'https://proxy.test/')).toBe(
      'https://proxy.test/MoYPlyQWmG0%3D/ims/oneroster/v1p1',
    );
  });

  test.each([
    ['', 'must be a non-empty string'],
    ['MoYP/ly=', 'one path segment'],
    ['MoYP%252Fly%253D', 'encoded twice'],
    ['MoYP%2', 'malformed'],
    ['Mo YP', 'one path segment'],
    ['Mo?YP', 'one path segment'],
  ])('%j is refused (%s)', (id, message) => {
    expect(() => checkApplicationId(id)).toThrow(ConfigurationError);
    expect(() => checkApplicationId(id)).toThrow(message);
  });
});

describe('proxy client', () => {
  test('reaches the tenant roster with its bearer; %2F is sent as is, never %252F', async () => {
    const { mock, roster } = classLinkWithTenants();
    const tenant = mock.tenant(2);
    expect(tenant.applicationId).toContain('%2F');
    const seen: string[] = [];
    const client = createClassLinkProxyClient({
      applicationId: tenant.applicationId,
      bearer: tenant.bearer,
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(request.url);
        return mock.fetch(request);
      },
    });
    const schools = await client.schools.list().toArray();
    expect(schools.map((s) => s.sourcedId).sort()).toEqual(
      [...roster.dataset.orgs]
        .filter((o) => o.type === 'school')
        .map((o) => o.sourcedId)
        .sort(),
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const url of seen) {
      expect(url).toContain(`/${tenant.applicationId}/ims/oneroster/v1p1/`);
      expect(url).not.toContain('%252F');
    }
  });

  test('a wrong bearer is an AuthenticationError that does not show the bearer', async () => {
    const { mock } = classLinkWithTenants();
    const tenant = mock.tenant(2);
    const client = createClassLinkProxyClient({
      applicationId: tenant.applicationId,
      bearer: 'wrong-bearer-value-123',
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      retry: false,
    });
    const error = await client.schools
      .list()
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify({ message: (error as Error).message, error })).not.toContain(
      'wrong-bearer-value-123',
    );
  });

  test('a double-encoded id fails at the proxy (as it does at ClassLink)', async () => {
    const { mock } = classLinkWithTenants();
    const tenant = mock.tenant(2);
    // What a client that re-encodes would send; our helpers refuse to build it, so go around them.
    const doubled = tenant.applicationId.replaceAll('%', '%25');
    const response = await mock.fetch(
      `${mock.endpoints.proxy}/${doubled}/ims/oneroster/v1p1/schools`,
      { headers: { authorization: `Bearer ${tenant.bearer}` } },
    );
    expect(response.status).toBe(404);
    expect(() =>
      createClassLinkProxyClient({ applicationId: doubled, bearer: tenant.bearer }),
    ).toThrow(ConfigurationError);
  });

  test('an unknown application id is a NotFoundError', async () => {
    const { mock } = classLinkWithTenants();
    const client = createClassLinkProxyClient({
      applicationId: 'Nope%2Fnope%3D',
      bearer: 'x',
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      retry: false,
    });
    await expect(client.schools.list().toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  test('the bearer may be a function (rotated tokens)', async () => {
    const { mock } = classLinkWithTenants();
    const tenant = mock.tenant(2);
    let calls = 0;
    const client = createClassLinkProxyClient({
      applicationId: tenant.applicationId,
      bearer: async () => {
        calls += 1;
        return tenant.bearer;
      },
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    await client.orgs.list().toArray();
    expect(calls).toBeGreaterThan(0);
  });

  test('an empty bearer is a ConfigurationError', () => {
    expect(() => createClassLinkProxyClient({ applicationId: 'a%3D', bearer: ' ' })).toThrow(
      ConfigurationError,
    );
  });
});
