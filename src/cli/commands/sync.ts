/**
 * `oneroster sync --config <file>`: run a sync for one or every tenant of a config file, with a
 * live progress display, then print the reports (tables, or JSON with `--json`).
 *
 * @module
 */
import { type Command, Option } from 'commander';
import { OneRosterClient } from '../../client';
import { createSync } from '../../sync/create-sync';
import type { SyncMode, SyncReport } from '../../sync/report';
import { loadConfig } from '../config/load';
import {
  asTenantConfig,
  clientOptions,
  type SelectedTenant,
  selectTenants,
  syncOptions,
} from '../config/tenants';
import { describeError, UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import { lineLogger } from '../logger';
import { createProgress } from '../progress/display';
import { confirm, isInteractive } from '../prompt';
import { describeUnsuccessfulRun, renderReport } from '../render/report';
import { openStorage } from '../storage';
import { type CommandContext, collect } from './context';

/** Options of `oneroster sync`. */
export interface SyncCommandOptions {
  config: string;
  tenant: string[];
  mode?: SyncMode | 'auto';
  dryRun?: boolean;
  force?: boolean;
  yes?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/**
 * Register `sync` on the program.
 *
 * @example
 * ```ts
 * registerSync(program, context);
 * ```
 */
export function registerSync(program: Command, context: CommandContext): Command {
  return program
    .command('sync')
    .description('run a sync for one or every tenant of a config file')
    .requiredOption('-c, --config <file>', 'config file (.json, or a .js/.ts module)')
    .addOption(
      new Option('-t, --tenant <id>', 'sync only this tenant (repeatable)')
        .argParser(collect)
        .default([], 'all tenants'),
    )
    .addOption(
      new Option('-m, --mode <mode>', "sync mode; default: the tenant's mode, else auto").choices([
        'full',
        'incremental',
        'auto',
      ]),
    )
    .option('--dry-run', 'pull and compare, report what would change, write nothing')
    .option('--force', 'apply even when the shrink guard would refuse (asks first)')
    .option('-y, --yes', 'do not ask for confirmation (required with --force without a terminal)')
    .option('--json', 'print the reports as JSON on stdout')
    .option('-q, --quiet', 'no progress display')
    .action(async (options: SyncCommandOptions) => {
      context.exit(await runSyncCommand(options, context));
    });
}

/**
 * Run `oneroster sync`. Resolves with the exit code: 0 when every run succeeded, 1 when one
 * failed (or could not start), 3 when none failed but the shrink guard refused one, 130 when
 * interrupted.
 *
 * @throws {UsageError} for a bad command line or config file (exit code 2).
 *
 * @example
 * ```ts
 * const code = await runSyncCommand({ config: 'oneroster.json', tenant: [] }, context);
 * ```
 */
export async function runSyncCommand(
  options: SyncCommandOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  if (options.force && !options.yes && !isInteractive(io)) {
    throw new UsageError(
      '--force needs --yes when oneroster is not run from a terminal (nobody can confirm)',
    );
  }
  if (options.force && options.dryRun) {
    throw new UsageError('--force and --dry-run together make no sense: a dry run writes nothing');
  }
  const loaded = await loadConfig(options.config, io.cwd);
  const selected = selectTenants(loaded, options.tenant);
  // Every tenant's credentials and options are checked before the first sync starts, so a typo
  // in the last tenant does not surface after an hour of syncing the first.
  const clients = selected.map((tenant) =>
    asTenantConfig(loaded, tenant, () => {
      const verbose = context.verbose();
      return new OneRosterClient({
        ...clientOptions(loaded, tenant, io.env),
        ...(verbose ? { logger: lineLogger(io.stderr) } : {}),
      });
    }),
  );

  if (options.force && !options.yes) {
    const names = selected.map(({ tenant }) => tenant.id).join(', ');
    const ok = await confirm(
      io,
      `--force applies deletions the shrink guard would refuse (tenants: ${names}). Continue?`,
    );
    if (!ok) {
      io.stderr.write('oneroster: not confirmed; nothing was run\n');
      return EXIT.refused;
    }
  }

  const abort = new AbortController();
  const stopListening = io.onStop((signal) => {
    io.stderr.write(`\noneroster: ${signal}: aborting; nothing of the running sync is applied\n`);
    abort.abort(new Error(signal));
    // A second signal gets the default behaviour (terminate at once).
    stopListening();
  });
  const progress = createProgress(io.stderr, {
    quiet: options.quiet === true,
    // Log lines of --verbose would tear a redrawn block apart: use plain lines then.
    lines: context.verbose(),
  });
  const storage = await openStorage(loaded, io.env);
  const reports: SyncReport[] = [];
  let code: ExitCode = EXIT.ok;
  try {
    const syncs = selected.map((tenant, i) =>
      asTenantConfig(loaded, tenant, () =>
        createSync({
          client: clients[i] as OneRosterClient,
          storage,
          tenantId: tenant.tenant.id,
          ...syncOptions(tenant.tenant),
          onEvent: progress.onEvent,
        }),
      ),
    );
    for (const [i, sync] of syncs.entries()) {
      if (abort.signal.aborted) break;
      const tenant = (selected[i] as SelectedTenant).tenant;
      let report: SyncReport;
      try {
        report = await sync.run({
          mode: options.mode ?? tenant.mode ?? 'auto',
          dryRun: options.dryRun === true,
          force: options.force === true,
          signal: abort.signal,
        });
      } catch (error) {
        // `run()` throws only when no run took place (the tenant's lock is held): say so and
        // go on with the other tenants.
        code = worse(code, EXIT.failure);
        io.stderr.write(
          `${describeError(error, { verbose: context.verbose(), subject: tenant.id })}\n`,
        );
        continue;
      }
      reports.push(report);
      code = worse(code, exitCodeOfReport(report, abort.signal.aborted));
      if (report.status !== 'succeeded') io.stderr.write(`${describeUnsuccessfulRun(report)}\n`);
    }
  } finally {
    progress.close();
    stopListening();
    await storage.close();
  }
  if (options.json) io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else for (const report of reports) io.stdout.write(`\n${renderReport(report)}\n`);
  return abort.signal.aborted ? EXIT.interrupted : code;
}

/**
 * The exit code one report calls for.
 *
 * @example
 * ```ts
 * exitCodeOfReport({ ...report, status: 'refused' }, false); // 3
 * ```
 */
export function exitCodeOfReport(report: SyncReport, aborted: boolean): ExitCode {
  if (report.status === 'succeeded') return EXIT.ok;
  if (report.status === 'refused') return EXIT.refused;
  return aborted ? EXIT.interrupted : EXIT.failure;
}

/** Failure outranks refusal, which outranks success. */
function worse(a: ExitCode, b: ExitCode): ExitCode {
  const rank = (code: ExitCode) =>
    code === EXIT.ok ? 0 : code === EXIT.refused ? 1 : code === EXIT.failure ? 2 : 3;
  return rank(b) > rank(a) ? b : a;
}
