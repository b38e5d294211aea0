import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStorage } from '../../src/storage/sqlite';
import { defineCrashSuite } from './support/crash-suite';

const dir = mkdtempSync(join(tmpdir(), 'oneroster-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

defineCrashSuite('SqliteStorage survives SIGKILL', () => {
  const path = join(dir, `store-${++files}.sqlite`);
  return {
    name: 'sqlite',
    childEnv: { CRASH_ADAPTER: 'sqlite', CRASH_DB: path },
    open: async () => new SqliteStorage({ path }),
  };
});
