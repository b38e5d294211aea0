/**
 * Integration helpers: the real client against the package's mock server, and a check that a
 * store holds exactly what the server serves.
 */
import { expect } from 'vitest';
import { OneRosterClient } from '../../src/client';
import { parseRecord } from '../../src/models';
import { type OneRosterVersion, SYNC_RESOURCES, type SyncResource } from '../../src/models/types';
import type { ClientOptions } from '../../src/options';
import type { StorageAdapter } from '../../src/storage/types';
import {
  createMockOneRoster,
  type Dataset,
  generateDistrict,
  type MockOneRoster,
  type MockOneRosterOptions,
} from '../../src/testing';

/** A small district: 2 schools, a few hundred records in all. */
export function smallDistrict(seed = 7): Dataset {
  return generateDistrict({
    seed,
    schools: 2,
    studentsPerSchool: 15,
    teachersPerSchool: 3,
    classesPerSchool: 6,
    coursesPerSchool: 3,
    classesPerStudent: 3,
  });
}

export function mockServer(
  version: OneRosterVersion,
  dataset: Dataset = smallDistrict(),
  options: Partial<MockOneRosterOptions> = {},
): MockOneRoster {
  return createMockOneRoster({ dataset, version, ...options });
}

/** A client with no client-side rate limit and millisecond retries, so fault tests stay fast. */
export function clientFor(
  mock: MockOneRoster,
  options: Partial<ClientOptions> = {},
): OneRosterClient {
  return new OneRosterClient({
    baseUrl: mock.baseUrl,
    fetch: mock.fetch,
    rateLimit: false,
    retry: { retries: 4, minDelayMs: 1, maxDelayMs: 4, totalTimeoutMs: 10_000 },
    pageSize: 40,
    ...options,
  });
}

/**
 * What the server serves now, per resource: sourcedId -> wire record. Read with plain requests
 * (the mock may clamp pages), bypassing the client under test. Clear faults first.
 */
export async function serverRecords(
  mock: MockOneRoster,
): Promise<Record<SyncResource, Map<string, Record<string, unknown>>>> {
  const out = {} as Record<SyncResource, Map<string, Record<string, unknown>>>;
  for (const resource of SYNC_RESOURCES) {
    const records = new Map<string, Record<string, unknown>>();
    for (let offset = 0; ; ) {
      const url = `${mock.baseUrl}/${resource}?limit=10000&offset=${offset}`;
      const response = await mock.handle(new Request(url));
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, Array<Record<string, unknown>>>;
      const page = body[resource] ?? [];
      if (page.length === 0) break;
      for (const record of page) records.set(String(record.sourcedId), record);
      offset += page.length;
    }
    out[resource] = records;
  }
  return out;
}

/**
 * The store's live records are exactly the server's non-deleted records: same ids, raw equal
 * to the wire record, data equal to the wire record normalised.
 */
export async function expectStoreEqualsServer(
  storage: StorageAdapter,
  tenantId: string,
  mock: MockOneRoster,
): Promise<void> {
  const server = await serverRecords(mock);
  for (const resource of SYNC_RESOURCES) {
    const expectedIds = [...server[resource].entries()]
      .filter(([, wire]) => wire.status === 'active')
      .map(([id]) => id)
      .sort();
    const storedIds: string[] = [];
    for await (const record of storage.list(resource, { tenantId })) {
      storedIds.push(record.sourcedId);
      const wire = server[resource].get(record.sourcedId);
      expect(record.raw, `${resource} ${record.sourcedId} raw`).toEqual(wire);
      const parsed = parseRecord(resource, wire, { version: mock.version, mode: 'strict' });
      expect(parsed.ok, `${resource} ${record.sourcedId} parses`).toBe(true);
      if (parsed.ok) {
        expect(record.data, `${resource} ${record.sourcedId} data`).toEqual(
          JSON.parse(JSON.stringify(parsed.record)),
        );
      }
    }
    expect(storedIds, `${resource} ids`).toEqual(expectedIds);
  }
}

/** Remove `href` keys everywhere (the dataset stores references without them). */
export function withoutHrefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutHrefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'href')
      .map(([key, item]) => [key, withoutHrefs(item)]),
  );
}

/** A fetch that runs `tamper` on the JSON body of matching collection responses. */
export function tamperingFetch(
  inner: typeof fetch,
  matches: (url: URL) => boolean,
  tamper: (body: Record<string, unknown>) => void,
): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!matches(url) || response.status !== 200) return response;
    const body = (await response.json()) as Record<string, unknown>;
    tamper(body);
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: 200, headers });
  };
}
