/**
 * `oneroster runs`: the run history kept in the storage (newest first).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { StorageAdapter } from '../../storage/types';
import type { SyncReport } from '../../sync/report';
import { loadConfig } from '../config/load';
import { selectTenants } from '../config/tenants';
import { UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import { renderReport, renderRuns } from '../render/report';
import { openSqlite, openStorage } from '../storage';
import { type CommandContext, collect, positiveInteger } from './context';

/** Options of `oneroster runs`. */
export interface RunsCommandOptions {
  config?: string;
  db?: string;
  tenant: string[];
  limit: number;
  json?: boolean;
  details?: boolean;
}

/**
 * Register `runs` on the program.
 *
 * @example
 * ```ts
 * registerRuns(program, context);
 * ```
 */
export function registerRuns(program: Command, context: CommandContext): Command {
  return program
    .command('runs')
    .description('show the stored run history of tenants')
    .option('-c, --config <file>', 'config file (its storage and tenants)')
    .option('--db <path>', 'a SQLite file instead of a config (e.g. from `oneroster demo --db`)')
    .addOption(
      new Option('-t, --tenant <id>', 'only this tenant (repeatable)')
        .argParser(collect)
        .default([], 'all tenants'),
    )
    .option('-n, --limit <n>', 'newest n runs per tenant', positiveInteger('--limit'), 20)
    .option('--details', 'print each run in full (counts per resource, warnings, errors)')
    .option('--json', 'print the reports as JSON')
    .action(async (options: RunsCommandOptions) => {
      context.exit(await runRunsCommand(options, context));
    });
}

/**
 * Run `oneroster runs`.
 *
 * @example
 * ```ts
 * await runRunsCommand({ db: 'demo.db', tenant: ['demo'], limit: 5 }, context);
 * ```
 */
export async function runRunsCommand(
  options: RunsCommandOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  if ((options.config === undefined) === (options.db === undefined)) {
    throw new UsageError('give either --config <file> or --db <sqlite file>');
  }
  let storage: StorageAdapter;
  let tenants: string[];
  if (options.config !== undefined) {
    const loaded = await loadConfig(options.config, io.cwd);
    tenants = selectTenants(loaded, options.tenant).map(({ tenant }) => tenant.id);
    storage = await openStorage(loaded, io.env);
  } else {
    if (options.tenant.length === 0) throw new UsageError('--db needs --tenant <id>');
    tenants = options.tenant;
    const path = resolve(io.cwd, options.db as string);
    // Opening creates a missing file: a typo would show an empty history instead of an error.
    if (!existsSync(path)) throw new UsageError(`--db: no SQLite database at ${path}`);
    storage = await openSqlite(path);
  }
  const reports: SyncReport[] = [];
  try {
    for (const tenantId of tenants) {
      reports.push(...(await storage.runs({ tenantId, limit: options.limit })));
    }
  } finally {
    await storage.close();
  }
  reports.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (options.json) io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else if (reports.length === 0) {
    io.stderr.write(`oneroster: no runs stored for ${tenants.join(', ')}\n`);
  } else if (options.details) {
    io.stdout.write(`${reports.map(renderReport).join('\n\n')}\n`);
  } else io.stdout.write(`${renderRuns(reports)}\n`);
  return EXIT.ok;
}
