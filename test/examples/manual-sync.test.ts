/**
 * examples/manual-sync.ts: the endpoint in-process (Hono's `app.request`) for every answer it
 * gives, and as a process with one command against mock districts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualSyncApp } from '../../examples/manual-sync';
import { MemoryStorage } from '../../src/storage/memory';
import type { SyncReport } from '../../src/sync';
import { createMockOneRoster, generateDistrict, type MockOneRoster } from '../../src/testing';
import { startExample } from './helpers';

const TOKEN = 'a-test-token-that-is-long-enough-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

let mock: MockOneRoster;
let storage: MemoryStorage;
let endpoint: ReturnType<typeof createManualSyncApp>;

beforeEach(() => {
  mock = createMockOneRoster({
    dataset: generateDistrict({ seed: 5, schools: 1 }),
    version: '1.2',
  });
  storage = new MemoryStorage();
  endpoint = createManualSyncApp({
    tenants: [{ id: 'district-5', client: { baseUrl: mock.baseUrl, fetch: mock.fetch } }],
    storage,
    token: TOKEN,
  });
});
afterEach(async () => {
  await endpoint.shutdown();
  await storage.close();
});

const request = (
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) =>
  endpoint.app.request(path, {
    method,
    headers: { ...auth, ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });

async function waitForLast(): Promise<SyncReport> {
  for (let i = 0; i < 500; i++) {
    const status = (await (await request('GET', '/tenants/district-5/sync')).json()) as {
      running: unknown;
      last: SyncReport | null;
    };
    if (status.running === null && status.last) return status.last;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the sync did not finish');
}

describe('authentication', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { Authorization: 'Bearer not-the-token' }],
    ['a prefix of the token', { Authorization: `Bearer ${TOKEN.slice(0, 10)}` }],
    ['another scheme', { Authorization: `Basic ${TOKEN}` }],
  ])('answers 401 to %s', async (_what, headers) => {
    const response = await endpoint.app.request('/tenants/district-5/sync', {
      method: 'POST',
      headers,
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="manual-sync"');
    expect(mock.log.entries).toHaveLength(0);
  });

  it('leaves /healthz open', async () => {
    expect((await endpoint.app.request('/healthz')).status).toBe(200);
  });
});

describe('POST /tenants/:id/sync', () => {
  it('starts a sync (202), refuses a second one while it runs (409), then reports it', async () => {
    mock.faults.set([{ kind: 'slow', delayMs: 50 }]);
    const started = await request('POST', '/tenants/district-5/sync');
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe('/tenants/district-5/sync');
    const run = (await started.json()) as { runId: string; mode: string; status: string };
    expect(run).toMatchObject({ tenantId: 'district-5', status: 'running', mode: 'full' });
    expect(run.runId).toMatch(/^[0-9a-f-]{36}$/);

    const second = await request('POST', '/tenants/district-5/sync', {
      body: '{"mode":"incremental"}',
    });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({
      error: 'a sync of this tenant is already running',
      running: { runId: run.runId },
    });

    const status = (await (await request('GET', '/tenants/district-5/sync')).json()) as {
      running: { runId: string } | null;
    };
    expect(status.running?.runId).toBe(run.runId);

    mock.faults.clear();
    const last = await waitForLast();
    expect(last).toMatchObject({ runId: run.runId, status: 'succeeded', mode: 'full' });
    expect(await storage.count('users', { tenantId: 'district-5' })).toBe(mock.dataset.users.size);

    // Finished: a new one may start, and `auto` now picks incremental.
    const again = await request('POST', '/tenants/district-5/sync', { body: '{"mode":"auto"}' });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { mode: string }).mode).toBe('incremental');
    await waitForLast();
  });

  it('starts only one run when two requests race', async () => {
    const [a, b] = await Promise.all([
      request('POST', '/tenants/district-5/sync'),
      request('POST', '/tenants/district-5/sync'),
    ]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    await waitForLast();
  });

  it('answers 409 when another process holds the tenant lock', async () => {
    const lock = await storage.acquireLock('district-5', 'nightly-job');
    try {
      const response = await request('POST', '/tenants/district-5/sync');
      expect(response.status).toBe(409);
      expect(await response.json()).toEqual({
        error: 'another process is syncing this tenant; try again later',
      });
    } finally {
      await lock?.release();
    }
    // And the endpoint is free again.
    expect((await request('POST', '/tenants/district-5/sync')).status).toBe(202);
    await waitForLast();
  });

  it('runs a dry run on request', async () => {
    const started = await request('POST', '/tenants/district-5/sync', { body: '{"dryRun":true}' });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ dryRun: true });
    let status: { running: unknown; last: unknown } = { running: {}, last: null };
    for (let i = 0; i < 500 && status.running !== null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await (await request('GET', '/tenants/district-5/sync')).json()) as typeof status;
    }
    expect(status.running).toBeNull();
    // A dry run writes nothing, not even its report.
    expect(status.last).toBeNull();
    expect(await storage.count('users', { tenantId: 'district-5' })).toBe(0);
  });

  it.each([
    ['not JSON', '{mode', 'the body must be JSON'],
    ['an unknown mode', '{"mode":"fast"}', 'invalid body'],
    ['an unknown field', '{"force":true}', 'invalid body'],
  ])('answers 400 to %s', async (_what, body, error) => {
    const response = await request('POST', '/tenants/district-5/sync', { body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error });
  });

  it('answers 404 for an unknown tenant', async () => {
    expect((await request('POST', '/tenants/nope/sync')).status).toBe(404);
    expect((await request('GET', '/tenants/nope/sync')).status).toBe(404);
  });
});

describe('as a process', () => {
  it('runs against mock districts with one command and stops on SIGTERM', async () => {
    const server = startExample('manual-sync.ts', ['--mock'], { PORT: '0' });
    try {
      const listening = await server.waitForLog('manual sync endpoint listening');
      const url = String(listening.url);
      const headers = { Authorization: `Bearer ${String(listening.token)}` };
      expect(listening.tenants).toEqual(['district-1', 'district-2']);

      const started = await fetch(`${url}/tenants/district-2/sync`, { method: 'POST', headers });
      expect(started.status).toBe(202);
      let last: SyncReport | null = null;
      for (let i = 0; i < 300 && !last; i++) {
        const status = (await (
          await fetch(`${url}/tenants/district-2/sync`, { headers })
        ).json()) as {
          running: unknown;
          last: SyncReport | null;
        };
        if (status.running === null) last = status.last;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(last?.status).toBe('succeeded');
      expect((await fetch(`${url}/tenants/district-2/sync`)).status).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.exited).code).toBe(0);
    const messages = server.logs().map((entry) => entry.msg);
    expect(messages.slice(-2)).toEqual(['shutting down', 'stopped']);
    expect(messages).toContain('manual sync finished');
  });

  it('refuses to start without a token', async () => {
    const server = startExample('manual-sync.ts', [], {
      MANUAL_SYNC_TOKEN: 'short',
      TENANTS_FILE: '/dev/null',
    });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    expect(server.stderr()).toMatch(/Set MANUAL_SYNC_TOKEN to a random value of 32\+ characters/);
  });
});
