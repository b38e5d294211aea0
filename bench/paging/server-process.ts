/**
 * The benchmark server in a child process, so that the measured process runs the client (or the
 * baseline) alone: serving 200 MB of pages costs CPU too, and in the same process that cost would
 * be added to both sides of the ratio and flatter it. The child renders the pages itself from the
 * same seed (every run serves the same bytes) and answers `stats`/`reset` messages over IPC.
 *
 * Run as a script, this file is the child; imported, it exports the parent's handle.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderUserPages } from './pages';
import { type ServerStats, startServer } from './server';

type ToChild = { type: 'stats' } | { type: 'reset' };
type FromChild =
  | { type: 'ready'; port: number; bytes: Record<string, number> }
  | { type: 'stats'; stats: ServerStats };

/** The parent's handle on the server process. */
export interface ServerProcess {
  port: number;
  /** JSON bytes served for the whole collection, per version. */
  bytes: Record<string, number>;
  stats(): Promise<ServerStats>;
  resetStats(): void;
  close(): void;
}

// This module's own file: the TypeScript source (through tsx), or its bundle next to the
// benchmark's bundle (see ./build), whichever runs.
const sources = import.meta.url.endsWith('.ts');
const self = fileURLToPath(new URL(`./server-process.${sources ? 'ts' : 'js'}`, import.meta.url));

/**
 * Fork the server process and wait until it listens.
 *
 * @example
 * ```ts
 * const server = await startServerProcess({ count: 200_000, pageSize: 1000, seed: 7 });
 * ```
 */
export function startServerProcess(options: {
  count: number;
  pageSize: number;
  seed: number;
}): Promise<ServerProcess> {
  const child: ChildProcess = fork(self, [JSON.stringify(options)], {
    execArgv: sources ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const send = (message: ToChild) => child.send(message);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
    child.once('message', (message: FromChild) => {
      if (message.type !== 'ready') return reject(new Error('unexpected message'));
      resolve({
        port: message.port,
        bytes: message.bytes,
        stats: () =>
          new Promise((done) => {
            child.once('message', (reply: FromChild) => {
              if (reply.type === 'stats') done(reply.stats);
            });
            send({ type: 'stats' });
          }),
        resetStats: () => send({ type: 'reset' }),
        close: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
      });
    });
  });
}

async function serve(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as {
    count: number;
    pageSize: number;
    seed: number;
  };
  const sets = renderUserPages(options);
  const server = await startServer(sets);
  process.on('message', (message: ToChild) => {
    if (message.type === 'stats') process.send?.({ type: 'stats', stats: server.stats() });
    else server.resetStats();
  });
  // The parent going away ends the child too.
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  const bytes = Object.fromEntries(sets.map((pages) => [pages.version, pages.bytes]));
  process.send?.({ type: 'ready', port: server.port, bytes } satisfies FromChild);
}

if (process.argv[1] === self) await serve();
