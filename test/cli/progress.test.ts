import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLineProgress,
  createProgress,
  createTerminalProgress,
} from '../../src/cli/progress/display';
import type { SyncEvent } from '../../src/sync/events';
import type { SyncReport } from '../../src/sync/report';
import { createTestIo } from './helpers/test-io';

const base = { runId: 'run-1234-5678', tenantId: 'district-a' } as const;

const started: SyncEvent = {
  ...base,
  type: 'run_started',
  mode: 'full',
  requestedMode: 'auto',
  dryRun: false,
  resources: ['orgs', 'users', 'demographics'],
  startedAt: '2026-01-01T00:00:00.000Z',
};

const finishedReport: SyncReport = {
  runId: base.runId,
  tenantId: base.tenantId,
  mode: 'full',
  requestedMode: 'auto',
  status: 'succeeded',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:03.000Z',
  durationMs: 3000,
  dryRun: false,
  resources: {},
  warnings: [],
  errors: [],
};

const ESC = '\u001b[';

afterEach(() => {
  vi.useRealTimers();
});

describe('terminal progress', () => {
  it('draws one line per resource and redraws the block in place', () => {
    const io = createTestIo({ tty: true, columns: 200 });
    const progress = createTerminalProgress(io.stderr);
    progress.onEvent(started);
    const first = io.err();
    expect(first).toBe(
      `\r${ESC}2Kdistrict-a: full sync\n` +
        `\r${ESC}2K  orgs          waiting\n` +
        `\r${ESC}2K  users         waiting\n` +
        `\r${ESC}2K  demographics  waiting\n`,
    );
    progress.onEvent({
      ...base,
      type: 'resource_started',
      resource: 'users',
      pull: 'complete',
      total: 5000,
    });
    const redraw = io.err().slice(first.length);
    // Cursor up over the 4 lines drawn, then the new block.
    expect(redraw.startsWith(`${ESC}4A`)).toBe(true);
    expect(redraw).toContain('  users         0/5,000 (0%)');
    progress.close();
  });

  it('shows records, rate, ETA and throttling, redrawing at most every redrawMs', () => {
    vi.useFakeTimers();
    const io = createTestIo({ tty: true, columns: 200 });
    const progress = createTerminalProgress(io.stderr, { redrawMs: 100 });
    progress.onEvent(started);
    progress.onEvent({
      ...base,
      type: 'resource_started',
      resource: 'users',
      pull: 'complete',
      total: 5000,
    });
    const before = io.err().length;
    progress.onEvent({
      ...base,
      type: 'page',
      resource: 'users',
      records: 1000,
      total: 5000,
      ratePerSecond: 400,
    });
    progress.onEvent({
      ...base,
      type: 'rate_limit_wait',
      resource: 'users',
      delayMs: 2000,
      reason: 'server_429',
    });
    progress.onEvent({
      ...base,
      type: 'retry',
      resource: 'users',
      attempt: 1,
      delayMs: 500,
      reason: 'HTTP 503',
    });
    progress.onEvent({
      ...base,
      type: 'page',
      resource: 'users',
      records: 1234,
      total: 5000,
      ratePerSecond: 410,
    });
    // Page events are batched: nothing is written until the redraw timer fires.
    expect(io.err().length).toBe(before);
    vi.advanceTimersByTime(100);
    const drawn = io.err().slice(before);
    expect(drawn.match(new RegExp(`${ESC.replace('[', '\\[')}4A`, 'g'))).toHaveLength(1);
    expect(drawn).toContain(
      'users         1,234/5,000 (24%), 410/s, ETA 9.2s, 1 retry, throttled 2.0s by the server',
    );
    progress.close();
  });

  it('leaves the finished block on screen and starts the next run below it', () => {
    const io = createTestIo({ tty: true, columns: 200 });
    const progress = createTerminalProgress(io.stderr);
    progress.onEvent(started);
    progress.onEvent({
      ...base,
      type: 'resource_finished',
      resource: 'orgs',
      fetched: 4,
      invalid: 0,
      durationMs: 100,
    });
    progress.onEvent({
      ...base,
      type: 'resource_finished',
      resource: 'users',
      fetched: 1,
      invalid: 1,
      durationMs: 1000,
    });
    progress.onEvent({
      ...base,
      type: 'resource_finished',
      resource: 'demographics',
      fetched: 0,
      invalid: 0,
      durationMs: 5,
      skipped: 'permission_denied',
    });
    progress.onEvent({ ...base, type: 'run_finished', report: finishedReport });
    const text = io.err();
    expect(text).toContain('  orgs          done: 4 records in 100ms (40/s)');
    expect(text).toContain('  users         done: 1 record in 1.0s (1.0/s), 1 invalid (skipped)');
    expect(text).toContain('  demographics  skipped (permission_denied)');
    const before = text.length;
    progress.onEvent({ ...started, runId: 'run-2', tenantId: 'district-b' });
    // No cursor movement: the new block starts on fresh lines.
    expect(io.err().slice(before).startsWith(`\r${ESC}2Kdistrict-b: full sync\n`)).toBe(true);
  });

  it('cuts lines to the terminal width so that redraws never wrap', () => {
    const io = createTestIo({ tty: true, columns: 30 });
    const progress = createTerminalProgress(io.stderr);
    progress.onEvent(started);
    progress.onEvent({
      ...base,
      type: 'page',
      resource: 'users',
      records: 123456,
      total: 999999,
      ratePerSecond: 12345,
    });
    progress.onEvent({
      ...base,
      type: 'resource_finished',
      resource: 'orgs',
      fetched: 4,
      invalid: 0,
      durationMs: 100,
    });
    for (const line of io.err().split('\n')) {
      const visible = line
        .replaceAll('\r', '')
        .replace(new RegExp(`${'\u001b'}\\[\\d*[A-Za-z]`, 'g'), '');
      expect([...visible].length).toBeLessThanOrEqual(29);
    }
  });

  it('ignores events of runs it did not see start', () => {
    const io = createTestIo({ tty: true });
    const progress = createTerminalProgress(io.stderr);
    progress.onEvent({ ...base, type: 'page', resource: 'users', records: 1, ratePerSecond: 1 });
    expect(io.err()).toBe('');
  });
});

