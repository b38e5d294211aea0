import { createMockOneRoster, generateDistrict } from '../../src/testing';
import { createMockClassLink, type MockClassLinkTenant } from '../../src/testing/classlink';

/** A small district behind a mock OneRoster 1.1 server (ClassLink paging headers). */
export function rosterServer(seed = 1, baseUrl = 'https://district-tx-v2.oneroster.mock') {
  return createMockOneRoster({
    dataset: generateDistrict({
      seed,
      schools: 2,
      studentsPerSchool: 12,
      teachersPerSchool: 3,
      classesPerSchool: 4,
      coursesPerSchool: 2,
      classesPerStudent: 2,
    }),
    version: '1.1',
    pagingHeaders: 'classlink',
    baseUrl,
  });
}

/** A mock ClassLink with `count` tenants; tenant 2 has a roster behind the proxy. */
export function classLinkWithTenants(count = 3, overrides: Partial<MockClassLinkTenant>[] = []) {
  const roster = rosterServer();
  const tenants: MockClassLinkTenant[] = [];
  for (let i = 0; i < count; i++) {
    const tenantId = i + 2;
    tenants.push({
      tenantId,
      name: `District ${tenantId}`,
      ...(tenantId === 2 ? { roster: { baseUrl: roster.baseUrl, fetch: roster.fetch } } : {}),
      ...overrides[i],
    });
  }
  const mock = createMockClassLink({ tenants, partnerKey: 'partner-key-abc123' });
  return { mock, roster };
}
