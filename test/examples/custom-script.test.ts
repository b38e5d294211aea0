/**
 * examples/custom-script.ts as a process: against the in-process mock with one command, and
 * against a real server with credentials from the environment.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMockOneRoster, generateDistrict } from '../../src/testing';
import { runExample } from './helpers';

describe('custom-script', () => {
  it('prints the active teachers of a school as CSV with one command (--mock)', async () => {
    const result = await runExample('custom-script.ts', ['--mock']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"sourcedId","givenName","familyName","email","username","identifier"');
    // The script's mock district: the first school's active teachers, by family name.
    const dataset = generateDistrict({ seed: 3 });
    const school = dataset.orgs.toArray().find((org) => org.type === 'school')?.sourcedId as string;
    const expected = dataset.users
      .toArray()
      .filter(
        (user) =>
          user.status === 'active' &&
          user.roles.some((r) => r.role === 'teacher' && r.org.sourcedId === school),
      )
      .map((user) => user.familyName)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(expected.length).toBeGreaterThan(0);
    expect(lines.slice(1).map((line) => line.split('","')[2])).toEqual(expected);
    expect(result.stderr).toBe(`${expected.length} active teachers of ${school}\n`);
  });

  it('reads a real server with OAuth 1.0a credentials from the environment, into a file', async () => {
    const dataset = generateDistrict({ seed: 9, schools: 2, teachersPerSchool: 4 });
    const mock = createMockOneRoster({
      dataset,
      version: '1.1',
      auth: { type: 'oauth1', consumers: { 'script-key': 'script-secret' } },
    });
    const listener = await mock.listen();
    const dir = await mkdtemp(join(tmpdir(), 'custom-script-'));
    try {
      const school = dataset.orgs.toArray().filter((org) => org.type === 'school')[1]
        ?.sourcedId as string;
      const out = join(dir, 'teachers.csv');
      const result = await runExample('custom-script.ts', ['--school', school, '--out', out], {
        ONEROSTER_BASE_URL: listener.baseUrl,
        ONEROSTER_KEY: 'script-key',
        ONEROSTER_SECRET: 'script-secret',
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe(`4 active teachers of ${school} written to ${out}\n`);
      const ids = (await readFile(out, 'utf8'))
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((line) => line.slice(1, line.indexOf('"', 1)));
      const expected = dataset.users
        .toArray()
        .filter((u) => u.roles.some((r) => r.role === 'teacher' && r.org.sourcedId === school))
        .map((u) => u.sourcedId);
      expect(ids.sort()).toEqual(expected.sort());
      expect(mock.log.entries.every((entry) => entry.auth === 'ok')).toBe(true);
    } finally {
      await listener.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says what to set when credentials are missing', async () => {
    const result = await runExample('custom-script.ts', ['--school', 's-1'], {
      ONEROSTER_BASE_URL: '',
      ONEROSTER_KEY: '',
      ONEROSTER_SECRET: '',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /Set ONEROSTER_BASE_URL, ONEROSTER_KEY and ONEROSTER_SECRET \(or use --mock\)/,
    );
  });
});
