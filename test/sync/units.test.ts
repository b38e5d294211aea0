import { describe, expect, it } from 'vitest';
import { ServerError } from '../../src/errors';
import type { SyncState } from '../../src/storage/types';
import { changesSince, nextCursor } from '../../src/sync/cursor';
import { summarizeError } from '../../src/sync/error-summary';
import { recordHash, serializeRecord } from '../../src/sync/hash';
import { IdSet } from '../../src/sync/id-set';
import { autoMode } from '../../src/sync/schedule';
import { describeViolations, shrinkViolations } from '../../src/sync/shrink-guard';
import { WalkStability } from '../../src/sync/stability';
import { orgsInScope } from '../../src/sync/streams';
import { org } from './fake-client';

describe('serializeRecord and recordHash', () => {
  it('hashes the JSON text it returns, so storage can keep that text', () => {
    const record = { sourcedId: 'u-1', roles: [{ role: 'student', org: { sourcedId: 's' } }] };
    const { json, hash } = serializeRecord(record);
    expect(json).toBe(JSON.stringify(record));
    expect(hash).toBe(recordHash(record));
    expect(recordHash(JSON.parse(json))).toBe(hash);
  });

  it('changes with any value, including array order and types', () => {
    const base = { a: [1, 2], b: 'x', c: true };
    const hashes = new Set(
      [
        base,
        { ...base, a: [2, 1] },
        { ...base, b: 'y' },
        { ...base, c: 'true' },
        { ...base, c: false },
        { ...base, d: null },
        { ...base, a: [1, 2, null] },
      ].map(recordHash),
    );
    expect(hashes.size).toBe(7);
  });

  it('does not sort keys: a reordered record hashes differently (it is rewritten once, documented)', () => {
    expect(recordHash({ a: 1, b: 2 })).not.toBe(recordHash({ b: 2, a: 1 }));
  });

  it('matches JSON semantics: undefined is absent, symbols are ignored, strings are escaped', () => {
    const withRaw = Object.defineProperty({ b: 'é"\\\n', a: undefined }, Symbol('raw'), {
      value: { secret: 1 },
    });
    expect(serializeRecord(withRaw).json).toBe(JSON.stringify({ b: 'é"\\\n' }));
    expect(serializeRecord(withRaw).hash).toBe(recordHash({ b: 'é"\\\n' }));
    expect(serializeRecord(undefined).json).toBe('null');
  });

  it('is a short url-safe digest', () => {
    expect(recordHash({ a: 1 })).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });
});

describe('cursors', () => {
  const start = Date.parse('2026-02-01T00:00:00.000Z');

  it('subtracts the lookback', () => {
    expect(changesSince('2026-02-01T00:00:00.000Z', 90_000)).toBe('2026-01-31T23:58:30.000Z');
    expect(changesSince(undefined, 1)).toBeUndefined();
    expect(changesSince('garbage', 1)).toBeUndefined();
  });

  it('takes the latest value seen, capped at the run start minus the skew, never going back', () => {
    const seen = Date.parse('2026-01-15T00:00:00.000Z');
    expect(nextCursor(undefined, seen, start, 60_000)).toBe('2026-01-15T00:00:00.000Z');
    expect(nextCursor(undefined, start + 5_000, start, 60_000)).toBe('2026-01-31T23:59:00.000Z');
    expect(nextCursor('2026-01-20T00:00:00.000Z', seen, start, 0)).toBe('2026-01-20T00:00:00.000Z');
    expect(nextCursor('2026-01-10T00:00:00.000Z', seen, start, 0)).toBe('2026-01-15T00:00:00.000Z');
  });

  it('keeps the previous cursor when nothing was seen', () => {
    expect(nextCursor('2026-01-10T00:00:00.000Z', undefined, start, 0)).toBe(
      '2026-01-10T00:00:00.000Z',
    );
    expect(nextCursor(undefined, undefined, start, 0)).toBeUndefined();
  });
});

