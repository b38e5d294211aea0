/**
 * The `oneroster` program: its commands, global flags, and how every outcome becomes an exit
 * code and at most one line on stderr.
 *
 * @module
 */
import { Command, CommanderError } from 'commander';
import type { CommandContext } from './commands/context';
import { registerDemo } from './commands/demo';
import { registerGet } from './commands/get';
import { registerMockServer } from './commands/mock-server';
import { registerRuns } from './commands/runs';
import { registerSync } from './commands/sync';
import { describeError, exitCodeOf, oneLine } from './errors';
import { EXIT, type ExitCode } from './exit-codes';
import type { CliIo } from './io';
import { packageVersion } from './version';

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    failure (a sync failed, the server was unreachable or refused the credentials)
  2    usage or config error (nothing was attempted)
  3    refused by the shrink guard (nothing was changed; see --force)
  130  interrupted (Ctrl+C or SIGTERM; nothing of the running sync was applied)

Docs: docs/cli.md`;

/**
 * Run the command line `argv` (without `node` and the script) against `io`, resolving with
 * the exit code. Never throws and never exits the process itself.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['runs', '--config', 'oneroster.json'], processIo());
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = new Command('oneroster');
  let active: Command | undefined;
  const context: CommandContext = {
    io,
    verbose: () =>
      program.opts<{ verbose?: boolean }>().verbose === true ||
      active?.opts<{ verbose?: boolean }>().verbose === true,
    exit: (next) => {
      code = next;
    },
  };
  program
    .description('OneRoster 1.1/1.2 client, sync engine and mock server')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-v, --verbose', 'log requests, and print stack traces on errors')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    // Program options only before the command: `mock-server --version 1.2` is the OneRoster
    // version, not the package's.
    .enablePositionalOptions()
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', (_program, command) => {
      active = command;
    });
  configure(program);
  for (const register of [
    registerDemo,
    registerSync,
    registerGet,
    registerMockServer,
    registerRuns,
  ]) {
    const command = register(program, context);
    command.option('-v, --verbose', 'log requests, and print stack traces on errors');
    configure(command);
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    // Commander has already printed its own errors (through `outputError` below).
    if (error instanceof CommanderError) return exitCodeOf(error);
    const verbose = context.verbose() || argv.includes('--verbose') || argv.includes('-v');
    io.stderr.write(`${describeError(error, { verbose })}\n`);
    return exitCodeOf(error);
  }

  /** Route commander's output through `io`, throw instead of exiting, one-line errors. */
  function configure(command: Command): void {
    const name = command === program ? 'oneroster' : `oneroster ${command.name()}`;
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => {
        const message = oneLine(text).replace(/^error: /, '');
        write(`oneroster: ${message} (see '${name} --help')\n`);
      },
    });
  }
}
