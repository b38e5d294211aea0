import { afterAll } from 'vitest';
import { PostgresStorage } from '../../src/storage/postgres';
import { dropSchemas, PG_URL, probePostgres, uniqueSchema } from '../storage/postgres-test-env';
import { defineCrashSuite } from './support/crash-suite';

const available = await probePostgres();
const schema = uniqueSchema('or_crash');
afterAll(async () => {
  if (available) await dropSchemas(schema);
});

defineCrashSuite(
  'PostgresStorage survives SIGKILL',
  () => ({
    name: 'postgres',
    childEnv: { CRASH_ADAPTER: 'postgres', CRASH_DB: PG_URL, CRASH_SCHEMA: schema },
    open: () => PostgresStorage.connect({ connectionString: PG_URL, schema }),
  }),
  !available,
);