describe('autoMode', () => {
  const schedule = { runs: 3, days: 2 };
  const now = new Date('2026-02-10T00:00:00.000Z');
  const state = (extra: Partial<SyncState>): SyncState => ({
    cursors: {},
    incrementalRunsSinceFull: 0,
    runId: 'r',
    lastFullSyncAt: '2026-02-09T00:00:00.000Z',
    ...extra,
  });

  it('chooses full without state or without a full run', () => {
    expect(autoMode(null, now, schedule)).toBe('full');
    const { lastFullSyncAt: _, ...noFull } = state({});
    expect(autoMode(noFull, now, schedule)).toBe('full');
  });

  it('chooses full after N incremental runs or D days, incremental otherwise', () => {
    expect(autoMode(state({ incrementalRunsSinceFull: 2 }), now, schedule)).toBe('incremental');
    expect(autoMode(state({ incrementalRunsSinceFull: 3 }), now, schedule)).toBe('full');
    expect(autoMode(state({ lastFullSyncAt: '2026-02-08T00:00:01.000Z' }), now, schedule)).toBe(
      'incremental',
    );
    expect(autoMode(state({ lastFullSyncAt: '2026-02-08T00:00:00.000Z' }), now, schedule)).toBe(
      'full',
    );
    expect(autoMode(state({ lastFullSyncAt: 'not a date' }), now, schedule)).toBe('full');
  });
});

describe('shrinkViolations', () => {
  const guard = { maxDeleteShare: 0.5, minRecords: 10 };
  const c = (before: number, deleted: number) => ({
    created: 0,
    updated: 0,
    unchanged: before - deleted,
    deleted,
    before,
  });

  it('flags more than the share, above the floor, in swept resources only', () => {
    const plan = { users: c(100, 51), classes: c(100, 50), orgs: c(9, 8), courses: c(100, 90) };
    const fetched = { users: 49, classes: 50, orgs: 1, courses: 10 };
    expect(shrinkViolations(plan, ['users', 'classes', 'orgs'], fetched, guard)).toEqual([
      { resource: 'users', before: 100, deleted: 51, empty: false },
    ]);
  });

  it('flags an empty pull over a stored resource whatever its size', () => {
    expect(shrinkViolations({ orgs: c(1, 1) }, ['orgs'], { orgs: 0 }, guard)).toEqual([
      { resource: 'orgs', before: 1, deleted: 1, empty: true },
    ]);
    expect(shrinkViolations({ orgs: c(0, 0) }, ['orgs'], { orgs: 0 }, guard)).toEqual([]);
  });

  it('describes every violation with its numbers', () => {
    expect(
      describeViolations(
        [
          { resource: 'users', before: 200, deleted: 150, empty: false },
          { resource: 'orgs', before: 3, deleted: 3, empty: true },
        ],
        0.5,
      ),
    ).toBe(
      'Refused by the shrink guard: users would lose 150 of 200 stored records (75%, limit 50%); ' +
        "orgs came back empty while 3 records are stored. Nothing was changed; check the district's " +
        'data sharing, then run again with force: true to apply',
    );
  });
});

describe('orgsInScope', () => {
  it('keeps the schools and their ancestors and names missing schools', () => {
    const orgs = [
      org('state', { type: 'state' }),
      org('district', { type: 'district', parent: { sourcedId: 'state' } }),
      org('s1', { parent: { sourcedId: 'district' } }),
      org('s2', { parent: { sourcedId: 'district' } }),
      org('loop-a', { parent: { sourcedId: 'loop-b' } }),
      org('loop-b', { parent: { sourcedId: 'loop-a' } }),
    ];
    expect(orgsInScope(orgs, ['s1', 'nope', 'loop-a'])).toEqual({
      keep: new Set(['s1', 'district', 'state', 'loop-a', 'loop-b']),
      missing: ['nope'],
    });
  });
});

