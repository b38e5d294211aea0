/**
 * Where the examples get their districts and their store.
 *
 * In a service, tenants usually come from its own database, or from ClassLink's `/applications`
 * (`listClassLinkTenants` + `clientForTenant`). Here they come from a JSON file named by
 * `TENANTS_FILE`, each secret in an environment variable:
 *
 *     [{ "id": "district-a", "baseUrl": "https://sis.example/ims/oneroster/v1p1",
 *        "consumerKey": "abc", "consumerSecretEnv": "DISTRICT_A_SECRET" }]
 *
 * The store is PostgreSQL when `DATABASE_URL` is set (tables in the schema `DATABASE_SCHEMA`,
 * default `oneroster`), else the SQLite file `ROSTER_DB` (default `./roster.db`).
 *
 * (The examples import from `../../src`; in your code, import from `@smartpass/oneroster`.)
 */
import { readFile } from 'node:fs/promises';
import type { ClientOptions } from '@smartpass/oneroster';
import type { StorageAdapter } from '@smartpass/oneroster/sync';
import { z } from 'zod';

/** A district: the id its data is stored under, and how to reach its OneRoster server. */
export interface Tenant {
  id: string;
  client: ClientOptions;
}

const tenantsFile = z.array(
  z.strictObject({
    id: z.string().min(1),
    baseUrl: z.url(),
    consumerKey: z.string().min(1),
    consumerSecretEnv: z.string().min(1),
  }),
);

/** Read the tenants of `TENANTS_FILE`; each secret comes from the variable it names. */
export async function loadTenants(path = process.env.TENANTS_FILE): Promise<Tenant[]> {
  if (!path) throw new Error('Set TENANTS_FILE to a JSON file listing the tenants (or use --mock)');
  const rows = tenantsFile.parse(JSON.parse(await readFile(path, 'utf8')));
  return rows.map((row) => {
    const consumerSecret = process.env[row.consumerSecretEnv];
    if (!consumerSecret) throw new Error(`${row.id}: ${row.consumerSecretEnv} is not set`);
    return {
      id: row.id,
      client: {
        baseUrl: row.baseUrl,
        auth: { type: 'oauth1', consumerKey: row.consumerKey, consumerSecret },
      },
    };
  });
}

/** PostgreSQL when `DATABASE_URL` is set, else SQLite at `ROSTER_DB` (default `roster.db`). */
export async function openStorage(): Promise<StorageAdapter> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { PostgresStorage } = await import('../../src/storage/postgres');
    const schema = process.env.DATABASE_SCHEMA;
    return PostgresStorage.connect({ connectionString: url, ...(schema ? { schema } : {}) });
  }
  const { SqliteStorage } = await import('../../src/storage/sqlite');
  return new SqliteStorage({ path: process.env.ROSTER_DB ?? 'roster.db' });
}
