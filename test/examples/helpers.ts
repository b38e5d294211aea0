/**
 * Running an example as a process (`node --import tsx examples/<name>.ts …`) and reading its
 * JSON log lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running example. */
export interface ExampleProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Parsed JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** The first log line with this `msg` (past or future). */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `examples/<file>` with arguments and extra environment variables. */
export function startExample(
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
): ExampleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${file}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const logs = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logs,
    exited,
    async waitForLog(msg, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs().find((entry) => entry.msg === msg);
        if (found) return found;
        if (done || Date.now() > deadline) {
          throw new Error(
            `no "${msg}" log line (exited: ${done})\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

/** Run an example to the end (killed after `timeoutMs`). */
export async function runExample(
  file: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<{
  code: number | null;
  stdout: string;
  stderr: string;
  logs: Array<Record<string, unknown>>;
}> {
  const example = startExample(file, args, env);
  const timer = setTimeout(() => example.child.kill('SIGKILL'), timeoutMs);
  const { code } = await example.exited;
  clearTimeout(timer);
  return { code, stdout: example.stdout(), stderr: example.stderr(), logs: example.logs() };
}
