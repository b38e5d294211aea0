/**
 * `oneroster demo`: the whole thing in one command, with no config and no network. A mock
 * OneRoster server with a generated district on 127.0.0.1, a full sync into SQLite, a day of
 * changes at the "district", an incremental sync, and both reports.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { OneRosterClient } from '../../client';
import { ConfigurationError } from '../../errors';
import type { OneRosterVersion } from '../../models/types';
import type { StorageAdapter } from '../../storage/types';
import { createSync } from '../../sync/create-sync';
import type { SyncReport } from '../../sync/report';
import type { MockListener, MutationChanges } from '../../testing';
import { EXIT, type ExitCode } from '../exit-codes';
import { districtForUsers, mockCredentials } from '../mock-setup';
import { createProgress } from '../progress/display';
import { formatCount } from '../render/format';
import { describeUnsuccessfulRun, renderReport } from '../render/report';
import { openSqlite } from '../storage';
import { type CommandContext, positiveInteger } from './context';

/** Options of `oneroster demo`. */
export interface DemoCommandOptions {
  db?: string;
  version: OneRosterVersion;
  users?: number;
  seed: number;
  json?: boolean;
  quiet?: boolean;
}

/** The tenant id the demo syncs into. */
export const DEMO_TENANT = 'demo';

/**
 * Register `demo` on the program.
 *
 * @example
 * ```ts
 * registerDemo(program, context);
 * ```
 */
export function registerDemo(program: Command, context: CommandContext): Command {
  return program
    .command('demo')
    .description('sync a generated district from a local mock server into SQLite, twice')
    .option('--db <file>', 'keep the SQLite database in this file (default: a temp file, removed)')
    .addOption(
      new Option('--version <version>', 'OneRoster version').choices(['1.1', '1.2']).default('1.1'),
    )
    .option('-u, --users <n>', 'about n users (default: ~480)', positiveInteger('--users'))
    .option('--seed <n>', 'seed of the generated district', positiveInteger('--seed', 0), 1)
    .option('--json', 'print both reports as JSON')
    .option('-q, --quiet', 'no progress display')
    .action(async (options: DemoCommandOptions) => {
      context.exit(await runDemoCommand(options, context));
    });
}

/**
 * Run `oneroster demo`. Resolves with 0 when both syncs succeeded.
 *
 * @example
 * ```ts
 * await runDemoCommand({ version: '1.1', seed: 1 }, context);
 * ```
 */
