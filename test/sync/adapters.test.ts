/**
 * The engine on the real databases: the same run sequence (full, changes, a failing run, a delta,
 * hard deletes, a reconciling full run) against SQLite and PostgreSQL, checking after each run
 * that the store equals the server or the previous committed state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYNC_RESOURCES } from '../../src/models/types';
import { PostgresStorage } from '../../src/storage/postgres';
import { SqliteStorage } from '../../src/storage/sqlite';
import type { StorageAdapter, StoredRecord } from '../../src/storage/types';
import { createSync } from '../../src/sync';
import { mutate } from '../../src/testing';
import { dropSchemas, PG_URL, probePostgres, uniqueSchema } from '../storage/postgres-test-env';
import { clientFor, expectStoreEqualsServer, mockServer, smallDistrict } from './mock-helpers';

const TENANT = 'district-db';
const dir = mkdtempSync(join(tmpdir(), 'oneroster-sync-'));
const schema = uniqueSchema('or_sync');
const pgAvailable = await probePostgres();

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (pgAvailable) await dropSchemas(schema);
});

async function dump(storage: StorageAdapter) {
  const records: StoredRecord[] = [];
  for (const resource of SYNC_RESOURCES) {
    for await (const r of storage.list(resource, { tenantId: TENANT, includeDeleted: true })) {
      records.push(r);
    }
  }
  return { records, state: await storage.getState(TENANT) };
}

const adapters: Array<[string, boolean, () => Promise<StorageAdapter>]> = [
  ['sqlite', true, async () => SqliteStorage.open(join(dir, 'sync.db'))],
  ['postgres', pgAvailable, () => PostgresStorage.connect({ connectionString: PG_URL, schema })],
];

describe.each(adapters)('the engine on %s', (_name, available, open) => {
  it.skipIf(!available)(
    'keeps the store equal to the server, or to the previous state when a run fails',
    async () => {
      const storage = await open();
      try {
        const dataset = smallDistrict(11);
        const mock = mockServer('1.1', dataset);
        const sync = createSync({ client: clientFor(mock), storage, tenantId: TENANT });

        const first = await sync.run();
        expect(first.errors).toEqual([]);
        expect(first).toMatchObject({ status: 'succeeded', mode: 'full' });
        await expectStoreEqualsServer(storage, TENANT, mock);

        mutate(dataset, { seed: 5, add: 3, update: 0.2, markToBeDeleted: 0.05 });
        const before = await dump(storage);
        mock.faults.set([{ kind: 'status', status: 503, path: '/enrollments', every: 1 }]);
        const failed = await sync.run({ mode: 'incremental' });
        mock.faults.clear();
        expect(failed.status).toBe('failed');
        expect(await dump(storage)).toEqual(before);

        const delta = await sync.run();
        expect(delta).toMatchObject({ status: 'succeeded', mode: 'incremental' });
        expect(delta.resources.users?.created).toBeGreaterThan(0);
        await expectStoreEqualsServer(storage, TENANT, mock);

        mutate(dataset, { seed: 6, hardDelete: 0.1 });
        const full = await sync.run({ mode: 'full' });
        expect(full.status).toBe('succeeded');
        expect(full.resources.users?.deleted).toBeGreaterThan(0);
        await expectStoreEqualsServer(storage, TENANT, mock);
        const runs = await storage.runs({ tenantId: TENANT });
        expect(runs.map((r) => r.status)).toEqual([
          'succeeded',
          'succeeded',
          'failed',
          'succeeded',
        ]);
      } finally {
        await storage.close();
      }
    },
  );
});
