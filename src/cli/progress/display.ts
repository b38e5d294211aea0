/**
 * Progress displays for sync runs, both fed the engine's events: a live block redrawn in place
 * on a terminal, and plain log lines everywhere else (CI logs, pipes, files). Both write to
 * stderr so that stdout stays clean for `--json`.
 *
 * @module
 */
import type { SyncEvent } from '../../sync/events';
import type { OutputStream } from '../io';
import { describeRunOutcome } from '../render/report';
import { describeOutcome, describeProgress } from './describe';
import { applyEvent, type ResourceProgress, type RunProgress } from './state';

/** Something that shows a run's progress. */
export interface ProgressDisplay {
  /** Pass every event of `createSync({ onEvent })`. */
  onEvent(event: SyncEvent): void;
  /** Stop any pending redraw; what is on screen stays. */
  close(): void;
}

/** Options of the displays. */
export interface ProgressOptions {
  /** Milliseconds clock. @default Date.now */
  now?: () => number;
  /** Terminal: least time between redraws. @default 100 */
  redrawMs?: number;
  /** Plain lines: least time between two progress lines of one resource. @default 10_000 */
  lineEveryMs?: number;
}

/**
 * The display for `stream`: redrawn in place on a terminal, plain lines otherwise (or when
 * `lines`); nothing at all when `quiet`.
 *
 * @example
 * ```ts
 * const progress = createProgress(io.stderr, { quiet: false });
 * const sync = createSync({ client, storage, tenantId, onEvent: progress.onEvent });
 * ```
 */
export function createProgress(
  stream: OutputStream,
  options: ProgressOptions & { quiet?: boolean; lines?: boolean } = {},
): ProgressDisplay {
  if (options.quiet) return { onEvent: () => {}, close: () => {} };
  return stream.isTTY && !options.lines
    ? createTerminalProgress(stream, options)
    : createLineProgress(stream, options);
}

const ESC = '\u001b[';

/**
 * A block per run, one line per resource, redrawn in place with ANSI cursor movement (no
 * dependency). Lines are cut to the terminal width: a wrapped line would break the redraw.
 *
 * @example
 * ```ts
 * const progress = createTerminalProgress(process.stderr);
 * ```
 */
export function createTerminalProgress(
  stream: OutputStream,
  options: ProgressOptions = {},
): ProgressDisplay {
  const redrawMs = options.redrawMs ?? 100;
  const runs = new Map<string, RunProgress>();
  let active: RunProgress | undefined;
  let drawn = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const draw = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!active) return;
    // A terminal that reports no size (0) gets a common width rather than one-character lines.
    const width = Math.max(20, (stream.columns || 100) - 1);
    const lines = renderBlock(active).map((line) => cut(line, width));
    let out = drawn > 0 ? `${ESC}${drawn}A` : '';
    for (const line of lines) out += `\r${ESC}2K${line}\n`;
    if (lines.length < drawn) out += `${ESC}J`;
    drawn = lines.length;
    stream.write(out);
  };
  const schedule = () => {
    timer ??= setTimeout(draw, redrawMs);
    // A pending redraw must not keep a finished command alive.
    timer.unref?.();
  };

  return {
    onEvent(event) {
      const run = applyEvent(runs, event);
      if (!run) return;
      if (event.type === 'run_started') {
        if (active) draw();
        active = run;
        drawn = 0;
        draw();
        return;
      }
      if (run !== active) return;
      if (event.type === 'resource_finished' || event.type === 'resource_started') draw();
      else if (event.type === 'run_finished') {
        draw();
        active = undefined;
        drawn = 0;
        runs.delete(run.runId);
      } else schedule();
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

function renderBlock(run: RunProgress): string[] {
  const header = `${run.tenantId}: ${run.mode ?? ''} sync${run.dryRun ? ' (dry run)' : ''}`;
  const nameWidth = Math.max(...run.resources.map((r) => r.resource.length));
  return [header, ...run.resources.map((r) => `  ${r.resource.padEnd(nameWidth)}  ${status(r)}`)];
}

function status(r: ResourceProgress): string {
  switch (r.phase) {
    case 'waiting':
      return 'waiting';
    case 'running':
      return describeProgress(r);
    case 'done':
      return `done: ${describeOutcome(r)}`;
    case 'skipped':
      return describeOutcome(r);
  }
}

function cut(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * Plain log lines: a line when a run starts, when a resource ends, on retries and server
 * throttling, every `lineEveryMs` for a long resource, and when the run ends.
 *
 * @example
 * ```ts
 * const progress = createLineProgress(process.stderr);
 * ```
 */
export function createLineProgress(
  stream: OutputStream,
  options: ProgressOptions = {},
): ProgressDisplay {
  const now = options.now ?? Date.now;
  const every = options.lineEveryMs ?? 10_000;
  const runs = new Map<string, RunProgress>();
  const lastLine = new Map<string, number>();
  const say = (run: RunProgress, text: string) => stream.write(`[${run.tenantId}] ${text}\n`);

  return {
    onEvent(event) {
      const run = applyEvent(runs, event);
      if (!run) return;
      const key = 'resource' in event ? `${event.runId}/${event.resource}` : event.runId;
      switch (event.type) {
        case 'run_started':
          say(
            run,
            `${event.mode} sync${event.dryRun ? ' (dry run)' : ''} started (run ${event.runId.slice(0, 8)})`,
          );
          break;
        case 'resource_started':
          lastLine.set(key, now());
          break;
        case 'page': {
          const r = run.resources.find((x) => x.resource === event.resource);
          if (r && now() - (lastLine.get(key) ?? 0) >= every) {
            lastLine.set(key, now());
            say(run, `${event.resource}: ${describeProgress(r)}`);
          }
          break;
        }
        case 'retry':
          say(
            run,
            `${event.resource}: retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)}s (${event.reason})`,
          );
          break;
        case 'rate_limit_wait':
          if (event.reason !== 'client_limit') {
            say(
              run,
              `${event.resource}: the server asked to slow down, waiting ${(event.delayMs / 1000).toFixed(1)}s`,
            );
          }
          break;
        case 'resource_finished': {
          const r = run.resources.find((x) => x.resource === event.resource);
          if (r) say(run, `${event.resource}: ${describeOutcome(r)}`);
          lastLine.delete(key);
          break;
        }
        case 'run_finished':
          say(run, describeRunOutcome(event.report));
          runs.delete(run.runId);
          break;
        default:
          break;
      }
    },
    close() {},
  };
}