export async function runDemoCommand(
  options: DemoCommandOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  const { createMockOneRoster, generateDistrict, mutate } = await import('../../testing');
  const say = (text: string) => {
    if (!options.json) io.stdout.write(`${text}\n`);
  };

  const tempDir = options.db ? undefined : await mkdtemp(join(tmpdir(), 'oneroster-demo-'));
  const dbPath = options.db ? resolve(io.cwd, options.db) : join(tempDir as string, 'roster.db');
  const dataset = generateDistrict({
    seed: options.seed,
    ...(options.users === undefined ? {} : districtForUsers(options.users)),
  });
  const credentials = mockCredentials(options.version === '1.1' ? 'oauth1' : 'oauth2');
  const mock = createMockOneRoster({ dataset, version: options.version, auth: credentials.server });

  let listener: MockListener | undefined;
  let storage: StorageAdapter | undefined;
  const progress = createProgress(io.stderr, { quiet: options.quiet === true });
  const abort = new AbortController();
  const stopListening = io.onStop(() => {
    abort.abort();
    stopListening();
  });
  try {
    listener = await mock.listen();
    storage = await openDemoStorage(dbPath, options.db !== undefined, say);
    const auth = credentials.client(listener.tokenUrl);
    const client = new OneRosterClient({ baseUrl: listener.baseUrl, ...(auth ? { auth } : {}) });
    const sync = createSync({ client, storage, tenantId: DEMO_TENANT, onEvent: progress.onEvent });
    const counts = dataset.counts();
    say(
      `Mock OneRoster ${options.version} server on ${listener.url}: a generated district with ` +
        `${formatCount(dataset.options?.schools ?? 0)} schools, ${formatCount(counts.users)} users and ` +
        `${formatCount(counts.enrollments)} enrollments.`,
    );
    const inSqlite = storage.kind === 'sqlite';
    say(`Syncing into ${inSqlite ? dbPath : 'memory'} (tenant "${DEMO_TENANT}").\n`);

    const full = await sync.run({ mode: 'full', signal: abort.signal });
    say(`Day 1: the first sync is a full one.\n${renderReport(full)}\n`);
    if (full.status !== 'succeeded') {
      io.stderr.write(`${describeUnsuccessfulRun(full)}\n`);
      return abort.signal.aborted ? EXIT.interrupted : EXIT.failure;
    }

    const day = mutate(dataset, {
      seed: options.seed,
      add: { students: 0.01, teachers: 1 },
      update: { users: 0.03, classes: 0.02, enrollments: 0.01 },
      markToBeDeleted: { users: 0.005 },
      moveEnrollments: 0.01,
    });
    say(`During the day the district changed: ${describeChanges(day.changes)}.\n`);

    const incremental = await sync.run({ mode: 'incremental', signal: abort.signal });
    if (incremental.status !== 'succeeded') {
      io.stderr.write(`${describeUnsuccessfulRun(incremental)}\n`);
    }
    say(
      `Day 2: an incremental sync reads only what changed since day 1 (plus a lookback).\n${renderReport(incremental)}\n`,
    );

    if (options.json) io.stdout.write(`${JSON.stringify([full, incremental], null, 2)}\n`);
    if (inSqlite) {
      say(
        tempDir
          ? 'The database was a temporary file and is removed now; keep it with --db <file>, then look at it with `oneroster runs --db <file> --tenant demo`.'
          : `The database is in ${dbPath}: \`oneroster runs --db ${options.db} --tenant ${DEMO_TENANT}\` shows its run history.`,
      );
    }
    say('Next: docs/getting-started.md, `oneroster mock-server --help`, `oneroster sync --help`.');
    return abort.signal.aborted ? EXIT.interrupted : worstOf([full, incremental]);
  } finally {
    progress.close();
    stopListening();
    await storage?.close();
    await listener?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * SQLite at `path`; without `better-sqlite3` installed (a plain `npm install` of the package),
 * the demo still runs, in memory, and says how to get SQLite. A `--db` the user asked for is
 * never silently replaced.
 */
async function openDemoStorage(
  path: string,
  asked: boolean,
  say: (text: string) => void,
): Promise<StorageAdapter> {
  try {
    return await openSqlite(path);
  } catch (error) {
    if (asked || !(error instanceof ConfigurationError) || error.option !== 'better-sqlite3') {
      throw error;
    }
    say(
      'better-sqlite3 is not installed: syncing into memory (`npm install better-sqlite3` for SQLite).',
    );
    const { MemoryStorage } = await import('../../storage/memory');
    return new MemoryStorage();
  }
}

function worstOf(reports: readonly SyncReport[]): ExitCode {
  if (reports.some((r) => r.status === 'failed')) return EXIT.failure;
  if (reports.some((r) => r.status === 'refused')) return EXIT.refused;
  return EXIT.ok;
}

/** E.g. `added 4 users, 19 enrollments; updated 14 users`. */
function describeChanges(changes: MutationChanges): string {
  const parts: string[] = [];
  const list = (verb: string, ids: Record<string, string[]>) => {
    const items = Object.entries(ids)
      .filter(([, sourcedIds]) => sourcedIds.length > 0)
      .map(([resource, sourcedIds]) => `${formatCount(sourcedIds.length)} ${resource}`);
    if (items.length > 0) parts.push(`${verb} ${items.join(', ')}`);
  };
  list('added', changes.created);
  list('updated', changes.updated);
  list('marked tobedeleted', changes.tobedeleted);
  list('removed', changes.hardDeleted);
  return parts.join('; ') || 'nothing';
}
