/**
 * The mock renders records only through the models' `toWire` (src/testing/README.md, "Rules"): it
 * keeps no version mapping, reference types or hrefs of its own. Every record of every resource,
 * in both versions, is served exactly as `toWire(record, version, { hrefBase: mock.baseUrl })`,
 * also from the render cache after the dataset changes.
 */
import { describe, expect, it } from 'vitest';
import { toWire } from '../../src/models';
import { type OneRosterVersion, SYNC_RESOURCES } from '../../src/models/types';
import { createMockOneRoster, type Dataset, generateDistrict, mutate } from '../../src/testing';

type Json = Record<string, unknown>;

/** Every record the mock serves for `resource`, by sourcedId, through plain requests. */
async function served(
  mock: ReturnType<typeof createMockOneRoster>,
  resource: string,
): Promise<Map<string, Json>> {
  const res = await mock.fetch(`${mock.baseUrl}/${resource}?limit=100000`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, Json[]>;
  return new Map((body[resource] ?? []).map((record) => [String(record.sourcedId), record]));
}

async function expectServedIsToWire(
  mock: ReturnType<typeof createMockOneRoster>,
  dataset: Dataset,
  version: OneRosterVersion,
): Promise<void> {
  for (const kind of SYNC_RESOURCES) {
    const records = dataset.collection(kind).toArray();
    const byId = await served(mock, kind);
    expect(byId.size, kind).toBe(records.length);
    for (const record of records) {
      const wire = JSON.parse(
        JSON.stringify(toWire(kind, record, version, { hrefBase: mock.baseUrl })),
      ) as unknown;
      expect(byId.get(record.sourcedId), `${kind} ${record.sourcedId}`).toStrictEqual(wire);
    }
  }
}

describe.each(['1.1', '1.2'] as const)('OneRoster %s mock renders through toWire', (version) => {
  it('serves every record as toWire renders it, before and after changes', async () => {
    const dataset = generateDistrict({ seed: 5, schools: 2, studentsPerSchool: 12 });
    const mock = createMockOneRoster({
      dataset,
      version,
      baseUrl: 'https://sis.example.test/district-9',
      maxPageSize: 100_000,
    });
    await expectServedIsToWire(mock, dataset, version);
    // The first pass filled the render cache; changed records must not be served stale.
    mutate(dataset, { seed: 2, add: 2, update: 0.2, markToBeDeleted: { users: 2, classes: 1 } });
    await expectServedIsToWire(mock, dataset, version);
  });
});
