import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  clientForTenant,
  directClientForTenant,
  getDirectCredentials,
  listClassLinkTenants,
  parseClassLinkTenant,
} from '../../src/classlink';
import {
  AuthenticationError,
  ConfigurationError,
  InvalidResponseError,
  NotFoundError,
  PaginationError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/errors';
import { createMockClassLink } from '../../src/testing/classlink';
import { classLinkWithTenants, rosterServer } from './fixtures';

const PARTNER_KEY = 'partner-key-abc123';

function applicationsRequests(mock: { requests: readonly { path: string }[] }) {
  return mock.requests.filter((r) => r.path === '/applications').length;
}

describe('listClassLinkTenants', () => {
  test('pages until an empty page (no count headers) and reads every row', async () => {
    const { mock } = classLinkWithTenants(25);
    const tenants = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      pageSize: 10,
    });
    expect(tenants).toHaveLength(25);
    expect(tenants.map((t) => t.tenantId)).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i + 2)),
    );
    // 10 + 10 + 5, then the empty page that ends it.
    expect(applicationsRequests(mock)).toBe(4);
    const first = tenants[0];
    expect(first).toMatchObject({
      tenantId: '2',
      tenantName: 'District 2',
      applicationId: mock.tenant(2).applicationId,
      bearer: mock.tenant(2).bearer,
      partnerApplicationId: '4242',
      enabled: true,
      status: 'Active',
      usable: true,
    });
  });

  test('a server that clamps limit (short pages) still yields every tenant', async () => {
    const { mock } = classLinkWithTenants(12);
    mock.configure({ applications: { maxPageSize: 5 } });
    const tenants = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      pageSize: 10_000,
    });
    expect(tenants).toHaveLength(12);
    expect(applicationsRequests(mock)).toBe(4);
  });

  test('string booleans and statuses decide usability', async () => {
    const { mock } = classLinkWithTenants(3, [{}, { enabled: false }, { status: 'Inactive' }]);
    const tenants = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    expect(tenants.map((t) => [t.enabled, t.status, t.usable])).toEqual([
      [true, 'Active', true],
      [false, 'Active', false],
      [true, 'Inactive', false],
    ]);
  });

  test('the bearer never shows in JSON, console output or raw', async () => {
    const { mock } = classLinkWithTenants(1);
    const [tenant] = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    if (!tenant) throw new Error('no tenant');
    const bearer = mock.tenant(2).bearer;
    expect(tenant.bearer).toBe(bearer);
    expect(JSON.stringify(tenant)).not.toContain(bearer);
    expect(JSON.stringify(tenant)).toContain('[REDACTED]');
    expect(inspect(tenant, { depth: 5 })).not.toContain(bearer);
    expect(JSON.stringify(tenant.raw)).not.toContain(bearer);
    expect(Object.keys(tenant)).toContain('bearer');
  });

  test('a rejected partner key is an AuthenticationError without the key', async () => {
    const { mock } = classLinkWithTenants(1);
    const error = await listClassLinkTenants({
      partnerKey: 'not-the-partner-key-xyz',
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      retry: false,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(
      'not-the-partner-key-xyz',
    );
  });

  test('a 429 without Retry-After is retried with backoff', async () => {
    const { mock } = classLinkWithTenants(2);
    mock.failNext('applications', { status: 429, body: 'Too Many Requests' }, 2);
    const retries: number[] = [];
    const tenants = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      retry: { minDelayMs: 5, maxDelayMs: 50 },
      onEvent: (event) => {
        if (event.type === 'retry') retries.push(event.delayMs);
      },
    });
    expect(tenants).toHaveLength(2);
    expect(retries).toHaveLength(2);
  });

  test('rows without an id, application id or bearer are skipped (lenient) or fatal (strict)', async () => {
    const rows = [
      {
        id: '1',
        tenant_id: 2,
        tenant_name: 'Good',
        bearer: 'b1',
        oneroster_application_id: 'a%3D',
        enabled: 'true',
      },
      { id: '2', tenant_id: 3, tenant_name: 'No bearer', oneroster_application_id: 'b%3D' },
    ];
    const fetch = pagedFetch([rows, []]);
    const skipped: unknown[] = [];
    const tenants = await listClassLinkTenants({
      partnerKey: 'k',
      fetch,
      onInvalidRow: (row) => skipped.push(row),
    });
    expect(tenants.map((t) => t.tenantName)).toEqual(['Good']);
    expect(skipped).toEqual([
      { index: 1, id: '2', issues: [expect.objectContaining({ path: 'bearer' })] },
    ]);
    await expect(
      listClassLinkTenants({
        partnerKey: 'k',
        fetch: pagedFetch([rows, []]),
        validation: 'strict',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  test('a body without an applications list is an InvalidResponseError', async () => {
    const fetch = pagedFetch([{ status: 0, message: 'error' } as unknown as unknown[]]);
    await expect(listClassLinkTenants({ partnerKey: 'k', fetch })).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  test('a server that ignores offset is caught instead of looping', async () => {
    const row = { tenant_id: 2, bearer: 'b', oneroster_application_id: 'a%3D' };
    const fetch: typeof globalThis.fetch = async () => Response.json({ applications: [row] });
    await expect(listClassLinkTenants({ partnerKey: 'k', fetch })).rejects.toBeInstanceOf(
      PaginationError,
    );
  });

  test('options are checked', async () => {
    await expect(listClassLinkTenants({ partnerKey: '' })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
    await expect(listClassLinkTenants({ partnerKey: 'k', pageSize: 10_001 })).rejects.toThrow(
      'pageSize',
    );
  });
});

/** A fetch answering `/applications` pages in order, asserting the offsets it is asked for. */
function pagedFetch(pages: unknown[][]): typeof globalThis.fetch {
  let expectedOffset = 0;
  let index = 0;
  return async (input, init) => {
    const url = new URL(new Request(input, init).url);
    expect(url.origin + url.pathname).toBe('https://oneroster-proxy.classlink.io/applications');
    expect(Number(url.searchParams.get('offset'))).toBe(expectedOffset);
    const page = pages[index++] ?? [];
    const body = Array.isArray(page) ? { status: 1, applications: page } : page;
    if (Array.isArray(page)) expectedOffset += page.length;
    return Response.json(body);
  };
}

describe('parseClassLinkTenant', () => {
  test('the documented sample row (no enabled/status fields) is usable', () => {
    const parsed = parseClassLinkTenant({
      id: 7,
      tenant_name: 'ClassLink Demo',
      tenant_id: 2,
      application_id: 1234,
      bearer: 'uuid',
      name: 'My App',
      oneroster_application_id: 'MoYPlyQWmG0%3D',
    });
    expect(parsed.ok && parsed.tenant).toMatchObject({
      id: '7',
      tenantId: '2',
      applicationId: 'MoYPlyQWmG0%3D',
      usable: true,
    });
  });

  test.each([
    ['false', false],
    ['FALSE', false],
    [false, false],
    [0, false],
    ['true', true],
    [true, true],
    [1, true],
  ])('enabled %j reads as %s', (enabled, expected) => {
    const parsed = parseClassLinkTenant({
      tenant_id: 2,
      bearer: 'b',
      oneroster_application_id: 'a%3D',
      enabled,
    });
    expect(parsed.ok && parsed.tenant.enabled).toBe(expected);
  });
});

describe('clientForTenant', () => {
  test('builds a proxy client that reads the district roster', async () => {
    const { mock, roster } = classLinkWithTenants(2);
    const tenants = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    const tenant = tenants.find((t) => t.tenantId === '2');
    if (!tenant) throw new Error('no tenant 2');
    const client = clientForTenant(tenant, {
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    const users = await client.users.list().toArray();
    expect(users).toHaveLength(roster.dataset.users.size);
  });

  test('refuses an unusable tenant unless told otherwise; the proxy then answers 403', async () => {
    const { mock } = classLinkWithTenants(1, [{ enabled: false }]);
    const [tenant] = await listClassLinkTenants({
      partnerKey: PARTNER_KEY,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    });
    if (!tenant) throw new Error('no tenant');
    expect(() => clientForTenant(tenant)).toThrow(ConfigurationError);
    const client = clientForTenant(tenant, {
      allowUnusable: true,
      proxyBaseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
      retry: false,
    });
    await expect(client.orgs.list().toArray()).rejects.toBeInstanceOf(PermissionDeniedError);
  });
});

describe('direct credentials', () => {
  test('getDirectCredentials reads /applications/{id}/server and hides the secret in logs', async () => {
    const roster = rosterServer(3, 'https://district-2-tx-v2.oneroster.mock');
    const mock = createMockClassLink({
      partnerKey: PARTNER_KEY,
      tenants: [
        {
          tenantId: 2,
          name: 'District 2',
          server: {
            clientId: 'district-key',
            clientSecret: 'district-secret-987',
            endpointUrl: 'https://district-2-tx-v2.oneroster.mock',
          },
        },
      ],
    });
    const options = {
      partnerKey: PARTNER_KEY,
      applicationId: mock.tenant(2).applicationId,
      baseUrl: mock.endpoints.proxy,
      fetch: mock.fetch,
    };
    const credentials = await getDirectCredentials(options);
    expect(credentials).toMatchObject({
      clientId: 'district-key',
      clientSecret: 'district-secret-987',
      endpointUrl: 'https://district-2-tx-v2.oneroster.mock',
    });
    expect(JSON.stringify(credentials)).not.toContain('district-secret-987');
    expect(inspect(credentials)).not.toContain('district-secret-987');

    const client = await directClientForTenant({ ...options, client: { fetch: roster.fetch } });
    expect(client.baseUrl).toBe('https://district-2-tx-v2.oneroster.mock/ims/oneroster/v1p1');
    const orgs = await client.orgs.list().toArray();
    expect(orgs.length).toBe(roster.dataset.orgs.size);
  });

  test('an unknown application is a NotFoundError', async () => {
    const { mock } = classLinkWithTenants(1);
    await expect(
      getDirectCredentials({
        partnerKey: PARTNER_KEY,
        applicationId: 'Unknown%3D',
        baseUrl: mock.endpoints.proxy,
        fetch: mock.fetch,
        retry: false,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
