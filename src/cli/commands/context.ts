/**
 * What every command receives from the program.
 *
 * @module
 */
import { InvalidArgumentError } from 'commander';
import type { ExitCode } from '../exit-codes';
import type { CliIo } from '../io';

/**
 * The process, the global flags, and where a command leaves its exit code.
 *
 * @example
 * ```ts
 * program.command('runs').action(async () => context.exit(await listRuns(context)));
 * ```
 */
export interface CommandContext {
  readonly io: CliIo;
  /** `--verbose` was given: stack traces on errors, request logging. */
  verbose(): boolean;
  /** Set the process exit code (the last call wins). */
  exit(code: ExitCode): void;
}

/**
 * Collect a repeatable option into a list (`--tenant a --tenant b`).
 *
 * @example
 * ```ts
 * program.option('--tenant <id>', 'tenant id (repeatable)', collect, []);
 * ```
 */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Parse a whole number option.
 *
 * @example
 * ```ts
 * program.option('--limit <n>', 'at most n records', positiveInteger('--limit'));
 * ```
 */
export function positiveInteger(flag: string, min = 1): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(`${flag} must be a whole number >= ${min}, got "${value}"`);
    }
    return parsed;
  };
}
