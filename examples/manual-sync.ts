/**
 * The on-demand trigger: "the district asked for a resync now". A small authenticated HTTP
 * endpoint (Hono) that starts a sync of one tenant and reports on it.
 *
 * - `POST /tenants/:id/sync` starts a sync and answers 202 with the run (body, optional:
 *   `{ "mode": "full" | "incremental" | "auto", "dryRun": true }`). While that tenant's sync
 *   runs, another POST answers 409; so does a tenant whose lock another process holds (the
 *   nightly job).
 * - `GET /tenants/:id/sync` reports the running sync (records per resource so far) and the
 *   last finished run (from the storage, so it survives restarts).
 * - `GET /healthz` answers 200 without authentication.
 *
 * Every `/tenants` route needs `Authorization: Bearer <MANUAL_SYNC_TOKEN>`, compared in
 * constant time. The shrink guard stays on: a refused run shows up as `refused` in the status;
 * overriding it is a deliberate act for `oneroster sync --force`.
 *
 * Against two mock districts (a token is generated and logged):
 *
 *     npx tsx examples/manual-sync.ts --mock
 *     curl -X POST -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/tenants/district-1/sync
 *
 * In production: `MANUAL_SYNC_TOKEN` (32+ characters), `TENANTS_FILE`, `DATABASE_URL`, `PORT`.
 *
 * (The examples import from `../src`; in your code, import from `@smartpass/oneroster`.)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { SyncResource } from '@smartpass/oneroster';
import { OneRosterClient } from '@smartpass/oneroster';
import type { StorageAdapter } from '@smartpass/oneroster/sync';
import {
  createSync,
  SyncLockedError,
  type SyncMode,
  type SyncReport,
} from '@smartpass/oneroster/sync';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { log } from './support/log';
import { startMockDistricts } from './support/mock-districts';
import { loadTenants, openStorage, type Tenant } from './support/tenants';

/** A sync the endpoint started and that has not finished. */
interface RunningSync {
  runId: string;
  mode: SyncMode;
  dryRun: boolean;
  startedAt: string;
  progress: Partial<Record<SyncResource, { records: number; total?: number }>>;
  abort: AbortController;
  done: Promise<void>;
}

const startRequest = z
  .strictObject({
    mode: z.enum(['full', 'incremental', 'auto']).optional(),
    dryRun: z.boolean().optional(),
  })
  .default({});

/** Accept requests carrying `Authorization: Bearer <token>`; compare digests in constant time. */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = createHash('sha256').update(token).digest();
  return async (c, next) => {
    const match = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '');
    // Hashing first gives equal-length buffers: the comparison time says nothing about the token.
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    if (!match || !timingSafeEqual(given, expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="manual-sync"');
      return c.json({ error: 'unauthorized' }, 401);
    }
    await next();
  };
}

