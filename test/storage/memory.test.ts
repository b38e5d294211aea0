import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { MemoryStorage } from '../../src/storage/memory';
import { compareCodePoints } from '../../src/storage/memory/order';
import type { StagedRecord } from '../../src/storage/types';
import { StorageError } from '../../src/sync/errors';
import { runStorageAdapterContract } from '../../src/testing/storage-contract';

runStorageAdapterContract({
  name: 'memory',
  create: async () => new MemoryStorage(),
  describe,
  it,
  expect,
  beforeEach,
  afterEach,
});

// The suite also works without hooks (each test creates and destroys its own adapter).
runStorageAdapterContract({
  name: 'memory (no hooks)',
  create: async () => new MemoryStorage(),
  describe,
  it,
  expect,
  largeCount: 100,
});

function org(sourcedId: string, hash = `h-${sourcedId}`): StagedRecord<'orgs'> {
  const dateLastModified = '2026-01-01T00:00:00.000Z';
  return {
    sourcedId,
    status: 'active',
    dateLastModified,
    data: { sourcedId, status: 'active', dateLastModified, name: 'School', type: 'school' },
    raw: { sourcedId },
    hash,
  };
}

describe('MemoryStorage specifics', () => {
  it('rejects bad arguments with typed errors naming the problem', async () => {
    const storage = new MemoryStorage();
    await expect(storage.getState('')).rejects.toBeInstanceOf(ConfigurationError);
    await expect(storage.count('pets' as never, { tenantId: 't' })).rejects.toThrow(
      /unknown resource "pets"/,
    );
    await expect(storage.runs({ tenantId: 't', limit: -1 })).rejects.toThrow(/limit/);
    const run = await storage.beginRun('t', 'r1');
    const bad = { ...org('o-1'), sourcedId: '' };
    await expect(run.stage('orgs', [org('o-0'), bad])).rejects.toThrow(
      /stage\(orgs\) record #1 has no sourcedId/,
    );
    await expect(run.stage('orgs', [{ ...org('o-2'), status: 'gone' as never }])).rejects.toThrow(
      StorageError,
    );
    // A rejected batch keeps nothing of itself.
    expect(await run.plan({ resources: ['orgs'], sweep: [] })).toEqual({
      orgs: { created: 0, updated: 0, deleted: 0, unchanged: 0, before: 0 },
    });
    expect(() => new MemoryStorage({ now: 5 as never })).toThrow(ConfigurationError);
  });

  it('never puts record values in error messages', async () => {
    const storage = new MemoryStorage();
    const run = await storage.beginRun('t', 'r1');
    const secret = { ...org('o-1'), hash: '', data: { ...org('o-1').data, name: 'Secret Name' } };
    const error = await run.stage('orgs', [secret]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(String((error as Error).message)).not.toContain('Secret Name');
  });

  it('isolates stored data from the caller and drops what JSON cannot keep', async () => {
    const storage = new MemoryStorage();
    const record = org('o-1');
    const withSymbol = Object.defineProperty({ ...record.data }, Symbol('raw'), { value: 1 });
    const run = await storage.beginRun('t', 'r1');
    await run.stage('orgs', [{ ...record, data: withSymbol }]);
    withSymbol.name = 'mutated after staging';
    await run.commit({
      resources: ['orgs'],
      sweep: [],
      state: { cursors: {}, incrementalRunsSinceFull: 0, runId: 'r1' },
      report: {
        runId: 'r1',
        tenantId: 't',
        mode: 'full',
        requestedMode: 'full',
        status: 'succeeded',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
        durationMs: 1000,
        dryRun: false,
        resources: {},
        warnings: [],
        errors: [],
      },
    });
    const first = await storage.get('orgs', 'o-1', { tenantId: 't' });
    expect(first?.data.name).toBe('School');
    expect(Object.getOwnPropertySymbols(first?.data)).toEqual([]);
    if (first) first.data.name = 'mutated by a reader';
    expect((await storage.get('orgs', 'o-1', { tenantId: 't' }))?.data.name).toBe('School');
  });

  it('stamps syncedAt and deletedAt with the injected clock', async () => {
    let now = Date.parse('2026-05-01T00:00:00.000Z');
    const storage = new MemoryStorage({ now: () => new Date(now) });
    const state = { cursors: {}, incrementalRunsSinceFull: 0, runId: 'x' };
    const report = (runId: string) => ({
      runId,
      tenantId: 't',
      mode: 'full' as const,
      requestedMode: 'full' as const,
      status: 'succeeded' as const,
      startedAt: new Date(now).toISOString(),
      finishedAt: new Date(now).toISOString(),
      durationMs: 0,
      dryRun: false,
      resources: {},
      warnings: [],
      errors: [],
    });
    const r1 = await storage.beginRun('t', 'r1');
    await r1.stage('orgs', [org('o-1'), org('o-2')]);
    await r1.commit({ resources: ['orgs'], sweep: ['orgs'], state, report: report('r1') });
    now += 60_000;
    const r2 = await storage.beginRun('t', 'r2');
    await r2.stage('orgs', [org('o-1')]);
    await r2.commit({ resources: ['orgs'], sweep: ['orgs'], state, report: report('r2') });
    const kept = await storage.get('orgs', 'o-1', { tenantId: 't' });
    const gone = await storage.get('orgs', 'o-2', { tenantId: 't', includeDeleted: true });
    expect(kept?.syncedAt).toBe('2026-05-01T00:00:00.000Z');
    expect(gone?.deletedAt).toBe('2026-05-01T00:01:00.000Z');
    expect(gone?.syncedAt).toBe('2026-05-01T00:01:00.000Z');
  });

  it('refuses every call after close()', async () => {
    const storage = new MemoryStorage();
    await storage.close();
    await expect(storage.getState('t')).rejects.toThrow(/closed/);
  });

  it('handles 100,000 records quickly', async () => {
    const storage = new MemoryStorage();
    const records = Array.from({ length: 100_000 }, (_, i) => org(`o-${i}`));
    const started = performance.now();
    const run = await storage.beginRun('t', 'r1');
    for (let i = 0; i < records.length; i += 1000) {
      await run.stage('orgs', records.slice(i, i + 1000));
    }
    await run.commit({
      resources: ['orgs'],
      sweep: ['orgs'],
      state: { cursors: {}, incrementalRunsSinceFull: 0, runId: 'r1' },
      report: {
        runId: 'r1',
        tenantId: 't',
        mode: 'full',
        requestedMode: 'full',
        status: 'succeeded',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
        durationMs: 1000,
        dryRun: false,
        resources: {},
        warnings: [],
        errors: [],
      },
    });
    let n = 0;
    for await (const _ of storage.list('orgs', { tenantId: 't' })) n++;
    expect(n).toBe(100_000);
    // Generous bound for a loaded 2-core machine; typically well under a second.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, unlike UTF-16 code units', () => {
    expect(compareCodePoints('\uff5a', '\u{1f600}')).toBeLessThan(0);
    expect('\uff5a' < '\u{1f600}').toBe(false);
    expect(compareCodePoints('\u{1f600}', '\u{1f601}')).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
    expect(compareCodePoints('\u{1f600}', 'a')).toBeGreaterThan(0);
  });
});
