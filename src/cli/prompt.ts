/**
 * Yes/no questions on a terminal.
 *
 * @module
 */
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './io';

/**
 * Ask a yes/no question on stderr and read the answer from stdin; anything but `y`/`yes` is no
 * (so is closing stdin).
 *
 * @example
 * ```ts
 * if (!(await confirm(io, 'Apply the deletions anyway?'))) return EXIT.refused;
 * ```
 */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: false });
  try {
    const closed = new Promise<string>((resolve) => rl.once('close', () => resolve('')));
    io.stderr.write(`${question} [y/N] `);
    const answer = await Promise.race([rl.question(''), closed]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

/**
 * Whether questions can be asked: both stdin and stderr are a terminal.
 *
 * @example
 * ```ts
 * if (!isInteractive(io)) throw new UsageError('--force needs --yes when not run from a terminal');
 * ```
 */
export function isInteractive(io: CliIo): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}
