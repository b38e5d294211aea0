/**
 * `oneroster mock-server`: the testing kit's mock OneRoster server as a process, for manual
 * testing and for clients written in other languages. Runs until Ctrl+C or SIGTERM.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { OneRosterVersion } from '../../models/types';
import type { MockFault, PagingHeaders } from '../../testing';
import { UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import {
  defaultMockAuth,
  districtForUsers,
  MOCK_AUTH_TYPES,
  type MockAuthType,
  mockCredentials,
} from '../mock-setup';
import { formatCount } from '../render/format';
import { type CommandContext, positiveInteger } from './context';

/** Options of `oneroster mock-server`. */
export interface MockServerCommandOptions {
  users?: number;
  version: OneRosterVersion;
  port: number;
  auth?: MockAuthType;
  seed: number;
  faults?: string;
  pagingHeaders: PagingHeaders;
  maxPageSize?: number;
  latency?: number;
  json?: boolean;
}

const PAGING_HEADERS = ['both', 'total', 'link', 'none', 'classlink'] as const;

/**
 * Register `mock-server` on the program.
 *
 * @example
 * ```ts
 * registerMockServer(program, context);
 * ```
 */
export function registerMockServer(program: Command, context: CommandContext): Command {
  return program
    .command('mock-server')
    .description('serve a generated district as a mock OneRoster server on 127.0.0.1')
    .option(
      '-u, --users <n>',
      'about n users (default: a small district of ~480)',
      positiveInteger('--users'),
    )
    .addOption(
      new Option('--version <version>', 'OneRoster version').choices(['1.1', '1.2']).default('1.1'),
    )
    .option('-p, --port <port>', 'port (0: any free port)', positiveInteger('--port', 0), 0)
    .addOption(
      new Option(
        '--auth <type>',
        'how clients authenticate; default oauth1 for 1.1, oauth2 for 1.2',
      ).choices(MOCK_AUTH_TYPES),
    )
    .option('--seed <n>', 'seed of the generated district', positiveInteger('--seed', 0), 1)
    .option(
      '--faults <json|@file>',
      'faults to inject: a JSON array of MockFault objects (see docs/testing.md), or @file.json',
    )
    .addOption(
      new Option('--paging-headers <mode>', 'paging headers on collections')
        .choices(PAGING_HEADERS)
        .default('both'),
    )
    .option(
      '--max-page-size <n>',
      'clamp larger limits to n, silently',
      positiveInteger('--max-page-size'),
    )
    .option('--latency <ms>', 'delay every response', positiveInteger('--latency', 0))
    .option('--json', 'print the address and credentials as one JSON line')
    .action(async (options: MockServerCommandOptions) => {
      context.exit(await runMockServerCommand(options, context));
    });
}

/**
 * The faults of `--faults`: inline JSON, or `@path` to a JSON file. The mock server checks
 * each fault and names the bad one (`faults[1].kind`).
 *
 * @example
 * ```ts
 * await readFaults('[{"kind":"status","status":429,"every":5}]', process.cwd());
 * ```
 */
export async function readFaults(value: string, cwd: string): Promise<MockFault[]> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = await readFile(resolve(cwd, value.slice(1)), 'utf8');
    } catch (error) {
      throw new UsageError(`--faults: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--faults is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new UsageError(
      '--faults must be a JSON array of faults, e.g. [{"kind":"reset","nth":3}]',
    );
  }
  return parsed as MockFault[];
}

/**
 * Run `oneroster mock-server` until SIGINT/SIGTERM.
 *
 * @example
 * ```ts
 * await runMockServerCommand({ version: '1.2', port: 0, seed: 1, pagingHeaders: 'both' }, context);
 * ```
 */
export async function runMockServerCommand(
  options: MockServerCommandOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  const { createMockOneRoster, generateDistrict } = await import('../../testing');
  const faults = options.faults === undefined ? [] : await readFaults(options.faults, io.cwd);
  const authType = options.auth ?? defaultMockAuth(options.version);
  const credentials = mockCredentials(authType);
  const dataset = generateDistrict({
    seed: options.seed,
    ...(options.users === undefined ? {} : districtForUsers(options.users)),
  });
  const mock = createMockOneRoster({
    dataset,
    version: options.version,
    auth: credentials.server,
    pagingHeaders: options.pagingHeaders,
    faults,
    ...(options.maxPageSize === undefined ? {} : { maxPageSize: options.maxPageSize }),
    ...(options.latency === undefined ? {} : { latencyMs: options.latency }),
  });
  const listener = await mock.listen({ port: options.port }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UsageError(
        `--port ${options.port}: ${code === 'EADDRINUSE' ? 'already in use' : 'not allowed'}; choose another port, or 0 for any free one`,
      );
    }
    throw error;
  });
  const counts = dataset.counts();

  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({
        url: listener.url,
        baseUrl: listener.baseUrl,
        tokenUrl: listener.tokenUrl ?? null,
        version: options.version,
        auth: {
          type: authType,
          ...Object.fromEntries(credentials.shown.map(([k, v]) => [camel(k), v])),
        },
        counts,
      })}\n`,
    );
  } else {
    const rows: Array<[string, string]> = [
      ['base URL', listener.baseUrl],
      ...(listener.tokenUrl ? ([['token URL', listener.tokenUrl]] as Array<[string, string]>) : []),
      ['auth', authType],
      ...credentials.shown,
      [
        'district',
        `${formatCount(dataset.options?.schools ?? 0)} schools, ${formatCount(counts.users)} users, ${formatCount(counts.enrollments)} enrollments (seed ${options.seed})`,
      ],
      ['faults', faults.length === 0 ? 'none' : `${faults.length} (see --faults)`],
    ];
    const width = Math.max(...rows.map(([name]) => name.length)) + 1;
    io.stdout.write(
      [
        `Mock OneRoster ${options.version} server listening on ${listener.url}`,
        ...rows.map(([name, value]) => `  ${`${name}:`.padEnd(width)} ${value}`),
        'Stop it with Ctrl+C.',
        '',
      ].join('\n'),
    );
  }

  // The request log would grow for as long as the server runs: drain it, printing it with
  // --verbose (URLs in it are already redacted).
  const drain = setInterval(() => {
    const entries = mock.log.entries;
    mock.log.clear();
    if (!context.verbose()) return;
    for (const entry of entries) {
      const faults = entry.faults.length > 0 ? ` faults=${entry.faults.join(',')}` : '';
      io.stderr.write(
        `${entry.method} ${entry.url} ${entry.status} ${entry.durationMs}ms auth=${entry.auth}${faults}\n`,
      );
    }
  }, 250);
  drain.unref();

  const signal = await new Promise<string>((resolveStop) => {
    const stop = io.onStop((name) => {
      stop();
      resolveStop(name);
    });
  });
  clearInterval(drain);
  await listener.close();
  if (!options.json) io.stderr.write(`oneroster: ${signal}: mock server stopped\n`);
  return EXIT.ok;
}

function camel(label: string): string {
  return label.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
}
