/**
 * examples/nightly-sync.ts: its schedule across daylight saving changes, one cycle against mock
 * districts, and its shutdown on SIGTERM.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextNightlyRuns, SCHEDULE } from '../../examples/nightly-sync';
import { PostgresStorage } from '../../src/storage/postgres';
import { SqliteStorage } from '../../src/storage/sqlite';
import {
  createMockOneRoster,
  generateDistrict,
  type MockListener,
  type MockOneRoster,
} from '../../src/testing';
import { dropSchemas, PG_URL, probePostgres, uniqueSchema } from '../storage/postgres-test-env';
import { runExample, startExample } from './helpers';

const postgres = await probePostgres();

const newYorkTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

describe('schedule', () => {
  it('is 23:00 New York time', () => {
    expect(SCHEDULE).toEqual({ pattern: '0 23 * * *', timezone: 'America/New_York' });
  });

  it('keeps 23:00 local across the start of daylight saving time (8 March 2026)', () => {
    const runs = nextNightlyRuns(4, new Date('2026-03-06T12:00:00Z')).map((d) => d.toISOString());
    expect(runs).toEqual([
      '2026-03-07T04:00:00.000Z', // EST, UTC-5
      '2026-03-08T04:00:00.000Z',
      '2026-03-09T03:00:00.000Z', // EDT, UTC-4
      '2026-03-10T03:00:00.000Z',
    ]);
  });

  it('keeps 23:00 local across the end of daylight saving time (1 November 2026)', () => {
    const runs = nextNightlyRuns(4, new Date('2026-10-30T12:00:00Z'));
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-10-31T03:00:00.000Z', // EDT
      '2026-11-01T03:00:00.000Z',
      '2026-11-02T04:00:00.000Z', // EST
      '2026-11-03T04:00:00.000Z',
    ]);
    for (const run of runs) expect(newYorkTime.format(run)).toBe('23:00');
  });

  it('prints the next start times with --next', async () => {
    const result = await runExample('nightly-sync.ts', ['--next', '3']);
    expect(result.code).toBe(0);
    const times = result.stdout
      .trim()
      .split('\n')
      .map((line) => new Date(line));
    expect(times).toHaveLength(3);
    for (const time of times) expect(newYorkTime.format(time)).toBe('23:00');
  });
});

describe('one cycle against mock districts', () => {
  it('runs with one command: --mock --now', async () => {
    const result = await runExample('nightly-sync.ts', ['--mock', '--now']);
    expect(result.code).toBe(0);
    const finished = result.logs.filter((entry) => entry.msg === 'tenant sync finished');
    expect(finished.map((entry) => [entry.tenant, entry.status, entry.mode])).toEqual([
      ['district-1', 'succeeded', 'full'],
      ['district-2', 'succeeded', 'full'],
    ]);
    expect(finished[0]?.created).toBeGreaterThan(0);
    expect(result.logs.at(-1)?.msg).toBe('stopped');
  });
});

describe('production path: tenants file, SQLite file, a server of our own', () => {
  let mock: MockOneRoster;
  let listener: MockListener;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    mock = createMockOneRoster({
      dataset: generateDistrict({ seed: 11, schools: 1, studentsPerSchool: 40 }),
      version: '1.1',
      auth: { type: 'oauth1', consumers: { 'key-11': 'secret-11' } },
    });
    listener = await mock.listen();
    dir = await mkdtemp(join(tmpdir(), 'nightly-test-'));
    const tenantsFile = join(dir, 'tenants.json');
    await writeFile(
      tenantsFile,
      JSON.stringify([
        {
          id: 'district-11',
          baseUrl: listener.baseUrl,
          consumerKey: 'key-11',
          consumerSecretEnv: 'D11_SECRET',
        },
      ]),
    );
    env = { TENANTS_FILE: tenantsFile, ROSTER_DB: join(dir, 'roster.db'), D11_SECRET: 'secret-11' };
  });
  afterAll(async () => {
    await listener.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function storedUsers(): Promise<number> {
    const storage = new SqliteStorage({ path: join(dir, 'roster.db') });
    try {
      return await storage.count('users', { tenantId: 'district-11' });
    } finally {
      await storage.close();
    }
  }

  it('syncs in auto mode: full the first night, incremental the next', async () => {
    const first = await runExample('nightly-sync.ts', ['--now'], env);
    expect(first.code).toBe(0);
    expect(first.logs.find((e) => e.msg === 'tenant sync finished')).toMatchObject({
      tenant: 'district-11',
      status: 'succeeded',
      mode: 'full',
    });
    const second = await runExample('nightly-sync.ts', ['--now'], env);
    expect(second.logs.find((e) => e.msg === 'tenant sync finished')).toMatchObject({
      mode: 'incremental',
      status: 'succeeded',
    });
    expect(await storedUsers()).toBe(mock.dataset.users.size);
  });

  it.runIf(postgres)('syncs into PostgreSQL when DATABASE_URL is set', async () => {
    const schema = uniqueSchema('nightly');
    try {
      const result = await runExample('nightly-sync.ts', ['--now'], {
        ...env,
        DATABASE_URL: PG_URL,
        DATABASE_SCHEMA: schema,
      });
      expect(result.code).toBe(0);
      expect(result.logs.find((e) => e.msg === 'tenant sync finished')).toMatchObject({
        status: 'succeeded',
        mode: 'full',
      });
      const storage = await PostgresStorage.connect({ connectionString: PG_URL, schema });
      try {
        expect(await storage.count('users', { tenantId: 'district-11' })).toBe(
          mock.dataset.users.size,
        );
      } finally {
        await storage.close();
      }
    } finally {
      await dropSchemas(schema);
    }
  });

  it('exits 1 when a tenant fails, with the reason in its summary line', async () => {
    const result = await runExample('nightly-sync.ts', ['--now'], { ...env, D11_SECRET: 'wrong' });
    expect(result.code).toBe(1);
    const line = result.logs.find((e) => e.msg === 'tenant sync finished');
    expect(line).toMatchObject({ level: 'error', status: 'failed' });
    expect(String(line?.reason)).toMatch(/HTTP 401/);
    expect(result.stdout).not.toContain('wrong');
  });

  it('on SIGTERM lets the running sync finish within the grace period', async () => {
    mock.faults.set([{ kind: 'slow', delayMs: 150 }]);
    try {
      const job = startExample('nightly-sync.ts', ['--now'], {
        ...env,
        SHUTDOWN_GRACE_MS: '60000',
      });
      await job.waitForLog('nightly cycle started');
      job.child.kill('SIGTERM');
      const { code } = await job.exited;
      expect(code).toBe(0);
      const messages = job.logs().map((e) => e.msg);
      expect(messages).toEqual([
        'nightly cycle started',
        'shutting down',
        'tenant sync finished',
        'stopped',
      ]);
      expect(job.logs()[1]).toMatchObject({ signal: 'SIGTERM', syncRunning: true });
      expect(job.logs()[2]).toMatchObject({ status: 'succeeded' });
    } finally {
      mock.faults.clear();
    }
  });

  it('on SIGTERM aborts the running sync after the grace period, applying nothing of it', async () => {
    const { mutate } = await import('../../src/testing');
    const before = await storedUsers();
    mutate(mock.dataset, { add: { students: 5 } });
    mock.faults.set([{ kind: 'slow', delayMs: 300 }]);
    try {
      const job = startExample('nightly-sync.ts', ['--now'], { ...env, SHUTDOWN_GRACE_MS: '0' });
      await job.waitForLog('nightly cycle started');
      job.child.kill('SIGTERM');
      const { code } = await job.exited;
      expect(code).toBe(1);
      const messages = job.logs().map((e) => e.msg);
      expect(messages).toContain(
        'grace period over: aborting the running sync (nothing of it is applied)',
      );
      expect(job.logs().find((e) => e.msg === 'tenant sync finished')).toMatchObject({
        status: 'failed',
      });
      expect(messages.at(-1)).toBe('stopped');
      expect(await storedUsers()).toBe(before);
    } finally {
      mock.faults.clear();
    }
  });

  it('schedules the next 23:00 run and stops cleanly on SIGTERM', async () => {
    const job = startExample('nightly-sync.ts', [], env);
    const scheduled = await job.waitForLog('nightly sync scheduled');
    expect(scheduled).toMatchObject({ timezone: 'America/New_York', tenants: ['district-11'] });
    expect(newYorkTime.format(new Date(String(scheduled.next)))).toBe('23:00');
    job.child.kill('SIGTERM');
    expect((await job.exited).code).toBe(0);
    expect(job.logs().map((e) => e.msg)).toEqual([
      'nightly sync scheduled',
      'shutting down',
      'stopped',
    ]);
  });
});