/** The endpoint, and how to stop it: abort running syncs and wait for them. */
export function createManualSyncApp(options: {
  tenants: readonly Tenant[];
  storage: StorageAdapter;
  token: string;
}): { app: Hono; shutdown(): Promise<void> } {
  const { storage } = options;
  const tenants = new Map(options.tenants.map((tenant) => [tenant.id, tenant]));
  // One client per district for the life of the endpoint: it holds the rate limiter and the
  // OAuth token cache.
  const clients = new Map(
    options.tenants.map((tenant) => [tenant.id, new OneRosterClient(tenant.client)]),
  );
  const running = new Map<string, RunningSync>();
  const app = new Hono();

  app.get('/healthz', (c) => c.text('ok'));
  app.use('/tenants/*', bearerAuth(options.token));

  app.post('/tenants/:id/sync', async (c) => {
    const tenant = tenants.get(c.req.param('id'));
    if (!tenant) return c.json({ error: 'unknown tenant' }, 404);
    const text = await c.req.text();
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      return c.json({ error: 'the body must be JSON' }, 400);
    }
    const parsed = startRequest.safeParse(body);
    if (!parsed.success) {
      return c.json({ error: 'invalid body', issues: z.treeifyError(parsed.error) }, 400);
    }
    // No await between this check and `running.set`: two requests cannot both start a run.
    const current = running.get(tenant.id);
    if (current) {
      return c.json(
        { error: 'a sync of this tenant is already running', running: describe(current) },
        409,
      );
    }
    const abort = new AbortController();
    const entry: RunningSync = {
      runId: '',
      mode: 'full',
      dryRun: parsed.data.dryRun ?? false,
      startedAt: new Date().toISOString(),
      progress: {},
      abort,
      done: Promise.resolve(),
    };
    running.set(tenant.id, entry);

    let markStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const sync = createSync({
      client: clients.get(tenant.id) as OneRosterClient,
      storage,
      tenantId: tenant.id,
      onEvent: (event) => {
        if (event.type === 'run_started') {
          Object.assign(entry, {
            runId: event.runId,
            mode: event.mode,
            startedAt: event.startedAt,
          });
          markStarted();
        } else if (event.type === 'page' || event.type === 'resource_finished') {
          const records = event.type === 'page' ? event.records : event.fetched;
          entry.progress[event.resource] = {
            records,
            ...(event.type === 'page' && event.total !== undefined ? { total: event.total } : {}),
          };
        }
      },
    });
    const run = sync.run({
      mode: parsed.data.mode ?? 'auto',
      dryRun: entry.dryRun,
      signal: abort.signal,
    });
    entry.done = run.then(
      (report) => logFinished(report),
      () => {},
    );
    void entry.done.finally(() => running.delete(tenant.id));

    // Answer once the run holds the tenant's lock (202), or as soon as it could not start.
    const outcome = await Promise.race([
      started.then(() => 'started' as const),
      run.then(
        (report) => ({ report }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if (outcome === 'started') {
      c.header('Location', `/tenants/${encodeURIComponent(tenant.id)}/sync`);
      return c.json({ tenantId: tenant.id, status: 'running', ...describe(entry) }, 202);
    }
    if ('error' in outcome) {
      if (outcome.error instanceof SyncLockedError) {
        return c.json({ error: 'another process is syncing this tenant; try again later' }, 409);
      }
      log('error', 'manual sync could not start', {
        tenant: tenant.id,
        error: String(outcome.error),
      });
      return c.json({ error: 'the sync could not start' }, 500);
    }
    return c.json({ error: 'the sync could not start', report: outcome.report }, 503);
  });

  app.get('/tenants/:id/sync', async (c) => {
    const tenantId = c.req.param('id');
    if (!tenants.has(tenantId)) return c.json({ error: 'unknown tenant' }, 404);
    const current = running.get(tenantId);
    const [last] = await storage.runs({ tenantId, limit: 1 });
    return c.json({
      tenantId,
      running: current && current.runId !== '' ? describe(current) : null,
      last: last ?? null,
    });
  });

  return {
    app,
    async shutdown() {
      for (const entry of running.values()) entry.abort.abort();
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}

function describe(entry: RunningSync) {
  return {
    runId: entry.runId,
    mode: entry.mode,
    dryRun: entry.dryRun,
    startedAt: entry.startedAt,
    progress: entry.progress,
  };
}

function logFinished(report: SyncReport): void {
  log(report.status === 'succeeded' ? 'info' : 'error', 'manual sync finished', {
    tenant: report.tenantId,
    status: report.status,
    mode: report.mode,
    durationMs: report.durationMs,
    ...(report.reason ? { reason: report.reason } : {}),
  });
}

async function main(args: readonly string[]): Promise<void> {
  const mock = args.includes('--mock') ? await startMockDistricts() : undefined;
  if (mock && !process.env.DATABASE_URL && !process.env.ROSTER_DB) {
    process.env.ROSTER_DB = join(await mkdtemp(join(tmpdir(), 'manual-sync-')), 'roster.db');
  }
  let token = process.env.MANUAL_SYNC_TOKEN ?? '';
  if (token === '' && mock) token = randomBytes(24).toString('base64url');
  if (token.length < 32)
    throw new Error('Set MANUAL_SYNC_TOKEN to a random value of 32+ characters');
  const tenants = mock?.tenants ?? (await loadTenants());
  const storage = await openStorage();
  const { app, shutdown } = createManualSyncApp({ tenants, storage, token });

  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST ?? '127.0.0.1';
  const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
    log('info', 'manual sync endpoint listening', {
      url: `http://${hostname}:${info.port}`,
      tenants: tenants.map((t) => t.id),
      // Only the generated token of a --mock run is ever logged.
      ...(mock ? { token } : {}),
    });
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    // Stop accepting requests, abort running syncs (nothing of them is applied), then close.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await shutdown();
    await closed;
    await storage.close();
    await mock?.close();
    log('info', 'stopped');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (import.meta.main) {
  await main(process.argv.slice(2));
}
