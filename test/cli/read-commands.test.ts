/**
 * `oneroster get`, `runs` and `mock-server`, run in-process against real HTTP servers.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { OneRosterClient } from '../../src/client';
import type { SyncReport } from '../../src/sync';
import { startDistrict, type TestDistrict } from './helpers/district';
import { createTestIo } from './helpers/test-io';

let district: TestDistrict;
let config: string;
beforeAll(async () => {
  district = await startDistrict();
  config = await district.writeConfig();
});
afterAll(async () => {
  await district.close();
});

async function cli(args: string[], env: Record<string, string> = district.env) {
  const io = createTestIo({ env });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('oneroster get', () => {
  it('prints a table of default columns, at most 100 rows unless --limit is given', async () => {
    const { code, out, err } = await cli(['get', 'users', '--config', config]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^sourcedId\s+status\s+givenName\s+familyName\s+username\s+email\s+roles$/,
    );
    expect(lines).toHaveLength(2 + Math.min(100, district.dataset.users.size));
    if (district.dataset.users.size > 100) {
      expect(err).toBe(
        'oneroster: showing the first 100 users; use --limit, or --format ndjson/csv to stream them all\n',
      );
    }
  });

  it('streams NDJSON of every record, filtered and sorted by the server', async () => {
    const { code, out } = await cli([
      'get',
      'users',
      '--config',
      config,
      '--filter',
      "role='teacher'",
      '--sort',
      'familyName',
      '--order',
      'desc',
      '--format',
      'ndjson',
    ]);
    expect(code).toBe(0);
    const users = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { familyName: string; roles: Array<{ role: string }> });
    const teachers = district.dataset.users
      .toArray()
      .filter((u) => u.roles.some((r) => r.role === 'teacher'));
    expect(users).toHaveLength(teachers.length);
    expect(users.every((u) => u.roles[0]?.role === 'teacher')).toBe(true);
    const names = users.map((u) => u.familyName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    // The filter went to the server, not through a client-side scan.
    const sent = district.mock.log.entries.at(-1);
    expect(sent?.url).toContain('filter=');
  });

  it('writes CSV of the requested fields, and stops at --limit with one small request', async () => {
    const requests = district.mock.log.entries.length;
    const { code, out } = await cli([
      'get',
      'classes',
      '-c',
      config,
      '--fields',
      'sourcedId,title',
      '-f',
      'csv',
      '-n',
      '3',
    ]);
    expect(code).toBe(0);
    const lines = out.split('\r\n');
    expect(lines[0]).toBe('sourcedId,title');
    expect(lines.slice(1, 4).map((line) => line.split(',')[0])).toEqual(
      district.dataset.classes
        .toArray()
        .slice(0, 3)
        .map((c) => c.sourcedId),
    );
    expect(lines[4]).toBe('');
    const sent = district.mock.log.entries.slice(requests);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toMatch(/limit=3&/);
  });

  it('prints a JSON array, and one record as an object', async () => {
    const list = await cli(['get', 'orgs', '-c', config, '-f', 'json']);
    const orgs = JSON.parse(list.out) as Array<{ sourcedId: string }>;
    expect(orgs.map((o) => o.sourcedId)).toEqual(
      district.dataset.orgs.toArray().map((o) => o.sourcedId),
    );
    const id = district.dataset.users.toArray()[0]?.sourcedId as string;
    const one = await cli(['get', 'users', id, '-c', config, '-f', 'json']);
    expect((JSON.parse(one.out) as { sourcedId: string }).sourcedId).toBe(id);
    const table = await cli(['get', 'users', id, '-c', config]);
    expect(table.out).toMatch(new RegExp(`^sourcedId\\s+${id}$`, 'm'));
    expect(table.out).toMatch(/^dateLastModified\s+\d{4}-/m);
  });

  it('accepts resource names case-insensitively and with dashes', async () => {
    expect(
      (await cli(['get', 'Academic-Sessions', '-c', config, '-n', '1', '-f', 'ndjson'])).code,
    ).toBe(0);
  });

  it.each([
    [['get', 'people', '-c', 'x.json'], /unknown resource "people"; choose one of orgs, schools, /],
    [['get', 'users', '-c', 'x.json', '--order', 'asc'], /--order needs --sort/],
    [['get', 'users', 'u-1', '-c', 'x.json', '--limit', '2'], /apply to lists/],
    [
      ['get', 'users', '-c', 'x.json', '--format', 'xml'],
      /argument 'xml' is invalid\. Allowed choices are table, json, ndjson, csv\./,
    ],
    [
      ['get', 'users', '-c', 'x.json', '--limit', '0'],
      /--limit must be a whole number >= 1, got "0"/,
    ],
  ])('exits 2 for %j', async (args, message) => {
    const { code, err, out } = await cli(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toBe('');
  });

  it('asks for --tenant when the config has several', async () => {
    const two = await district.writeConfig({
      tenants: [district.tenant('a'), district.tenant('b')],
    });
    const { code, err } = await cli(['get', 'orgs', '-c', two]);
    expect(code).toBe(2);
    expect(err).toMatch(/has 2 tenants: choose one with --tenant \(a, b\)/);
    expect((await cli(['get', 'orgs', '-c', two, '-t', 'b', '-f', 'ndjson'])).code).toBe(0);
  });

  it('exits 1 with the server’s answer for an unknown id or filter field', async () => {
    const missing = await cli(['get', 'users', 'no-such-user', '-c', config]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^oneroster: GET http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster\/v1p1\/users\/no-such-user failed with HTTP 404/,
    );
    const badFilter = await cli(['get', 'users', '-c', config, '--filter', "shoeSize='9'"]);
    expect(badFilter.code).toBe(1);
    expect(badFilter.err).toMatch(/HTTP 400/);
  });
});

describe('oneroster runs', () => {
  beforeAll(async () => {
    const io = createTestIo({ env: district.env });
    expect(await runCli(['sync', '-c', config, '-q'], io)).toBe(0);
    expect(await runCli(['sync', '-c', config, '-q', '--mode', 'incremental'], io)).toBe(0);
  });

  it('lists the stored runs, newest first', async () => {
    const { code, out } = await cli(['runs', '-c', config]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^started \(UTC\)/);
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/)[3])).toEqual(['incremental', 'full']);
  });

  it('reads a SQLite file directly with --db, as JSON or in detail', async () => {
    const db = join(district.dir, 'roster.db');
    const json = await cli([
      'runs',
      '--db',
      db,
      '--tenant',
      'district-a',
      '--json',
      '--limit',
      '1',
    ]);
    const reports = JSON.parse(json.out) as SyncReport[];
    expect(reports.map((r) => r.mode)).toEqual(['incremental']);
    const details = await cli(['runs', '--db', db, '--tenant', 'district-a', '--details']);
    expect(details.out).toMatch(/^district-a: incremental sync succeeded/m);
    expect(details.out).toMatch(/^district-a: full sync succeeded/m);
    expect(details.out).toMatch(/^users\s+/m);
  });

  it('says so when a tenant has no runs', async () => {
    const other = await district.writeConfig({ tenants: [district.tenant('never-synced')] });
    const { code, err, out } = await cli(['runs', '-c', other]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe('oneroster: no runs stored for never-synced\n');
  });

  it.each([
    [['runs'], /give either --config <file> or --db <sqlite file>/],
    [['runs', '-c', 'a.json', '--db', 'b.db'], /give either --config/],
    [['runs', '--db', 'b.db'], /--db needs --tenant <id>/],
    [
      ['runs', '--db', 'does-not-exist.db', '-t', 'x'],
      /no SQLite database at .*does-not-exist\.db/,
    ],
  ])('exits 2 for %j', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});

describe('oneroster mock-server', () => {
  async function start(args: string[]) {
    const io = createTestIo();
    const done = runCli(['mock-server', ...args], io);
    const deadline = Date.now() + 10_000;
    while (!io.out().includes('\n')) {
      if (Date.now() > deadline) throw new Error(`no output: ${io.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { io, done };
  }

  it('prints address and credentials, serves them for real, and stops on SIGTERM', async () => {
    const { io, done } = await start(['--version', '1.2', '--users', '2000', '--json']);
    const info = JSON.parse(io.out()) as {
      baseUrl: string;
      tokenUrl: string;
      version: string;
      auth: { type: string; clientId: string; clientSecret: string };
      counts: { users: number };
    };
    expect(info.version).toBe('1.2');
    expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster\/rostering\/v1p2$/);
    expect(info.auth.type).toBe('oauth2');
    // "About" the size asked for.
    expect(info.counts.users).toBeGreaterThan(1800);
    expect(info.counts.users).toBeLessThan(2200);
    const client = new OneRosterClient({
      baseUrl: info.baseUrl,
      auth: {
        type: 'oauth2',
        tokenUrl: info.tokenUrl,
        clientId: info.auth.clientId,
        clientSecret: info.auth.clientSecret,
      },
    });
    const page = await client.users.list({ limit: 5 });
    expect(page.totalCount).toBe(info.counts.users);
    const wrong = new OneRosterClient({
      baseUrl: info.baseUrl,
      auth: {
        type: 'oauth2',
        tokenUrl: info.tokenUrl,
        clientId: info.auth.clientId,
        clientSecret: 'wrong',
      },
      retry: false,
    });
    await expect(wrong.orgs.list({ limit: 1 })).rejects.toThrow();
    io.signal('SIGTERM');
    expect(await done).toBe(0);
    await expect(fetch(info.baseUrl)).rejects.toThrow();
  });

  it('describes itself in text by default', async () => {
    const { io, done } = await start(['--auth', 'none']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(io.out()).toMatch(
      /^Mock OneRoster 1\.1 server listening on http:\/\/127\.0\.0\.1:\d+$/m,
    );
    expect(io.out()).toMatch(/^ {2}base URL: +http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster\/v1p1$/m);
    expect(io.out()).toMatch(
      /^ {2}district: +3 schools, 481 users, 1,879 enrollments \(seed 1\)$/m,
    );
    io.signal('SIGINT');
    expect(await done).toBe(0);
    expect(io.err()).toBe('oneroster: SIGINT: mock server stopped\n');
  });

  it('injects the faults given as JSON or @file', async () => {
    const file = join(district.dir, 'faults.json');
    await writeFile(file, JSON.stringify([{ kind: 'status', status: 503, path: '/orgs', nth: 1 }]));
    for (const faults of [`@${file}`, '[{"kind":"status","status":503,"path":"/orgs","nth":1}]']) {
      const { io, done } = await start(['--auth', 'none', '--json', '--faults', faults]);
      const { baseUrl } = JSON.parse(io.out()) as { baseUrl: string };
      expect((await fetch(`${baseUrl}/orgs`)).status).toBe(503);
      expect((await fetch(`${baseUrl}/orgs`)).status).toBe(200);
      io.signal('SIGTERM');
      expect(await done).toBe(0);
    }
  });

  it('exits 2 when the port is taken', async () => {
    const port = new URL(district.listener.url).port;
    const { code, err } = await cli(['mock-server', '--port', port]);
    expect(code).toBe(2);
    expect(err).toBe(
      `oneroster: --port ${port}: already in use; choose another port, or 0 for any free one\n`,
    );
  });

  it.each([
    [['--faults', '{oops'], /--faults is not valid JSON/],
    [['--faults', '{}'], /--faults must be a JSON array of faults/],
    [['--faults', '[{"kind":"explode"}]'], /faults\[0\]/],
    [['--faults', '@/no/such/file.json'], /--faults: cannot read \/no\/such\/file\.json/],
    [['--version', '2.0'], /argument '2\.0' is invalid\. Allowed choices are 1\.1, 1\.2\./],
    [
      ['--auth', 'saml'],
      /argument 'saml' is invalid\. Allowed choices are oauth1, oauth2, bearer, none\./,
    ],
  ])('exits 2 for %j', async (args, message) => {
    const { code, err } = await cli(['mock-server', ...args]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
