/**
 * The production nightly job: every day at 23:00 in New York (daylight saving time handled by
 * croner's time zone support), an `auto` sync of every tenant into PostgreSQL or SQLite: an
 * incremental sync most nights, a full reconciliation when the engine's schedule says so.
 *
 * - No overlapping runs: a cycle that is still running when the next one is due is skipped
 *   (croner's `protect`), and the storage lock keeps out any other process syncing a tenant.
 * - One summary log line per tenant (JSON, for the log collector).
 * - Graceful shutdown on SIGTERM/SIGINT: no new cycle starts, a running sync may finish within
 *   `SHUTDOWN_GRACE_MS` (default 20 s) and is aborted after that (an aborted sync changes
 *   nothing), then the storage is closed.
 *
 * Run one cycle now against two mock districts (no configuration, no network):
 *
 *     npx tsx examples/nightly-sync.ts --mock --now
 *
 * In production (tenants from TENANTS_FILE, see ./support/tenants.ts):
 *
 *     TENANTS_FILE=tenants.json DATABASE_URL=postgres://… node examples/nightly-sync.ts
 *
 * Flags: `--now` runs one cycle and exits (1 if a tenant failed), `--mock` uses mock districts,
 * `--next N` prints the next N start times and exits.
 *
 * (The examples import from `../src`; in your code, import from `@smartpass/oneroster`.)
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { OneRosterClient } from '@smartpass/oneroster';
import type { StorageAdapter } from '@smartpass/oneroster/sync';
import { createSync, SyncLockedError, type SyncReport } from '@smartpass/oneroster/sync';
import { Cron } from 'croner';
import { log } from './support/log';
import { startMockDistricts } from './support/mock-districts';
import { loadTenants, openStorage, type Tenant } from './support/tenants';

/** When the job runs: 23:00 every day, New York time, whatever the UTC offset that day. */
export const SCHEDULE = { pattern: '0 23 * * *', timezone: 'America/New_York' } as const;

/** The next `count` start times after `from`. */
export function nextNightlyRuns(count: number, from: Date = new Date()): Date[] {
  return new Cron(SCHEDULE.pattern, { timezone: SCHEDULE.timezone }).nextRuns(count, from);
}

/**
 * One cycle: an `auto` sync of each tenant in turn, one summary line each. A tenant that fails
 * does not stop the others; an aborted signal stops the cycle.
 */
export async function syncAllTenants(
  tenants: readonly Tenant[],
  storage: StorageAdapter,
  signal: AbortSignal,
): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  log('info', 'nightly cycle started', { tenants: tenants.map((t) => t.id) });
  for (const tenant of tenants) {
    if (signal.aborted) break;
    const client = new OneRosterClient(tenant.client);
    const sync = createSync({ client, storage, tenantId: tenant.id });
    try {
      const report = await sync.run({ mode: 'auto', signal });
      reports.push(report);
      logSummary(report);
    } catch (error) {
      if (!(error instanceof SyncLockedError)) throw error;
      // Another process (a manual sync) is on it: tonight's run for this tenant is not needed.
      log('warn', 'tenant sync skipped: another run holds the lock', { tenant: tenant.id });
    }
  }
  return reports;
}

function logSummary(report: SyncReport): void {
  const totals = { created: 0, updated: 0, deleted: 0, invalid: 0 };
  for (const counts of Object.values(report.resources)) {
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) {
      totals[key] += counts?.[key] ?? 0;
    }
  }
  log(report.status === 'succeeded' ? 'info' : 'error', 'tenant sync finished', {
    tenant: report.tenantId,
    status: report.status,
    mode: report.mode,
    durationMs: report.durationMs,
    ...totals,
    ...(report.reason ? { reason: report.reason } : {}),
    runId: report.runId,
  });
}

async function main(args: readonly string[]): Promise<number> {
  const next = args.indexOf('--next');
  if (next !== -1) {
    for (const at of nextNightlyRuns(Number(args[next + 1] ?? 5))) console.log(at.toISOString());
    return 0;
  }
  const mock = args.includes('--mock') ? await startMockDistricts() : undefined;
  if (mock && !process.env.DATABASE_URL && !process.env.ROSTER_DB) {
    process.env.ROSTER_DB = join(await mkdtemp(join(tmpdir(), 'nightly-')), 'roster.db');
  }
  const tenants = mock?.tenants ?? (await loadTenants());
  const storage = await openStorage();
  const graceMs = Number(process.env.SHUTDOWN_GRACE_MS ?? 20_000);
  const abort = new AbortController();
  let running: Promise<SyncReport[]> | undefined;
  let failures = 0;

  const cycle = async () => {
    running = syncAllTenants(tenants, storage, abort.signal);
    try {
      failures += (await running).filter((report) => report.status !== 'succeeded').length;
    } catch (error) {
      failures++;
      log('error', 'nightly cycle failed', { error: String(error) });
    } finally {
      running = undefined;
    }
  };

  await new Promise<void>((resolve) => {
    let job: Cron | undefined;
    let stopping = false;
    const stop = () => {
      stopping = true;
      process.off('SIGTERM', shutdown);
      process.off('SIGINT', shutdown);
    };
    const shutdown = async (signal: NodeJS.Signals) => {
      stop();
      log('info', 'shutting down', { signal, syncRunning: running !== undefined });
      job?.stop();
      const current = running;
      if (current) {
        // Unref'd: once the sync is done, the grace timer alone must not keep the process up.
        const grace = delay(graceMs, false, { ref: false });
        const finished = await Promise.race([current.then(() => true), grace]);
        if (!finished) {
          log('warn', 'grace period over: aborting the running sync (nothing of it is applied)');
          abort.abort();
          await current;
        }
      }
      resolve();
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);

    if (args.includes('--now')) {
      void cycle().then(() => {
        // After a signal, `shutdown` is already on its way out.
        if (stopping) return;
        stop();
        resolve();
      });
      return;
    }
    job = new Cron(
      SCHEDULE.pattern,
      {
        timezone: SCHEDULE.timezone,
        // Overrun protection: a cycle still running at the next 23:00 makes croner skip that one.
        protect: () => log('warn', 'previous nightly cycle still running; this one is skipped'),
      },
      cycle,
    );
    log('info', 'nightly sync scheduled', {
      next: job.nextRun()?.toISOString(),
      timezone: SCHEDULE.timezone,
      tenants: tenants.map((t) => t.id),
    });
  });

  await storage.close();
  await mock?.close();
  log('info', 'stopped');
  return failures > 0 ? 1 : 0;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