describe('summarizeError', () => {
  it('keeps package errors as they are and shortens foreign ones', () => {
    const error = new ServerError({ status: 502, method: 'GET', url: 'https://x.test/users' });
    expect(summarizeError(error, 'users', false)).toEqual({
      code: 'server_error',
      message: 'GET https://x.test/users failed with HTTP 502',
      resource: 'users',
    });
    const long = summarizeError(new RangeError('x'.repeat(1000)), undefined, false);
    expect(long.code).toBe('sync_failed');
    expect(long.message).toHaveLength('RangeError: '.length + 301);
    expect(summarizeError(error, undefined, true)).toEqual({
      code: 'aborted',
      message: 'The sync run was aborted',
    });
  });
});

describe('WalkStability', () => {
  it('trusts a listing that delivered what it announced', () => {
    const watch = new WalkStability();
    watch.page(3, 1);
    watch.record('a');
    watch.record('b');
    expect(watch.verdict()).toBeUndefined();
    const noTotals = new WalkStability();
    noTotals.page(undefined, 0);
    noTotals.record('a');
    expect(noTotals.verdict()).toBeUndefined();
  });

  it('names each sign of a collection that changed underneath', () => {
    const moved = new WalkStability();
    moved.page(10, 0);
    moved.page(9, 0);
    expect(moved.verdict()).toBe("the server's total changed from 10 to 9 while it was read");
    const twice = new WalkStability();
    twice.record('a');
    twice.record('a');
    expect(twice.verdict()).toBe('1 record(s) came twice (the collection shifted between pages)');
    const short = new WalkStability();
    short.page(5, 0);
    short.record('a');
    expect(short.verdict()).toBe('received 1 of the 5 records the server announced');
  });

  it('shares the id set it is given', () => {
    const ids = new IdSet();
    const watch = new WalkStability(ids);
    watch.record('x');
    expect(ids.has('x')).toBe(true);
    expect(ids.size).toBe(1);
  });
});

describe('IdSet', () => {
  it('adds, answers and counts like a Set, across growth', () => {
    const ids = new IdSet();
    const n = 5_000;
    for (let i = 0; i < n; i++) expect(ids.add(`u-${i}`)).toBe(true);
    for (let i = 0; i < n; i += 7) expect(ids.add(`u-${i}`)).toBe(false);
    expect(ids.size).toBe(n);
    for (let i = 0; i < n; i++) expect(ids.has(`u-${i}`)).toBe(true);
    expect(ids.has('u-5000')).toBe(false);
    expect(ids.has('')).toBe(false);
    expect(ids.add('')).toBe(true);
    expect(ids.has('')).toBe(true);
  });

  it('merges another set', () => {
    const a = new IdSet();
    const b = new IdSet();
    for (const id of ['x', 'y']) a.add(id);
    for (const id of ['y', 'z', 'w']) b.add(id);
    a.addAll(b);
    expect(a.size).toBe(4);
    for (const id of ['x', 'y', 'z', 'w']) expect(a.has(id)).toBe(true);
    expect(a.has('v')).toBe(false);
  });

  it('tells apart 300,000 ids of the shapes servers use (no hash collision)', () => {
    const ids = new IdSet();
    const hex = (i: number) => i.toString(16).padStart(8, '0');
    let added = 0;
    for (let i = 0; i < 100_000; i++) {
      // Sequential, UUID-like and near-identical ids: the hardest inputs for a weak hash.
      if (ids.add(`enr-${String(i).padStart(7, '0')}`)) added++;
      if (ids.add(`${hex(i)}-0000-4000-8000-${hex(i * 7919)}0000`)) added++;
      if (ids.add(`${String.fromCharCode(0x4e00 + (i % 500))}${i}`)) added++;
    }
    expect(added).toBe(300_000);
    expect(ids.size).toBe(300_000);
  });
});
