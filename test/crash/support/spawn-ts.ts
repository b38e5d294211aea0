/**
 * Child Node processes running TypeScript through tsx, with line-oriented stdout: the crash and
 * cross-process lock tests start a child, wait for a progress line, and kill it at that point.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (children run from there so `--import tsx` resolves). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A running child. */
export interface TsChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** stderr so far (shown when a wait fails). */
  stderr(): string;
  /** Resolve with the first stdout line (past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited (and been reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL it and wait until it is gone. */
  kill(): Promise<void>;
}

/**
 * Start `node --import tsx <file>` (or `-e <code>` when `code` is given) with extra env vars.
 */
export function spawnTs(
  entry: { file: string } | { code: string },
  env: Record<string, string> = {},
): TsChild {
  const args =
    'file' in entry
      ? ['--import', 'tsx', entry.file]
      : ['--import', 'tsx', '--input-type=module', '-e', entry.code];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error('child process did not start');

  return {
    process: child,
    pid: child.pid,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, timeoutMs = 20_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `child ${child.pid} printed no line matching ${pattern} within ${timeoutMs} ms\n` +
                `stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const done = (line: string) => {
          clearTimeout(timer);
          resolve(line);
        };
        waiters.push({ pattern, resolve: done });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(
            new Error(
              `child ${child.pid} exited (${code ?? signal}) before printing ${pattern}\n` +
                `stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          );
        });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
