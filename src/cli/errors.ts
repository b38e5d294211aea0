/**
 * Errors of the command line itself, how any error becomes an exit code, and how it is told to
 * the user: one line that says what to fix, the stack only with `--verbose`.
 *
 * @module
 */
import { CommanderError } from 'commander';
import { isOneRosterError, OneRosterError } from '../errors';
import { EXIT, type ExitCode } from './exit-codes';

/**
 * The command line or a config file is wrong (exit code 2). Its message says what to change.
 *
 * @example
 * ```ts
 * throw new UsageError('--force needs --yes when not run from a terminal');
 * ```
 */
export class UsageError extends OneRosterError {
  constructor(message: string) {
    super(message, { code: 'configuration_error' });
  }
}

/**
 * A config file is invalid: names the file and the key (e.g. `tenants[0].auth.consumerSecret`).
 *
 * @example
 * ```ts
 * throw new ConfigFileError('oneroster.json', 'tenants[0].baseUrl', 'is required');
 * ```
 */
export class ConfigFileError extends UsageError {
  /** The config file as given on the command line. */
  readonly file: string;
  /** The offending key as a path, or `undefined` when the file as a whole is the problem. */
  readonly key: string | undefined;

  constructor(file: string, key: string | undefined, message: string) {
    super(key === undefined ? `${file}: ${message}` : `${file}: \`${key}\` ${message}`);
    this.file = file;
    this.key = key;
  }
}

/**
 * The exit code an error ends the process with.
 *
 * @example
 * ```ts
 * process.exitCode = exitCodeOf(error);
 * ```
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
      ? EXIT.ok
      : EXIT.usage;
  }
  if (isOneRosterError(error)) {
    if (error.code === 'configuration_error') return EXIT.usage;
    if (error.code === 'aborted') return EXIT.interrupted;
  }
  return EXIT.failure;
}

/** What to check, for errors whose own message says what went wrong but not what to do. */
const HINTS: Partial<Record<string, string>> = {
  connection_error:
    'Check that the server is running and that `baseUrl` in the config points at it',
  timeout:
    'The server did not answer in time: try again later, or raise `timeout` in the tenant config',
  rate_limited:
    'The server kept throttling the requests: try again later, or lower `rateLimit.requestsPerSecond`',
  sync_locked: 'Wait for the other run to finish (see `oneroster runs`), then try again',
};

/**
 * An error message with what to check appended, for error codes whose message says what went
 * wrong but not what to do.
 *
 * @example
 * ```ts
 * explain('connection_error', 'GET http://127.0.0.1:9/orgs failed: connection refused');
 * // 'GET … failed: connection refused. Check that the server is running and that `baseUrl` …'
 * ```
 */
export function explain(code: string | undefined, message: string): string {
  const hint = code === undefined ? undefined : HINTS[code];
  return hint && !message.includes(hint) ? `${trimStop(message)}. ${hint}` : message;
}

/**
 * The one line printed on stderr for an error (several lines with `verbose`: the stack and the
 * chain of causes). Messages of package errors are already free of secrets.
 *
 * @example
 * ```ts
 * io.stderr.write(`${describeError(error, { verbose: false })}\n`);
 * // oneroster: GET http://127.0.0.1:9/ims/oneroster/v1p1/orgs failed: connection refused (ECONNREFUSED). Check that…
 * ```
 */
export function describeError(
  error: unknown,
  options: {
    verbose: boolean;
    /** What failed, e.g. a tenant id: the line then starts `oneroster: <subject>: `. */
    subject?: string;
  },
): string {
  let line: string;
  if (isOneRosterError(error)) {
    line = explain(error.code, error.message);
  } else if (error instanceof Error) {
    // Not ours: most likely a bug. Say so, and where to look.
    line = `unexpected ${error.name}: ${error.message}${options.verbose ? '' : ' (run with --verbose for the stack trace)'}`;
  } else {
    line = `unexpected error: ${String(error)}`;
  }
  const first = `oneroster: ${options.subject ? `${options.subject}: ` : ''}${oneLine(line)}`;
  if (!options.verbose || !(error instanceof Error)) return first;
  const details: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    details.push(
      depth === 0
        ? (current.stack ?? String(current))
        : `caused by: ${current.stack ?? String(current)}`,
    );
    current = current.cause;
  }
  return [first, ...details].join('\n');
}

/**
 * Collapse line breaks: every message is one line on stderr.
 *
 * @example
 * ```ts
 * oneLine('a\n  b'); // 'a b'
 * ```
 */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function trimStop(text: string): string {
  return text.replace(/[.\s]+$/, '');
}
