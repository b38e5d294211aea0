/**
 * Sync reports as text: one run in detail (per resource), or a list of runs.
 *
 * @module
 */
import { SYNC_RESOURCES } from '../../models/types';
import type { ResourceCounts, SyncReport } from '../../sync/report';
import { explain, oneLine } from '../errors';
import { formatCount, formatDuration } from './format';
import { type Column, renderTable } from './table';

const COUNT_KEYS = ['fetched', 'created', 'updated', 'deleted', 'unchanged', 'invalid'] as const;

/**
 * How a run ended, e.g. `full sync succeeded in 1.2s (run 3f2a9c1e)`.
 *
 * @example
 * ```ts
 * io.stderr.write(`[${report.tenantId}] ${describeRunOutcome(report)}\n`);
 * ```
 */
export function describeRunOutcome(report: SyncReport): string {
  const what = `${report.mode} sync${report.dryRun ? ' (dry run)' : ''}`;
  const outcome = report.status === 'refused' ? 'refused by the shrink guard' : report.status;
  return `${what} ${outcome} in ${formatDuration(report.durationMs)} (run ${report.runId.slice(0, 8)})`;
}

/**
 * The headline of a run, e.g. `district-a: full sync succeeded in 1.2s (run 3f2a9c1e)`.
 *
 * @example
 * ```ts
 * io.stdout.write(`${describeRun(report)}\n`);
 * ```
 */
export function describeRun(report: SyncReport): string {
  return `${report.tenantId}: ${describeRunOutcome(report)}`;
}

/**
 * One run in detail: the headline, a table of counts per resource with a total, then the
 * reason, warnings and errors.
 *
 * @example
 * ```ts
 * io.stdout.write(`${renderReport(report)}\n`);
 * ```
 */
export function renderReport(report: SyncReport): string {
  const lines = [describeRun(report)];
  const resources = SYNC_RESOURCES.filter((resource) => report.resources[resource] !== undefined);
  if (resources.length > 0) {
    const total = Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as Record<
      (typeof COUNT_KEYS)[number],
      number
    >;
    const rows = resources.map((resource) => {
      const counts = report.resources[resource] as ResourceCounts;
      for (const key of COUNT_KEYS) total[key] += counts[key];
      return [resource, ...COUNT_KEYS.map((key) => formatCount(counts[key]))];
    });
    rows.push(['total', ...COUNT_KEYS.map((key) => formatCount(total[key]))]);
    const columns: Column[] = [
      { header: 'resource' },
      ...COUNT_KEYS.map((key): Column => ({ header: key, align: 'right' })),
    ];
    lines.push(renderTable(columns, rows));
  }
  if (report.dryRun) lines.push('Dry run: nothing was written.');
  if (report.reason) lines.push(`Reason: ${report.reason}`);
  for (const warning of report.warnings) lines.push(`Warning: ${warning}`);
  for (const error of report.errors) {
    lines.push(
      `Error [${error.code}]${error.resource ? ` ${error.resource}` : ''}: ${error.message}`,
    );
  }
  return lines.join('\n');
}

/**
 * Stored runs, newest first, one line each.
 *
 * @example
 * ```ts
 * io.stdout.write(`${renderRuns(await storage.runs({ tenantId: 'district-a', limit: 20 }))}\n`);
 * ```
 */
export function renderRuns(reports: readonly SyncReport[]): string {
  const columns: Column[] = [
    { header: 'started (UTC)' },
    { header: 'tenant' },
    { header: 'run' },
    { header: 'mode' },
    { header: 'status' },
    { header: 'duration', align: 'right' },
    { header: 'created', align: 'right' },
    { header: 'updated', align: 'right' },
    { header: 'deleted', align: 'right' },
    { header: 'invalid', align: 'right' },
    { header: 'reason', maxWidth: 60 },
  ];
  const rows = reports.map((report) => {
    const sum = (key: keyof ResourceCounts) =>
      formatCount(
        Object.values(report.resources).reduce((n, counts) => n + (counts?.[key] ?? 0), 0),
      );
    return [
      report.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      report.tenantId,
      report.runId.slice(0, 8),
      report.dryRun ? `${report.mode} (dry)` : report.mode,
      report.status,
      formatDuration(report.durationMs),
      sum('created'),
      sum('updated'),
      sum('deleted'),
      sum('invalid'),
      report.reason ?? '',
    ];
  });
  return renderTable(columns, rows);
}

/**
 * The one stderr line for a run that did not succeed: what happened and what to do.
 *
 * @example
 * ```ts
 * if (report.status !== 'succeeded') io.stderr.write(`${describeUnsuccessfulRun(report)}\n`);
 * // oneroster: district-a: refused by the shrink guard: users would lose 60 of 100 stored records …
 * ```
 */
export function describeUnsuccessfulRun(report: SyncReport): string {
  if (report.status === 'refused') {
    // The engine's reason ends with advice for library users ("force: true"): keep what it
    // found, and give the command-line advice instead.
    const found = (report.reason ?? '')
      .replace(/^Refused by the shrink guard: /, '')
      .replace(/\.?\s*Nothing was changed[;.].*$/, '');
    return oneLine(
      `oneroster: ${report.tenantId}: refused by the shrink guard: ${found}. Nothing was ` +
        'changed. If the district really removed these records, rerun with --force.',
    );
  }
  const first = report.errors[0];
  const reason = report.reason ?? first?.message ?? 'the sync failed';
  return oneLine(`oneroster: ${report.tenantId}: ${explain(first?.code, reason)}`);
}
