/**
 * A fake process for running commands in-process: captured stdout/stderr, a scripted stdin,
 * a switchable terminal, and stop signals sent on demand.
 */
import { PassThrough, Writable } from 'node:stream';
import type { CliIo, StopSignal } from '../../../src/cli/io';

/** A {@link CliIo} whose output can be read back. */
export interface TestIo extends CliIo {
  out(): string;
  err(): string;
  /** Type text on stdin (a confirmation answer). */
  type(text: string): void;
  /** Deliver SIGINT/SIGTERM to the handlers the command registered. */
  signal(signal: StopSignal): void;
  /** Stop handlers currently registered. */
  handlers(): number;
}

function capture(tty: boolean, columns: number) {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  Object.assign(stream, { isTTY: tty, columns });
  return { stream, text: () => text };
}

/** A fake process; `tty` makes stdin, stdout and stderr terminals. */
export function createTestIo(
  options: { tty?: boolean; env?: Record<string, string>; cwd?: string; columns?: number } = {},
): TestIo {
  const tty = options.tty ?? false;
  const stdout = capture(tty, options.columns ?? 120);
  const stderr = capture(tty, options.columns ?? 120);
  const stdin = new PassThrough();
  Object.assign(stdin, { isTTY: tty });
  const handlers = new Set<(signal: StopSignal) => void>();
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    onStop(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    out: stdout.text,
    err: stderr.text,
    type: (text) => stdin.write(text),
    signal: (signal) => {
      for (const handler of [...handlers]) handler(signal);
    },
    handlers: () => handlers.size,
  };
}
