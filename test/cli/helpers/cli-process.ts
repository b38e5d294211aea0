/**
 * The `oneroster` command as a real process: `node --import tsx src/cli/index.ts …`, or the
 * built `dist/cli/index.js` when `ONEROSTER_CLI=dist` (after `npm run build`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Children run from the repository root, so that `--import tsx` resolves. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const ENTRY =
  process.env.ONEROSTER_CLI === 'dist'
    ? [fileURLToPath(new URL('../../../dist/cli/index.js', import.meta.url))]
    : ['--import', 'tsx', fileURLToPath(new URL('../../../src/cli/index.ts', import.meta.url))];

/** How a finished process ended and what it printed. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `oneroster` process. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the first stdout line (past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited. */
  readonly result: Promise<CliResult>;
  /** Send a signal and wait for the exit. */
  stop(signal: NodeJS.Signals): Promise<CliResult>;
}

/**
 * Start `oneroster <args>` with extra environment variables (and Node.js options before the
 * entry). stdin is closed (not a terminal).
 */
export function startCli(
  args: readonly string[],
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): CliProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const result = new Promise<CliResult>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    result,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = stdout.split('\n').find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no line matching ${pattern} in ${timeoutMs} ms\n${stdout}\n${stderr}`),
            ),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void result.then((r) => {
          clearTimeout(timer);
          reject(
            new Error(`exited (${r.code ?? r.signal}) before ${pattern}\n${r.stdout}\n${r.stderr}`),
          );
        });
      });
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return result;
    },
  };
}

/**
 * Run `oneroster <args>` to the end. A process still running after `timeoutMs` is killed and
 * the test fails.
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { timeoutMs?: number; nodeArgs?: readonly string[] } = {},
): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const cli = startCli(args, env, options.nodeArgs);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  try {
    const result = await cli.result;
    if (result.signal === 'SIGKILL') {
      throw new Error(
        `oneroster ${args.join(' ')} ran longer than ${timeoutMs} ms\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}
