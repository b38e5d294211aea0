/**
 * The `oneroster` command as a real process: what a user sees on stdout and stderr, and the
 * exit code, for the mistakes people make and for the commands that run servers.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './helpers/cli-process';
import { startDistrict, type TestDistrict } from './helpers/district';

let district: TestDistrict;
beforeAll(async () => {
  district = await startDistrict();
});
afterAll(async () => {
  await district.close();
});

/** Exactly one line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] as string;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('usage errors exit 2 with one line on stderr', () => {
  it('an unknown command, with a suggestion', async () => {
    const result = await runCli(['synk']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(oneLine(result.stderr)).toBe(
      "oneroster: unknown command 'synk' (Did you mean sync?) (see 'oneroster --help')",
    );
  });

  it('an unknown flag', async () => {
    const result = await runCli(['sync', '--config', 'x.json', '--forse']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      "oneroster: unknown option '--forse' (Did you mean --force?) (see 'oneroster sync --help')",
    );
  });

  it('a missing --config', async () => {
    const result = await runCli(['sync']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(
      "oneroster: required option '-c, --config <file>' not specified (see 'oneroster sync --help')",
    );
  });

  it('a config file that does not exist', async () => {
    const result = await runCli(['sync', '--config', 'no/such/oneroster.json']);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(
      /^oneroster: no\/such\/oneroster\.json: not found \(looked for \/.*\/no\/such\/oneroster\.json\)$/,
    );
  });

  it('a config with a literal secret, naming the key', async () => {
    const config = await district.writeConfig({
      name: 'literal-secret.json',
      tenants: [
        district.tenant('a', {
          auth: { type: 'oauth1', consumerKey: 'k', consumerSecret: 'hunter2' },
        }),
      ],
    });
    const result = await runCli(['sync', '--config', config]);
    expect(result.code).toBe(2);
    const line = oneLine(result.stderr);
    expect(line).toMatch(
      /`tenants\[0\]\.auth\.consumerSecret` is a secret and must not be written in the config file/,
    );
    expect(line).not.toContain('hunter2');
  });

  it('--force without --yes when not run from a terminal', async () => {
    const config = await district.writeConfig();
    const result = await runCli(['sync', '--config', config, '--force'], district.env);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/--force needs --yes/);
  });

  it('no command at all prints the help on stderr', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Usage: oneroster \[options\] \[command\]/);
  });
});

describe('help and version exit 0', () => {
  it('--help lists every command and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['demo', 'sync', 'get', 'mock-server', 'runs']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toMatch(/^ {2}3 {4}refused by the shrink guard/m);
  });

  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('failures exit 1 with one line on stderr that says what to check', () => {
  it('an unreachable server', async () => {
    const port = await closedPort();
    const config = await district.writeConfig({
      tenants: [
        district.tenant('district-a', {
          baseUrl: `http://127.0.0.1:${port}/ims/oneroster/v1p1`,
          retry: { retries: 1, minDelayMs: 10 },
        }),
      ],
    });
    const result = await runCli(['sync', '--config', config, '--quiet'], district.env);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toMatch(
      new RegExp(
        `^oneroster: district-a: Pulling orgs failed: GET http://127\\.0\\.0\\.1:${port}/ims/oneroster/v1p1/orgs\\?.* failed: connection refused \\(ECONNREFUSED\\).*Check that the server is running and that \`baseUrl\` in the config points at it$`,
      ),
    );
    expect(result.stdout).toMatch(/district-a: full sync failed/);
  });

  it('bad credentials, without leaking them', async () => {
    const config = await district.writeConfig();
    const result = await runCli(['get', 'users', '--config', config], {
      TEST_DISTRICT_SECRET: 'wrong-secret-value',
    });
    expect(result.code).toBe(1);
    const line = oneLine(result.stderr);
    expect(line).toMatch(
      /^oneroster: GET http:\/\/127\.0\.0\.1:\d+\/ims\/oneroster\/v1p1\/users\?.* failed with HTTP 401/,
    );
    expect(line).toMatch(/Check the consumer key and secret/);
    expect(line).not.toContain('wrong-secret-value');
    expect(result.stdout).not.toContain('wrong-secret-value');
  });

  it('prints the stack trace only with --verbose', async () => {
    const port = await closedPort();
    const config = await district.writeConfig({
      tenants: [
        district.tenant('a', {
          baseUrl: `http://127.0.0.1:${port}/ims/oneroster/v1p1`,
          retry: false,
        }),
      ],
    });
    const quiet = await runCli(['get', 'orgs', '-c', config], district.env);
    expect(quiet.code).toBe(1);
    oneLine(quiet.stderr);
    const verbose = await runCli(['get', 'orgs', '-c', config, '--verbose'], district.env);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^oneroster: GET .* connection refused/m);
    expect(verbose.stderr).toMatch(/^ConnectionError: GET .*\n\s+at /m);
  });
});

describe('sync end to end', () => {
  it('exits 0, then 3 when the shrink guard refuses, then 0 with --force --yes', async () => {
    const { mutate } = await import('../../src/testing');
    const config = await district.writeConfig({
      name: 'shrink.json',
      storage: { type: 'sqlite', path: './shrink.db' },
    });
    const first = await runCli(['sync', '--config', config], district.env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^\[district-a\] full sync succeeded/m);

    mutate(district.dataset, { hardDelete: { users: 25 } });
    const refused = await runCli(
      ['sync', '--config', config, '--mode', 'full', '-q'],
      district.env,
    );
    expect(refused.code).toBe(3);
    expect(oneLine(refused.stderr)).toMatch(
      /^oneroster: district-a: refused by the shrink guard: .* rerun with --force\.$/,
    );

    const forced = await runCli(
      ['sync', '--config', config, '--mode', 'full', '--force', '--yes', '--json', '-q'],
      district.env,
    );
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)[0].status).toBe('succeeded');

    const runs = await runCli([
      'runs',
      '--db',
      join(district.dir, 'shrink.db'),
      '--tenant',
      'district-a',
    ]);
    expect(runs.code).toBe(0);
    expect(
      runs.stdout
        .trimEnd()
        .split('\n')
        .slice(2)
        .map((line) => line.split(/\s{2,}/)[4]),
    ).toEqual(['succeeded', 'refused', 'succeeded']);
  });
});

describe('servers', () => {
  it('mock-server serves until SIGTERM, and until SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const server = startCli([
        'mock-server',
        '--version',
        '1.2',
        '--auth',
        'bearer',
        '--users',
        '100',
      ]);
      const line = await server.waitForLine(/^ {2}base URL:/);
      const baseUrl = line.replace(/^ {2}base URL:\s+/, '');
      const token = (await server.waitForLine(/^ {2}bearer token:/)).replace(
        /^ {2}bearer token:\s+/,
        '',
      );
      const response = await fetch(`${baseUrl}/orgs`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      expect((await fetch(`${baseUrl}/orgs`)).status).toBe(401);
      const result = await server.stop(signal);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(`oneroster: ${signal}: mock server stopped\n`);
    }
  });

  it('demo runs a full and an incremental sync with no config and no network', async () => {
    const started = Date.now();
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Mock OneRoster 1\.1 server on http:\/\/127\.0\.0\.1:\d+: a generated district with 3 schools/m,
    );
    expect(result.stdout).toMatch(/^demo: full sync succeeded in /m);
    expect(result.stdout).toMatch(/^demo: incremental sync succeeded in /m);
    expect(result.stdout).toMatch(/^users\s+481\s+481\s+0\s+0\s+0\s+0$/m);
    expect(result.stdout).toMatch(/During the day the district changed: added \d+ users/);
    expect(result.stderr).toMatch(/^\[demo\] incremental sync started/m);
    // "A few seconds", with room for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('demo runs in memory when better-sqlite3 is not installed, unless --db asks for SQLite', async () => {
    const nodeArgs = [
      '--import',
      fileURLToPath(new URL('./helpers/without-sqlite.mjs', import.meta.url)),
    ];
    const memory = await runCli(['demo', '--quiet'], {}, { nodeArgs });
    expect(memory.code).toBe(0);
    expect(memory.stdout).toMatch(/^better-sqlite3 is not installed: syncing into memory/m);
    expect(memory.stdout).toMatch(/^Syncing into memory \(tenant "demo"\)\.$/m);
    expect(memory.stdout).toMatch(/^demo: incremental sync succeeded/m);
    const asked = await runCli(['demo', '--db', join(district.dir, 'demo.db')], {}, { nodeArgs });
    expect(asked.code).toBe(2);
    expect(oneLine(asked.stderr)).toMatch(
      /needs the optional peer dependency "better-sqlite3"; install it with `npm install better-sqlite3`/,
    );
  });
});
