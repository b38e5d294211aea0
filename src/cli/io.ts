/**
 * The process as the commands see it: streams, environment, working directory and stop
 * signals. Commands never touch `process` directly, so they can be run in-process by tests with
 * fake streams and a fake terminal.
 *
 * @module
 */
import type { Readable, Writable } from 'node:stream';

/** An output stream, and whether it is a terminal (progress redraws only on a terminal). */
export type OutputStream = Writable & { readonly isTTY?: boolean; readonly columns?: number };

/** The input stream (read for confirmations). */
export type InputStream = Readable & { readonly isTTY?: boolean };

/** The signals a command reacts to. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Everything a command reads from or writes to its process.
 *
 * @example
 * ```ts
 * const io = processIo();
 * io.stdout.write('hello\n');
 * ```
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line are resolved against it. */
  readonly cwd: string;
  /** Call `handler` on SIGINT/SIGTERM until the returned function is called. */
  onStop(handler: (signal: StopSignal) => void): () => void;
}

/**
 * The real process.
 *
 * @example
 * ```ts
 * const code = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    onStop(handler) {
      const onInt = () => handler('SIGINT');
      const onTerm = () => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
  };
}

/**
 * Write to a stream and wait until it accepts more, so that streaming a large collection into a
 * slow pipe holds one page in memory, not the collection.
 *
 * @example
 * ```ts
 * for await (const user of users) await writeOut(io.stdout, `${JSON.stringify(user)}\n`);
 * ```
 */
export async function writeOut(stream: Writable, text: string): Promise<void> {
  if (stream.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
