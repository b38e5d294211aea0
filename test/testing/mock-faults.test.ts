/**
 * Every fault the mock server injects, its targeting and scheduling, runtime control, and the
 * request log, through the injected fetch (other transports: mock-transports.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import {
  createDataset,
  createMockOneRoster,
  generateDistrict,
  type MockFault,
  type MockOneRoster,
} from '../../src/testing';

const fresh = () => generateDistrict({ seed: 8, schools: 1, studentsPerSchool: 30 });
const dataset = fresh();

function server(faults: MockFault[], version: '1.1' | '1.2' = '1.2', seed?: number) {
  return createMockOneRoster({ dataset, version, faults, ...(seed === undefined ? {} : { seed }) });
}

const get = (mock: MockOneRoster, path: string, init?: RequestInit) =>
  mock.fetch(`${mock.baseUrl}${path}`, init);

afterEach(() => {
  vi.useRealTimers();
});

describe('status faults', () => {
  it('429 with Retry-After in seconds and the version error body', async () => {
    const mock = server([{ kind: 'status', status: 429, retryAfter: 7 }], '1.1');
    const res = await get(mock, '/users');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ imsx_codeMajor: 'failure', imsx_messageRefIdentifier: 'req-1' });
    expect(JSON.stringify(body)).toContain('server_busy');
  });

  it('429 with Retry-After as an HTTP date, and with an HTML body', async () => {
    const when = new Date('2026-05-01T10:00:30Z');
    const mock = server([
      {
        kind: 'status',
        status: 429,
        retryAfter: when,
        body: 'html',
        headers: { 'RateLimit-Remaining': '0' },
      },
    ]);
    const res = await get(mock, '/users');
    expect(res.headers.get('retry-after')).toBe('Fri, 01 May 2026 10:00:30 GMT');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    expect(await res.text()).toContain('<html>');
  });

  it('429 without Retry-After', async () => {
    const res = await get(server([{ kind: 'status', status: 429 }]), '/users');
    expect(res.status).toBe(429);
    expect(res.headers.has('retry-after')).toBe(false);
  });

  it.each([500, 502, 503] as const)('%i with JSON, text or empty bodies', async (status) => {
    const json = await get(server([{ kind: 'status', status }]), '/orgs');
    expect(json.status).toBe(status);
    expect(JSON.stringify(await json.json())).toContain('internal_server_error');
    const text = await get(server([{ kind: 'status', status, body: 'text' }]), '/orgs');
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const empty = await get(server([{ kind: 'status', status, body: 'empty' }]), '/orgs');
    expect(await empty.text()).toBe('');
  });
});

describe('connection and timing faults', () => {
  it('reset: fetch rejects like undici (TypeError with cause.code ECONNRESET)', async () => {
    const mock = server([{ kind: 'reset' }]);
    const error = await get(mock, '/users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code: string }).code).toBe('ECONNRESET');
    expect(mock.log.last()).toMatchObject({ status: 0, faults: ['reset'] });
  });

  it('slow: answers after the delay (fake timers) and can be aborted', async () => {
    vi.useFakeTimers();
    const mock = server([{ kind: 'slow', delayMs: 5_000 }]);
    let done = false;
    const pending = get(mock, '/orgs').then((r) => {
      done = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
    expect(mock.log.last()?.durationMs).toBe(5_000);

    const controller = new AbortController();
    const aborted = get(mock, '/orgs', { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await expect(aborted).rejects.toThrow(/abort/i);
  });

  it('latencyMs delays every response', async () => {
    vi.useFakeTimers();
    const mock = createMockOneRoster({ dataset, version: '1.2', latencyMs: 250 });
    const pending = get(mock, '/orgs');
    await vi.advanceTimersByTimeAsync(250);
    expect((await pending).status).toBe(200);
  });
});

describe('body faults', () => {
  it('truncate: a 200 whose JSON is cut', async () => {
    const mock = server([{ kind: 'truncate', at: 0.4, nth: 1 }]);
    const cut = Buffer.from(await (await get(mock, '/users?limit=20')).arrayBuffer());
    const whole = Buffer.from(await (await get(mock, '/users?limit=20')).arrayBuffer());
    expect(cut.length).toBe(Math.floor(whole.length * 0.4));
    expect(whole.subarray(0, cut.length).equals(cut)).toBe(true);
    expect(() => JSON.parse(cut.toString('utf8'))).toThrow(SyntaxError);
  });

  it('invalid-record: drops a field, or sets a bad value', async () => {
    const dropped = await get(server([{ kind: 'invalid-record' }]), '/users?limit=5');
    const users = ((await dropped.json()) as { users: Array<Record<string, unknown>> }).users;
    expect(users.filter((u) => !('sourcedId' in u))).toHaveLength(1);
    expect('sourcedId' in (users[2] ?? {})).toBe(false);
    const valued = await get(
      server([{ kind: 'invalid-record', field: 'status', value: 'deleted', index: 0 }]),
      '/users?limit=5',
    );
    expect(((await valued.json()) as { users: Array<{ status: string }> }).users[0]?.status).toBe(
      'deleted',
    );
  });

  it('clamp: serves fewer records than asked, with headers to match', async () => {
    const res = await get(server([{ kind: 'clamp', limit: 3 }]), '/users?limit=50&offset=6');
    expect(((await res.json()) as { users: unknown[] }).users).toHaveLength(3);
    expect(res.headers.get('link')).toContain('limit=3&offset=9>; rel="next"');
  });

  it('insert-before: a walk by offset sees a record twice', async () => {
    const local = fresh();
    const mock = createMockOneRoster({
      dataset: local,
      version: '1.2',
      faults: [{ kind: 'insert-before', path: '/users', nth: 2 }],
    });
    const size = local.users.size;
    const first = (
      (await (await get(mock, '/users?limit=10')).json()) as { users: Array<{ sourcedId: string }> }
    ).users;
    const second = (
      (await (await get(mock, '/users?limit=10&offset=10')).json()) as {
        users: Array<{ sourcedId: string }>;
      }
    ).users;
    expect(local.users.size).toBe(size + 1);
    // A copy of page 1's ninth record sorts right after it, pushing the tenth onto page 2.
    expect(second[0]?.sourcedId).toBe(first[9]?.sourcedId);
    const copy = local.users.get(`${first[8]?.sourcedId}-ins1`);
    expect(copy?.username).not.toBe(local.users.get(first[8]?.sourcedId as string)?.username);
    expect(Date.parse(copy?.dateLastModified ?? '')).toBeGreaterThan(
      Date.parse(dataset.latestModified),
    );
  });

  it('delete-before: a walk by offset skips records', async () => {
    const local = fresh();
    const mock = createMockOneRoster({
      dataset: local,
      version: '1.2',
      faults: [{ kind: 'delete-before', path: '/enrollments', nth: 2, count: 2 }],
    });
    const all = [...local.enrollments.ids()];
    await get(mock, '/enrollments?limit=10');
    const second = (
      (await (await get(mock, '/enrollments?limit=10&offset=10')).json()) as {
        enrollments: Array<{ sourcedId: string }>;
      }
    ).enrollments;
    expect(local.enrollments.has(all[9] as string)).toBe(false);
    expect(local.enrollments.has(all[8] as string)).toBe(false);
    expect(second[0]?.sourcedId).toBe(all[12]);
  });
});

describe('targeting and scheduling', () => {
  const statuses = async (mock: MockOneRoster, path: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await get(mock, path)).status);
    return out;
  };

  it('nth, every and times', async () => {
    expect(
      await statuses(server([{ kind: 'status', status: 503, nth: [2, 4] }]), '/orgs', 5),
    ).toEqual([200, 503, 200, 503, 200]);
    expect(await statuses(server([{ kind: 'status', status: 503, every: 3 }]), '/orgs', 7)).toEqual(
      [200, 200, 503, 200, 200, 503, 200],
    );
    expect(await statuses(server([{ kind: 'status', status: 503, times: 2 }]), '/orgs', 4)).toEqual(
      [503, 503, 200, 200],
    );
    expect(
      await statuses(server([{ kind: 'status', status: 503, every: 2, times: 1 }]), '/orgs', 6),
    ).toEqual([200, 503, 200, 200, 200, 200]);
  });

  it('path globs, RegExps and methods; occurrences count matching requests only', async () => {
    const mock = server([
      { kind: 'status', status: 500, path: '/users*', nth: 2 },
      { kind: 'status', status: 502, path: /^\/classes\/[^/]+\/students$/ },
      { kind: 'status', status: 503, method: 'POST' },
    ]);
    const klass = dataset.classes.at(0)?.sourcedId;
    expect((await get(mock, '/users')).status).toBe(200);
    expect((await get(mock, '/orgs')).status).toBe(200);
    expect((await get(mock, `/users/${dataset.users.at(0)?.sourcedId}`)).status).toBe(500);
    expect((await get(mock, `/classes/${klass}/students`)).status).toBe(502);
    expect((await get(mock, `/classes/${klass}`)).status).toBe(200);
    expect((await get(mock, '/orgs', { method: 'POST' })).status).toBe(503);
  });

  it('probability is seeded: same seed, same schedule', async () => {
    const schedule = async (seed: number) =>
      statuses(
        server([{ kind: 'status', status: 429, probability: 0.3 }], '1.2', seed),
        '/orgs',
        40,
      );
    const a = await schedule(1);
    expect(await schedule(1)).toEqual(a);
    expect(await schedule(2)).not.toEqual(a);
    const fired = a.filter((s) => s === 429).length;
    expect(fired).toBeGreaterThan(3);
    expect(fired).toBeLessThan(25);
    // A fault's own seed wins over the server's.
    const own = async (serverSeed: number) =>
      statuses(
        server([{ kind: 'status', status: 429, probability: 0.5, seed: 'x' }], '1.2', serverSeed),
        '/orgs',
        20,
      );
    expect(await own(1)).toEqual(await own(2));
  });

  it('status faults come before auth (a gateway answers first)', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      auth: { type: 'bearer', tokens: ['t'] },
      faults: [{ kind: 'status', status: 429 }],
    });
    expect((await get(mock, '/orgs')).status).toBe(429);
    expect(mock.log.last()?.auth).toBe('skipped');
  });
});

describe('runtime control', () => {
  it('add, injectOnce, list, remove, set, clear', async () => {
    const mock = createMockOneRoster({ dataset, version: '1.1' });
    expect((await get(mock, '/orgs')).status).toBe(200);
    mock.faults.injectOnce({ kind: 'status', status: 500 });
    expect((await get(mock, '/orgs')).status).toBe(500);
    expect((await get(mock, '/orgs')).status).toBe(200);
    const id = mock.faults.add({ kind: 'status', status: 502, path: '/orgs' });
    await get(mock, '/users');
    expect((await get(mock, '/orgs')).status).toBe(502);
    expect(mock.faults.list().find((f) => f.id === id)).toMatchObject({ seen: 1, fired: 1 });
    expect(mock.faults.remove(id)).toBe(true);
    expect(mock.faults.remove(id)).toBe(false);
    mock.faults.set([
      { kind: 'status', status: 503 },
      { kind: 'slow', delayMs: 0 },
    ]);
    expect(mock.faults.list()).toHaveLength(2);
    expect((await get(mock, '/orgs')).status).toBe(503);
    mock.faults.clear();
    expect((await get(mock, '/orgs')).status).toBe(200);
  });

  it.each([
    [{ kind: 'boom' }, 'faults[0].kind'],
    [{ kind: 'status', status: 200 }, 'faults[0].status'],
    [{ kind: 'slow', delayMs: -1 }, 'faults[0].delayMs'],
    [{ kind: 'truncate', at: 1 }, 'faults[0].at'],
    [{ kind: 'clamp', limit: 0 }, 'faults[0].limit'],
    [{ kind: 'reset', nth: 0 }, 'faults[0].nth'],
    [{ kind: 'reset', every: 1.5 }, 'faults[0].every'],
    [{ kind: 'reset', probability: 2 }, 'faults[0].probability'],
    [{ kind: 'reset', times: 0 }, 'faults[0].times'],
    [{ kind: 'insert-before', count: 0 }, 'faults[0].count'],
  ])('rejects %j (%s)', (fault, option) => {
    try {
      server([fault as MockFault]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).option).toBe(option);
    }
  });
});

describe('request log', () => {
  it('turns a failure of the mock itself into a 500 and keeps the reason', async () => {
    // A record the mock cannot serialise: a stand-in for a bug in the mock.
    const broken = createDataset({
      orgs: [
        {
          sourcedId: 'org-1',
          status: 'active',
          dateLastModified: '2025-01-01T00:00:00Z',
          name: 'North',
          type: 'school',
          metadata: { size: 10n },
        },
      ],
    });
    const mock = createMockOneRoster({ dataset: broken, version: '1.2' });
    const res = await get(mock, '/orgs');
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).toContain('internal_server_error');
    expect(mock.log.last()?.error).toMatch(/BigInt/);
  });

  it('records method, url, status, timing, auth, faults and concurrency', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const mock = server([{ kind: 'slow', delayMs: 100, path: '/users' }]);
    const calls = Array.from({ length: 5 }, (_, i) =>
      get(mock, `/users?offset=${i}&access_token=secret-value`),
    );
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(calls);
    await get(mock, '/orgs');
    expect(mock.log.length).toBe(6);
    expect(mock.log.maxInFlight()).toBe(5);
    expect(mock.log.entries.map((e) => e.inFlight)).toEqual([1, 2, 3, 4, 5, 1]);
    expect(mock.log.entries[0]).toMatchObject({
      id: 1,
      method: 'GET',
      path: '/users',
      status: 200,
      time: Date.parse('2026-01-01T00:00:00Z'),
      durationMs: 100,
      auth: 'none',
      faults: ['slow'],
    });
    // Credentials never reach the log.
    expect(mock.log.entries[0]?.url).toContain('access_token=[REDACTED]');
    expect(mock.log.count((e) => e.path === '/orgs')).toBe(1);
    // Five arrived at the same instant, the sixth 100 ms later.
    expect(mock.log.maxRate(100)).toBe(5);
    expect(mock.log.maxRate(101)).toBe(6);
    expect([...mock.log].length).toBe(6);
    mock.log.clear();
    expect(mock.log.length).toBe(0);
  });
});
