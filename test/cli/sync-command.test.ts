/**
 * `oneroster sync` run in-process (fake terminal and streams) against a mock district served
 * over real HTTP, with a real SQLite file.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { PostgresStorage } from '../../src/storage/postgres';
import { SqliteStorage } from '../../src/storage/sqlite';
import type { SyncReport } from '../../src/sync';
import { mutate } from '../../src/testing';
import { dropSchemas, PG_URL, probePostgres, uniqueSchema } from '../storage/postgres-test-env';
import { startDistrict, type TestDistrict } from './helpers/district';
import { createTestIo, type TestIo } from './helpers/test-io';

let district: TestDistrict;
beforeEach(async () => {
  district = await startDistrict();
});
afterEach(async () => {
  await district.close();
});

async function countUsers(tenantId = 'district-a'): Promise<number> {
  const storage = new SqliteStorage({ path: join(district.dir, 'roster.db') });
  try {
    return await storage.count('users', { tenantId });
  } finally {
    await storage.close();
  }
}

async function sync(args: string[], io: TestIo = createTestIo({ env: district.env })) {
  const code = await runCli(['sync', ...args], io);
  return { code, io };
}

describe('oneroster sync', () => {
  it('runs a full sync, shows progress on stderr and the report on stdout', async () => {
    const config = await district.writeConfig();
    const { code, io } = await sync(['--config', config]);
    expect(code).toBe(0);
    expect(io.err()).toMatch(/^\[district-a\] full sync started \(run \w{8}\)$/m);
    expect(io.err()).toMatch(/^\[district-a\] users: \d+ records in /m);
    expect(io.out()).toMatch(/district-a: full sync succeeded in .* \(run \w{8}\)/);
    expect(io.out()).toMatch(/^users\s+\d+\s+\d+\s+0\s+0\s+0\s+0$/m);
    expect(await countUsers()).toBe(district.dataset.users.size);
    // The second run of `auto` is incremental.
    const again = await sync(['--config', config, '--json']);
    const [report] = JSON.parse(again.io.out()) as SyncReport[];
    expect(report?.mode).toBe('incremental');
    expect(report?.status).toBe('succeeded');
  });

  it('prints the reports as JSON, one per tenant, in config order', async () => {
    const config = await district.writeConfig({
      tenants: [
        district.tenant('district-a'),
        district.tenant('district-b', { resources: ['orgs'] }),
      ],
    });
    const { code, io } = await sync(['--config', config, '--json', '--quiet']);
    expect(code).toBe(0);
    expect(io.err()).toBe('');
    const reports = JSON.parse(io.out()) as SyncReport[];
    expect(reports.map((r) => [r.tenantId, r.status, Object.keys(r.resources)])).toEqual([
      [
        'district-a',
        'succeeded',
        ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'enrollments', 'demographics'],
      ],
      ['district-b', 'succeeded', ['orgs']],
    ]);
  });

  it('syncs only the tenants named with --tenant, in the mode asked for', async () => {
    const config = await district.writeConfig({
      tenants: [
        district.tenant('district-a'),
        district.tenant('district-b', { mode: 'incremental' }),
      ],
    });
    const { code, io } = await sync([
      '--config',
      config,
      '--tenant',
      'district-b',
      '--mode',
      'full',
      '--json',
      '-q',
    ]);
    expect(code).toBe(0);
    const reports = JSON.parse(io.out()) as SyncReport[];
    expect(reports.map((r) => [r.tenantId, r.mode, r.requestedMode])).toEqual([
      ['district-b', 'full', 'full'],
    ]);
  });

  it('writes nothing on --dry-run', async () => {
    const config = await district.writeConfig();
    const { code, io } = await sync(['--config', config, '--dry-run', '--json', '-q']);
    expect(code).toBe(0);
    const [report] = JSON.parse(io.out()) as SyncReport[];
    expect(report?.dryRun).toBe(true);
    expect(report?.resources.users?.created).toBe(district.dataset.users.size);
    expect(await countUsers()).toBe(0);
  });

  describe('shrink guard', () => {
    async function shrunk() {
      const config = await district.writeConfig();
      expect((await sync(['--config', config, '-q'])).code).toBe(0);
      mutate(district.dataset, { hardDelete: { users: 25 } });
      return config;
    }

    it('exits 3 when the guard refuses, and says how to override', async () => {
      const config = await shrunk();
      const before = await countUsers();
      const { code, io } = await sync(['--config', config, '--mode', 'full', '-q']);
      expect(code).toBe(3);
      expect(io.err()).toMatch(
        /^oneroster: district-a: refused by the shrink guard: .+ Nothing was changed\. If the district really removed these records, rerun with --force\.\n$/,
      );
      // The engine's advice for library users ("force: true") is replaced, not repeated.
      expect(io.err()).not.toMatch(/force: true|Refused by/);
      expect(io.out()).toContain('full sync refused by the shrink guard');
      expect(await countUsers()).toBe(before);
    });

    it('applies with --force --yes', async () => {
      const config = await shrunk();
      const { code, io } = await sync([
        '--config',
        config,
        '--mode',
        'full',
        '--force',
        '--yes',
        '--json',
        '-q',
      ]);
      expect(code).toBe(0);
      const [report] = JSON.parse(io.out()) as SyncReport[];
      expect(report?.status).toBe('succeeded');
      expect(report?.warnings.join(' ')).toMatch(/Shrink guard overridden with force/);
      expect(await countUsers()).toBe(district.dataset.users.size);
    });

    it('refuses --force without --yes when nobody can confirm', async () => {
      const config = await shrunk();
      const { code, io } = await sync(['--config', config, '--mode', 'full', '--force']);
      expect(code).toBe(2);
      expect(io.err()).toBe(
        'oneroster: --force needs --yes when oneroster is not run from a terminal (nobody can confirm)\n',
      );
    });

    it('asks on a terminal, and runs nothing unless the answer is yes', async () => {
      const config = await shrunk();
      const before = await countUsers();
      const no = createTestIo({ tty: true, env: district.env });
      const pending = sync(['--config', config, '--mode', 'full', '--force', '--quiet'], no);
      await until(() => no.err().includes('[y/N]'));
      no.type('n\n');
      expect((await pending).code).toBe(3);
      expect(no.err()).toContain(
        '--force applies deletions the shrink guard would refuse (tenants: district-a). Continue? [y/N]',
      );
      expect(no.err()).toContain('oneroster: not confirmed; nothing was run');
      expect(await countUsers()).toBe(before);

      const yes = createTestIo({ tty: true, env: district.env });
      const confirmed = sync(['--config', config, '--mode', 'full', '--force', '--quiet'], yes);
      await until(() => yes.err().includes('[y/N]'));
      yes.type('yes\n');
      expect((await confirmed).code).toBe(0);
      expect(await countUsers()).toBe(district.dataset.users.size);
    });

    it('rejects --force with --dry-run', async () => {
      const config = await district.writeConfig();
      const { code, io } = await sync(['--config', config, '--force', '--yes', '--dry-run']);
      expect(code).toBe(2);
      expect(io.err()).toMatch(/--force and --dry-run together/);
    });
  });

  it('exits 1 when one tenant fails, after syncing the others', async () => {
    const config = await district.writeConfig({
      tenants: [
        district.tenant('bad', {
          auth: {
            type: 'oauth1',
            consumerKey: 'test-consumer',
            consumerSecret: { env: 'WRONG_SECRET' },
          },
        }),
        district.tenant('good'),
      ],
    });
    const io = createTestIo({ env: { ...district.env, WRONG_SECRET: 'not-the-secret' } });
    const { code } = await sync(['--config', config, '--json', '-q'], io);
    expect(code).toBe(1);
    const reports = JSON.parse(io.out()) as SyncReport[];
    expect(reports.map((r) => [r.tenantId, r.status])).toEqual([
      ['bad', 'failed'],
      ['good', 'succeeded'],
    ]);
    const lines = io.err().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^oneroster: bad: Pulling orgs failed: GET http:\/\/127\.0\.0\.1:\d+\/.* failed with HTTP 401 .*Check the consumer key and secret/,
    );
    expect(io.err()).not.toContain('not-the-secret');
  });

  it('checks every tenant’s secrets before the first sync starts', async () => {
    const config = await district.writeConfig({
      tenants: [
        district.tenant('a'),
        district.tenant('b', { auth: { type: 'bearer', token: { env: 'B_TOKEN' } } }),
      ],
    });
    const { code, io } = await sync(['--config', config]);
    expect(code).toBe(2);
    expect(io.err()).toMatch(
      /`tenants\[1\]\.auth\.token` reads the environment variable B_TOKEN, which is not set/,
    );
    expect(io.err()).not.toContain('sync started');
    expect(await countUsers('a')).toBe(0);
  });

  it('fails fast with a hint when another run holds the tenant lock', async () => {
    const config = await district.writeConfig();
    const holder = new SqliteStorage({ path: join(district.dir, 'roster.db') });
    const lock = await holder.acquireLock('district-a', 'someone-else');
    try {
      expect(lock).not.toBeNull();
      const { code, io } = await sync(['--config', config, '-q']);
      expect(code).toBe(1);
      expect(io.err()).toMatch(
        /^oneroster: district-a: A sync run for tenant "district-a" is already in progress .*Wait for the other run to finish/,
      );
    } finally {
      await lock?.release();
      await holder.close();
    }
  });

  it('aborts on Ctrl+C: nothing is applied and the exit code is 130', async () => {
    const config = await district.writeConfig();
    // Slow responses so that the run is still pulling when the signal comes.
    district.mock.faults.set([{ kind: 'slow', delayMs: 300 }]);
    const io = createTestIo({ env: district.env });
    const pending = sync(['--config', config], io);
    await until(() => io.err().includes('sync started'));
    io.signal('SIGINT');
    const { code } = await pending;
    expect(code).toBe(130);
    expect(io.err()).toContain(
      'oneroster: SIGINT: aborting; nothing of the running sync is applied',
    );
    expect(io.out()).toMatch(/full sync failed/);
    expect(io.handlers()).toBe(0);
    expect(await countUsers()).toBe(0);
  });

  it('rejects an unknown mode before reading the config', async () => {
    const { code, io } = await sync(['--config', 'nowhere.json', '--mode', 'fast']);
    expect(code).toBe(2);
    expect(io.err()).toBe(
      "oneroster: option '-m, --mode <mode>' argument 'fast' is invalid. Allowed choices are full, incremental, auto. (see 'oneroster sync --help')\n",
    );
  });
});

const postgres = await probePostgres();

describe.runIf(postgres)('with PostgreSQL storage', () => {
  it('syncs into the schema the config names, the URL read from the environment', async () => {
    const schema = uniqueSchema('cli');
    try {
      const config = await district.writeConfig({
        storage: { type: 'postgres', url: { env: 'TEST_PG_URL' }, schema },
      });
      const io = createTestIo({ env: { ...district.env, TEST_PG_URL: PG_URL } });
      const { code } = await sync(['--config', config, '-q', '--json'], io);
      expect(code).toBe(0);
      expect((JSON.parse(io.out()) as SyncReport[])[0]?.status).toBe('succeeded');
      const storage = await PostgresStorage.connect({ connectionString: PG_URL, schema });
      try {
        expect(await storage.count('users', { tenantId: 'district-a' })).toBe(
          district.dataset.users.size,
        );
      } finally {
        await storage.close();
      }
      const runs = createTestIo({ env: { TEST_PG_URL: PG_URL } });
      expect(await runCli(['runs', '--config', config, '--json'], runs)).toBe(0);
      expect((JSON.parse(runs.out()) as SyncReport[]).map((r) => r.mode)).toEqual(['full']);
    } finally {
      await dropSchemas(schema);
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
