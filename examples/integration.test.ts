/**
 * How to test your own OneRoster code with `@smartpass/oneroster/testing`: no network, no real
 * district. The code under test is `writeActiveTeachersCsv` from `./custom-script.ts` and a
 * sync into a `MemoryStorage`.
 *
 * Two styles:
 * - an injected `fetch` (`mock.fetch`): nothing global is patched, so tests can run in parallel;
 * - msw (`setupServer(...mock.handlers)`): for code that calls the global `fetch` itself.
 *
 * (The examples import from `../src`; in your code, import from `@smartpass/oneroster` and
 * `@smartpass/oneroster/testing`.)
 */

import { PassThrough } from 'node:stream';
import type { Org, User } from '@smartpass/oneroster';
import { OneRosterClient } from '@smartpass/oneroster';
import { MemoryStorage } from '@smartpass/oneroster/storage/memory';
import { createSync } from '@smartpass/oneroster/sync';
import {
  createDataset,
  createMockOneRoster,
  generateDistrict,
  mutate,
} from '@smartpass/oneroster/testing';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeActiveTeachersCsv } from './custom-script';

/** Run `writeActiveTeachersCsv` and return the CSV's lines. */
async function exportTeachers(client: OneRosterClient, schoolId: string): Promise<string[]> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  await writeActiveTeachersCsv(client, schoolId, out);
  return text.trimEnd().split('\r\n');
}

describe('with an injected fetch', () => {
  it('exports the active teachers of one school, sorted by family name', async () => {
    const dataset = generateDistrict({ seed: 42, schools: 2, teachersPerSchool: 5 });
    const mock = createMockOneRoster({ dataset, version: '1.1' });
    const client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });
    const school = dataset.orgs.toArray().find((org) => org.type === 'school') as Org;

    const lines = await exportTeachers(client, school.sourcedId);

    // What the server holds for that school, from the same dataset.
    const expected = dataset.users
      .toArray()
      .filter((user) =>
        user.roles.some((r) => r.role === 'teacher' && r.org.sourcedId === school.sourcedId),
      )
      .map((user) => user.familyName)
      .sort();
    expect(lines[0]).toBe('"sourcedId","givenName","familyName","email","username","identifier"');
    expect(lines.slice(1).map((line) => line.split('","')[2])).toEqual(expected);
  });

  it('leaves out teachers the district marked tobedeleted (hand-written fixtures)', async () => {
    const at = '2026-01-05T08:00:00.000Z';
    const school: Org = {
      sourcedId: 'sch-1',
      status: 'active',
      dateLastModified: at,
      name: 'North High',
      type: 'school',
    };
    const teacher = (sourcedId: string, familyName: string, status: User['status']): User => ({
      sourcedId,
      status,
      dateLastModified: at,
      enabledUser: true,
      givenName: 'Pat',
      familyName,
      roles: [{ roleType: 'primary', role: 'teacher', org: { sourcedId: 'sch-1' } }],
    });
    const dataset = createDataset({
      orgs: [school],
      users: [
        teacher('t-1', 'Zhou', 'active'),
        teacher('t-2', "O'Neil, Jr.", 'active'),
        teacher('t-3', 'Gone', 'tobedeleted'),
      ],
    });
    const mock = createMockOneRoster({ dataset, version: '1.2' });
    const client = new OneRosterClient({ baseUrl: mock.baseUrl, fetch: mock.fetch });

    const lines = await exportTeachers(client, 'sch-1');

    expect(lines.slice(1)).toEqual([
      '"t-2","Pat","O\'Neil, Jr.","","",""',
      '"t-1","Pat","Zhou","","",""',
    ]);
    // The filter was the server's job: one request, with the filter in it.
    expect(mock.log.entries.map((entry) => entry.path)).toEqual(['/schools/sch-1/teachers']);
    expect(mock.log.entries[0]?.url).toContain('filter=status%3D%27active%27');
  });

  it('survives a throttling server: the client waits and retries', async () => {
    const dataset = generateDistrict({ seed: 1, schools: 1 });
    const mock = createMockOneRoster({ dataset, version: '1.1' });
    mock.faults.injectOnce({
      kind: 'status',
      status: 429,
      retryAfter: 0,
      body: 'html',
      path: '/schools/*',
    });
    const client = new OneRosterClient({
      baseUrl: mock.baseUrl,
      fetch: mock.fetch,
      retry: { minDelayMs: 1 },
    });
    const school = dataset.orgs.toArray().find((org) => org.type === 'school') as Org;

    const lines = await exportTeachers(client, school.sourcedId);

    expect(lines.length).toBeGreaterThan(1);
    expect(mock.log.entries.map((entry) => entry.status)).toEqual([429, 200]);
  });
});

describe('with msw', () => {
  const mock = createMockOneRoster({
    dataset: generateDistrict({ seed: 7, schools: 2 }),
    version: '1.2',
  });
  const server = setupServer(...mock.handlers);
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  it('syncs the district, then only what changed during the day', async () => {
    // No `fetch` option: the client calls the global fetch, which msw intercepts.
    const client = new OneRosterClient({ baseUrl: mock.baseUrl });
    const storage = new MemoryStorage();
    const sync = createSync({ client, storage, tenantId: 'district-7' });

    const full = await sync.run({ mode: 'full' });
    expect(full.status).toBe('succeeded');
    expect(await storage.count('users', { tenantId: 'district-7' })).toBe(mock.dataset.users.size);

    const { changes } = mutate(mock.dataset, {
      add: { students: 2 },
      update: { users: 3 },
      markToBeDeleted: { users: 1 },
    });
    const incremental = await sync.run({ mode: 'incremental' });

    expect(incremental.status).toBe('succeeded');
    expect(incremental.resources.users).toMatchObject({
      created: changes.created.users.length,
      updated: changes.updated.users.length,
      deleted: changes.tobedeleted.users.length,
    });
    const added = changes.created.users[0] as string;
    expect((await storage.get('users', added, { tenantId: 'district-7' }))?.data.sourcedId).toBe(
      added,
    );
  });
});