describe('line progress', () => {
  it('prints starts, ends, retries and server throttling, not client pacing', () => {
    const io = createTestIo();
    const progress = createLineProgress(io.stderr, { now: () => 0 });
    progress.onEvent(started);
    progress.onEvent({
      ...base,
      type: 'resource_started',
      resource: 'users',
      pull: 'changes',
      since: 'x',
    });
    progress.onEvent({
      ...base,
      type: 'rate_limit_wait',
      resource: 'users',
      delayMs: 100,
      reason: 'client_limit',
    });
    progress.onEvent({
      ...base,
      type: 'rate_limit_wait',
      resource: 'users',
      delayMs: 3000,
      reason: 'server_headers',
    });
    progress.onEvent({
      ...base,
      type: 'retry',
      resource: 'users',
      attempt: 2,
      delayMs: 1500,
      reason: 'connection reset',
    });
    progress.onEvent({
      ...base,
      type: 'resource_finished',
      resource: 'users',
      fetched: 20,
      invalid: 0,
      durationMs: 2000,
    });
    progress.onEvent({ ...base, type: 'run_finished', report: finishedReport });
    expect(io.err().split('\n')).toEqual([
      '[district-a] full sync started (run run-1234)',
      '[district-a] users: the server asked to slow down, waiting 3.0s',
      '[district-a] users: retry 2 in 1.5s (connection reset)',
      '[district-a] users: 20 records (changes) in 2.0s (10/s), 1 retry, throttled 3.0s by the server',
      '[district-a] full sync succeeded in 3.0s (run run-1234)',
      '',
    ]);
  });

  it('prints progress of a long resource at most every lineEveryMs', () => {
    let now = 0;
    const io = createTestIo();
    const progress = createLineProgress(io.stderr, { now: () => now, lineEveryMs: 10_000 });
    progress.onEvent(started);
    progress.onEvent({
      ...base,
      type: 'resource_started',
      resource: 'users',
      pull: 'complete',
      total: 100_000,
    });
    const page = (records: number) =>
      progress.onEvent({
        ...base,
        type: 'page',
        resource: 'users',
        records,
        total: 100_000,
        ratePerSecond: 1000,
      });
    now = 5_000;
    page(5_000);
    now = 10_000;
    page(10_000);
    now = 15_000;
    page(15_000);
    now = 20_001;
    page(20_000);
    const lines = io
      .err()
      .split('\n')
      .filter((line) => line.includes('users:'));
    expect(lines).toEqual([
      '[district-a] users: 10,000/100,000 (10%), 1,000/s, ETA 1m30s',
      '[district-a] users: 20,000/100,000 (20%), 1,000/s, ETA 1m20s',
    ]);
  });
});

describe('createProgress', () => {
  it('picks the display from the stream, and nothing when quiet', () => {
    const tty = createTestIo({ tty: true });
    createProgress(tty.stderr).onEvent(started);
    expect(tty.err()).toContain(`${ESC}2K`);
    const pipe = createTestIo();
    createProgress(pipe.stderr).onEvent(started);
    expect(pipe.err()).toBe('[district-a] full sync started (run run-1234)\n');
    const verbose = createTestIo({ tty: true });
    createProgress(verbose.stderr, { lines: true }).onEvent(started);
    expect(verbose.err()).not.toContain(ESC);
    const quiet = createTestIo({ tty: true });
    createProgress(quiet.stderr, { quiet: true }).onEvent(started);
    expect(quiet.err()).toBe('');
  });
});
