/**
 * `oneroster get <resource> [id]`: read a district's data straight from its server, streamed
 * as table, JSON, NDJSON or CSV.
 *
 * @module
 */
import { type Command, Option } from 'commander';
import { CLIENT_DEFAULTS, OneRosterClient } from '../../client';
import type { Paginator } from '../../pagination';
import type { ListParams } from '../../query';
import type { Resources } from '../../resources';
import { loadConfig } from '../config/load';
import { asTenantConfig, clientOptions, selectTenants } from '../config/tenants';
import { UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import { lineLogger } from '../logger';
import { DEFAULT_COLUMNS } from '../render/cells';
import { createRecordWriter, OUTPUT_FORMATS, type OutputFormat } from '../render/records';
import { type CommandContext, positiveInteger } from './context';

/** The collections `get` reads, by the name on the command line (the client's property). */
export const GET_RESOURCES = [
  'orgs',
  'schools',
  'academicSessions',
  'terms',
  'gradingPeriods',
  'courses',
  'classes',
  'users',
  'students',
  'teachers',
  'enrollments',
  'demographics',
] as const satisfies readonly (keyof Resources)[];

/** One of {@link GET_RESOURCES}. */
export type GetResource = (typeof GET_RESOURCES)[number];

/** Options of `oneroster get`. */
export interface GetCommandOptions {
  config: string;
  tenant?: string;
  filter?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  fields?: string;
  limit?: number;
  format: OutputFormat;
}

/** A table holds every row before printing; without `--limit` it stops here. */
export const TABLE_DEFAULT_LIMIT = 100;

/**
 * Register `get` on the program.
 *
 * @example
 * ```ts
 * registerGet(program, context);
 * ```
 */
export function registerGet(program: Command, context: CommandContext): Command {
  return program
    .command('get')
    .description("read a district's records from its server")
    .argument('<resource>', GET_RESOURCES.join(' | '))
    .argument('[id]', 'the sourcedId of one record')
    .requiredOption('-c, --config <file>', 'config file with the tenant to read from')
    .option('-t, --tenant <id>', 'the tenant (needed when the config has several)')
    .option('--filter <expression>', `OneRoster filter, e.g. "role='teacher'"`)
    .option('--sort <field>', 'sort by this field')
    .addOption(new Option('--order <direction>', 'with --sort').choices(['asc', 'desc']))
    .option('--fields <list>', 'comma-separated fields to request and print')
    .option(
      '-n, --limit <n>',
      `print at most n records (a table stops at ${TABLE_DEFAULT_LIMIT} unless given)`,
      positiveInteger('--limit'),
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'),
    )
    .action(async (resource: string, id: string | undefined, options: GetCommandOptions) => {
      context.exit(await runGetCommand(resource, id, options, context));
    });
}

/**
 * The resource named on the command line (case-insensitive, `academic-sessions` accepted).
 *
 * @throws {UsageError} naming the resources there are.
 *
 * @example
 * ```ts
 * resolveResource('Academic-Sessions'); // 'academicSessions'
 * ```
 */
export function resolveResource(name: string): GetResource {
  const wanted = name.replaceAll('-', '').replaceAll('_', '').toLowerCase();
  const found = GET_RESOURCES.find((resource) => resource.toLowerCase() === wanted);
  if (!found) {
    throw new UsageError(`unknown resource "${name}"; choose one of ${GET_RESOURCES.join(', ')}`);
  }
  return found;
}

/**
 * Run `oneroster get`.
 *
 * @example
 * ```ts
 * await runGetCommand('teachers', undefined, { config: 'oneroster.json', format: 'csv' }, context);
 * ```
 */
export async function runGetCommand(
  name: string,
  id: string | undefined,
  options: GetCommandOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  const resource = resolveResource(name);
  if (options.order && !options.sort) throw new UsageError('--order needs --sort');
  if (id !== undefined && (options.filter || options.sort || options.limit)) {
    throw new UsageError('--filter, --sort and --limit apply to lists; drop them or the id');
  }
  const loaded = await loadConfig(options.config, io.cwd);
  if (!options.tenant && loaded.config.tenants.length > 1) {
    throw new UsageError(
      `${loaded.file} has ${loaded.config.tenants.length} tenants: choose one with --tenant (${loaded.config.tenants.map((t) => t.id).join(', ')})`,
    );
  }
  const [selected] = selectTenants(loaded, options.tenant ? [options.tenant] : undefined);
  if (!selected) throw new UsageError(`${loaded.file} has no tenants`);
  const client = asTenantConfig(
    loaded,
    selected,
    () =>
      new OneRosterClient({
        ...clientOptions(loaded, selected, io.env),
        ...(context.verbose() ? { logger: lineLogger(io.stderr) } : {}),
      }),
  );
  const fields = options.fields
    ?.split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  const columns = fields ?? DEFAULT_COLUMNS[resource] ?? ['sourcedId'];
  const writer = createRecordWriter(options.format, io.stdout, {
    // One record in a table shows every field it has, unless --fields says which.
    columns: id !== undefined && !fields ? [] : columns,
    single: id !== undefined,
  });
  const collection = client[resource];

  if (id !== undefined) {
    const record = await collection.get(id, fields ? { fields } : undefined);
    await writer.write(record);
    await writer.end();
    return EXIT.ok;
  }

  const limit =
    options.limit ?? (options.format === 'table' ? TABLE_DEFAULT_LIMIT : Number.POSITIVE_INFINITY);
  const params: ListParams = {
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.order ? { orderBy: options.order } : {}),
    ...(fields ? { fields } : {}),
    // Ask for no more than will be printed, so `--limit 5` is one small request.
    ...(Number.isFinite(limit)
      ? { limit: Math.min(limit, selected.tenant.pageSize ?? CLIENT_DEFAULTS.pageSize) }
      : {}),
  };
  const records = collection.list(params) as Paginator<Readonly<Record<string, unknown>>>;
  let written = 0;
  let more = false;
  for await (const record of records) {
    if (written === limit) {
      more = true;
      break;
    }
    await writer.write(record);
    written++;
    // With an explicit limit there is nothing to tell about the rest: do not fetch it.
    if (written === limit && options.limit !== undefined) break;
  }
  await writer.end();
  if (more && options.limit === undefined) {
    io.stderr.write(
      `oneroster: showing the first ${written} ${resource}; use --limit, or --format ndjson/csv to stream them all\n`,
    );
  }
  return EXIT.ok;
}
