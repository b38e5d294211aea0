/**
 * The PostgreSQL server the tests use: `ONEROSTER_TEST_PG_URL`, by default the local trust-auth
 * server. Outside CI an unreachable server skips the PostgreSQL tests with a visible notice;
 * under `CI=true` it is an error, so CI can never pass by skipping them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The connection string of the test server. */
export const PG_URL =
  process.env.ONEROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the test server answers. Prints why the tests are skipped when it does not; throws
 * under `CI=true`.
 */
export async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI=true but ${redact(PG_URL)} failed: ${why}`);
    }
    console.warn(
      `\n[postgres tests skipped] ${redact(PG_URL)} is unreachable (${why}). ` +
        'Start PostgreSQL or set ONEROSTER_TEST_PG_URL; under CI=true this fails instead.\n',
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** A schema name no other test file (or run) uses. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Run one statement on a short-lived connection. */
export async function pgQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Drop test schemas (and everything in them). */
export async function dropSchemas(...schemas: string[]): Promise<void> {
  for (const schema of schemas) await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
