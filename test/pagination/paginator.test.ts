import { describe, expect, it } from 'vitest';
import { AbortError, ConfigurationError, PaginationError, ServerError } from '../../src/errors';
import { type Page, Paginator, TO_ARRAY_DEFAULT_CAP } from '../../src/pagination';
import { type FakeRecord, fakeServer, sourceFor } from './fake-source';

const ids = (items: readonly FakeRecord[]) => items.map((r) => r.n);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function collect(paginator: Paginator<FakeRecord>): Promise<number[]> {
  const out: number[] = [];
  for await (const record of paginator) out.push(record.n);
  return out;
}

describe('Paginator: awaitable, iterable, pages, toArray', () => {
  it('requests nothing until awaited or iterated', async () => {
    const server = fakeServer({ count: 10 });
    const paginator = new Paginator(sourceFor(server));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.requests).toHaveLength(0);
    await paginator;
    expect(server.requests).toHaveLength(1);
  });

  it('await resolves to the first page; awaiting again reuses it', async () => {
    const server = fakeServer({ count: 250 });
    const paginator = new Paginator(sourceFor(server));
    const page = await paginator;
    expect(ids(page.items)).toEqual(range(0, 100));
    expect(page.totalCount).toBe(250);
    expect(page.hasNextPage()).toBe(true);
    expect(await paginator).toBe(page);
    expect(server.requests).toHaveLength(1);
  });

  it('iterates every record in order across pages', async () => {
    const server = fakeServer({ count: 250 });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
    expect(server.requests).toHaveLength(3);
  });

  it('pages() yields every page, the first one being the awaited one', async () => {
    const server = fakeServer({ count: 250 });
    const paginator = new Paginator(sourceFor(server));
    const first = await paginator;
    const pages: Page<FakeRecord>[] = [];
    for await (const page of paginator.pages()) pages.push(page);
    expect(pages[0]).toBe(first);
    expect(pages.map((p) => p.items.length)).toEqual([100, 100, 50]);
    expect(pages.at(-1)?.hasNextPage()).toBe(false);
    expect(server.requests).toHaveLength(3);
  });

  it('walks by hand with page.next() until null', async () => {
    const server = fakeServer({ count: 250 });
    let page: Page<FakeRecord> | null = await new Paginator(sourceFor(server));
    const sizes: number[] = [];
    while (page) {
      sizes.push(page.items.length);
      page = await page.next();
    }
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('shares one request between concurrent next() calls', async () => {
    const server = fakeServer({ count: 250, delayMs: 5 });
    const page = await new Paginator(sourceFor(server));
    const [a, b] = await Promise.all([page.next(), page.next()]);
    expect(a).toBe(b);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a failed page when next() is called again', async () => {
    const server = fakeServer({ count: 250, failOn: [2] });
    const page = await new Paginator(sourceFor(server));
    await expect(page.next()).rejects.toBeInstanceOf(ServerError);
    const second = await page.next();
    expect(ids(second?.items ?? [])).toEqual(range(100, 200));
    expect(ids((await second?.next())?.items ?? [])).toEqual(range(200, 250));
  });

  it('retries a failed first page on the next await', async () => {
    const server = fakeServer({ count: 10, failOn: [1] });
    const paginator = new Paginator(sourceFor(server));
    await expect(paginator).rejects.toBeInstanceOf(ServerError);
    expect(ids((await paginator).items)).toEqual(range(0, 10));
  });

  it('keeps iteration state intact after a mid-walk failure: a new walk completes', async () => {
    const server = fakeServer({ count: 350, failOn: [3] });
    const paginator = new Paginator(sourceFor(server));
    const seen: number[] = [];
    await expect(async () => {
      for await (const record of paginator) seen.push(record.n);
    }).rejects.toBeInstanceOf(ServerError);
    expect(seen).toEqual(range(0, 200));
    expect(await collect(paginator)).toEqual(range(0, 350));
  });

  it('pages({ after }) resumes a failed walk without requesting earlier pages again', async () => {
    const server = fakeServer({ count: 450, failOn: [3] });
    const paginator = new Paginator(sourceFor(server));
    const seen: number[] = [];
    let last: Page<FakeRecord> | undefined;
    await expect(async () => {
      for await (const page of paginator.pages()) {
        seen.push(...ids(page.items));
        last = page;
      }
    }).rejects.toBeInstanceOf(ServerError);
    expect(seen).toEqual(range(0, 200));
    const before = server.requests.length;
    for await (const page of paginator.pages({ after: last })) seen.push(...ids(page.items));
    expect(seen).toEqual(range(0, 450));
    expect(
      server.requests.slice(before).map((url) => new URL(url).searchParams.get('offset')),
    ).toEqual(['200', '300', '400']);
  });

  it('pages({ after }) with the last page yields nothing more', async () => {
    const paginator = new Paginator(sourceFor(fakeServer({ count: 50 })));
    const only = await paginator;
    const rest: Page<FakeRecord>[] = [];
    for await (const page of paginator.pages({ after: only })) rest.push(page);
    expect(rest).toEqual([]);
  });

  it('pages({ after }) refuses a page of another paginator', async () => {
    const other = await new Paginator(sourceFor(fakeServer({ count: 50 })));
    const paginator = new Paginator(sourceFor(fakeServer({ count: 50 })));
    const error = await paginator
      .pages({ after: other })
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe('after');
  });

  it('supports catch() and finally() like a promise of the first page', async () => {
    const failing = new Paginator(sourceFor(fakeServer({ count: 1, failOn: [1] })));
    await expect(failing.catch((error: unknown) => (error as Error).name)).resolves.toBe(
      'ServerError',
    );
    let settled = false;
    const page = await new Paginator(sourceFor(fakeServer({ count: 1 }))).finally(() => {
      settled = true;
    });
    expect(settled).toBe(true);
    expect(page.items).toHaveLength(1);
  });
});

describe('Paginator.toArray', () => {
  it('collects everything below the cap', async () => {
    const items = await new Paginator(sourceFor(fakeServer({ count: 250 }))).toArray();
    expect(ids(items)).toEqual(range(0, 250));
  });

  it('stops at an explicit limit without fetching more pages', async () => {
    const server = fakeServer({ count: 1000 });
    const items = await new Paginator(sourceFor(server)).toArray({ limit: 30 });
    expect(ids(items)).toEqual(range(0, 30));
    expect(server.requests).toHaveLength(1);
  });

  it('refuses more than the cap without a limit, from the total, before paging on', async () => {
    const server = fakeServer({ count: TO_ARRAY_DEFAULT_CAP + 1 });
    const error = await new Paginator(sourceFor(server, { limit: 1000 }))
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/for await/);
    expect((error as Error).message).toMatch(/limit/);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses more than the cap without a limit when no total is sent', async () => {
    const server = fakeServer({ count: TO_ARRAY_DEFAULT_CAP + 50, total: false });
    await expect(
      new Paginator(sourceFor(server, { limit: 1000 })).toArray(),
    ).rejects.toBeInstanceOf(PaginationError);
    expect(server.requests).toHaveLength(11);
  });

  it('collects exactly the cap without complaint', async () => {
    const server = fakeServer({ count: TO_ARRAY_DEFAULT_CAP, total: false });
    const items = await new Paginator(sourceFor(server, { limit: 1000 })).toArray();
    expect(items).toHaveLength(TO_ARRAY_DEFAULT_CAP);
  });

  it('collects past the cap with limit: Infinity', async () => {
    const server = fakeServer({ count: TO_ARRAY_DEFAULT_CAP + 50 });
    const items = await new Paginator(sourceFor(server, { limit: 1000 })).toArray({
      limit: Number.POSITIVE_INFINITY,
    });
    expect(items).toHaveLength(TO_ARRAY_DEFAULT_CAP + 50);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects limit %s naming the option', async (limit) => {
    const error = await new Paginator(sourceFor(fakeServer({ count: 1 })))
      .toArray({ limit })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe('limit');
  });
});

describe('Paginator termination', () => {
  it('empty collection: one request, an empty page, no next page', async () => {
    const server = fakeServer({ count: 0 });
    const page = await new Paginator(sourceFor(server));
    expect(page.items).toEqual([]);
    expect(page.hasNextPage()).toBe(false);
    expect(await page.next()).toBeNull();
    expect(server.requests).toHaveLength(1);
  });

  it('a short (clamped) page is not the end: offset advances by records received', async () => {
    const server = fakeServer({ count: 250, clamp: 30, total: false });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
    // 9 pages of <= 30, then the empty page that proves the end.
    expect(server.requests).toHaveLength(10);
    expect(server.requests[1]).toContain('offset=30');
  });

  it('stops at X-Total-Count without requesting an empty page', async () => {
    const server = fakeServer({ count: 250, clamp: 30 });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
    expect(server.requests).toHaveLength(9);
  });

  it('without total or link, stops on the first empty page', async () => {
    const server = fakeServer({ count: 200, total: false });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 200));
    expect(server.requests).toHaveLength(3);
  });

  it('starts at the requested offset', async () => {
    const server = fakeServer({ count: 250 });
    expect(await collect(new Paginator(sourceFor(server, { offset: 120 })))).toEqual(
      range(120, 250),
    );
  });

  it('follows a same-origin cursor link it could not compute itself', async () => {
    const server = fakeServer({ count: 250, link: 'cursor' });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
    expect(server.requests.slice(1).every((url) => url.includes('cursor='))).toBe(true);
  });

  it('in link mode, a page without a next link is the last one', async () => {
    const server = fakeServer({ count: 250, link: 'cursor', total: false });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
    expect(server.requests).toHaveLength(3);
  });

  it('never skips records when a clamping server links to offset + limit', async () => {
    const server = fakeServer({ count: 250, clamp: 30, link: 'offset-plus-limit' });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
  });

  it('treats an offset-style next link as offset paging', async () => {
    const server = fakeServer({ count: 250, link: 'offset' });
    expect(await collect(new Paginator(sourceFor(server)))).toEqual(range(0, 250));
    expect(server.requests).toHaveLength(3);
  });

  it('refuses a next link on another origin after handing out the page', async () => {
    const server = fakeServer({ count: 250, link: 'foreign' });
    const paginator = new Paginator(sourceFor(server));
    const page = await paginator;
    expect(page.hasNextPage()).toBe(true);
    const error = await page.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as PaginationError).code).toBe('pagination_error');
    expect((error as Error).message).toMatch(/another origin/);
    expect(server.requests.some((url) => url.includes('evil.test'))).toBe(false);
    const seen: number[] = [];
    await expect(async () => {
      for await (const record of paginator) seen.push(record.n);
    }).rejects.toBeInstanceOf(PaginationError);
    expect(seen).toEqual(range(0, 100));
  });

  it('detects a next link that repeats a page already fetched', async () => {
    const server = fakeServer({ count: 50, link: 'same' });
    const paginator = new Paginator(sourceFor(server, { limit: 10 }));
    await expect(collect(paginator)).rejects.toBeInstanceOf(PaginationError);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('detects a server that ignores offset (the same records again)', async () => {
    const server = fakeServer({ count: 250, ignoreOffset: true, total: false });
    const source = sourceFor(server, { maxPages: 20 });
    const error = await collect(new Paginator(source)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/repeats the previous page/);
    expect(server.requests).toHaveLength(2);
  });

  it('detects repeated pages without sourcedIds (a projection) by comparing records', async () => {
    const server = fakeServer({ count: 250, ignoreOffset: true, total: false, noIds: true });
    const source = sourceFor(server, { maxPages: 20 });
    const error = await collect(new Paginator(source)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/repeats the previous page/);
    const distinct = fakeServer({ count: 250, total: false, noIds: true });
    expect(await collect(new Paginator(sourceFor(distinct)))).toEqual(range(0, 250));
  });

  it('bounds a walk with maxPages and says so instead of truncating silently', async () => {
    const server = fakeServer({ count: 1000 });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const record of new Paginator(sourceFor(server, { maxPages: 3 }))) {
        seen.push(record.n);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect((error as Error).message).toMatch(/maxPages/);
    expect(seen).toEqual(range(0, 300));
    expect(server.requests).toHaveLength(3);
  });

  it('iterating twice is not mistaken for a loop', async () => {
    const server = fakeServer({ count: 250, link: 'cursor' });
    const paginator = new Paginator(sourceFor(server));
    expect(await collect(paginator)).toEqual(range(0, 250));
    expect(await collect(paginator)).toEqual(range(0, 250));
  });

  it('calling next() twice on the same page (a re-walk) is not a loop', async () => {
    const server = fakeServer({ count: 250, link: 'cursor' });
    const first = await new Paginator(sourceFor(server));
    const a = await first.next();
    const b = await first.next();
    expect(ids(b?.items ?? [])).toEqual(ids(a?.items ?? []));
    expect(ids((await b?.next())?.items ?? [])).toEqual(range(200, 250));
  });
});

describe('Paginator prefetch', () => {
  it('fetches ahead in parallel when the total is known, records stay in order', async () => {
    const server = fakeServer({ count: 2000, delayMs: 5 });
    const source = sourceFor(server, { prefetch: 4 });
    expect(await collect(new Paginator(source))).toEqual(range(0, 2000));
    expect(server.maxInFlight).toBe(4);
    expect(server.requests).toHaveLength(20);
  });

  it('starts fetching the next pages before handing out the current one', async () => {
    const server = fakeServer({ count: 2000, delayMs: 5 });
    const seenAtYield: number[] = [];
    for await (const page of new Paginator(sourceFor(server, { prefetch: 4 })).pages()) {
      seenAtYield.push(server.requests.length);
      if (seenAtYield.length === 3) break;
      expect(page.items).toHaveLength(100);
    }
    // Page 1 plus the 4 pages after it are already requested when page 1 is handed out.
    expect(seenAtYield).toEqual([5, 6, 7]);
  });

  it('keeps at most the window fetched ahead of a slow consumer', async () => {
    const server = fakeServer({ count: 3000, delayMs: 0 });
    const paginator = new Paginator(sourceFor(server, { prefetch: 3 }));
    let consumed = 0;
    let maxAhead = 0;
    let maxBuffered = 0;
    for await (const page of paginator.pages()) {
      consumed++;
      // Let every request that may be in flight finish before looking at what is held.
      await new Promise((resolve) => setTimeout(resolve, 10));
      maxAhead = Math.max(maxAhead, server.requests.length - consumed);
      maxBuffered = Math.max(maxBuffered, server.completed - consumed);
      expect(page.items).toHaveLength(100);
    }
    expect(consumed).toBe(30);
    expect(maxAhead).toBeLessThanOrEqual(3);
    expect(maxBuffered).toBeLessThanOrEqual(3);
    expect(maxBuffered).toBeGreaterThan(0);
  });

  it('fetches one page at a time when the total is unknown', async () => {
    const server = fakeServer({ count: 1000, total: false, delayMs: 2 });
    expect(await collect(new Paginator(sourceFor(server, { prefetch: 4 })))).toEqual(
      range(0, 1000),
    );
    expect(server.maxInFlight).toBe(1);
  });

  it('fetches one page at a time when following cursor links', async () => {
    const server = fakeServer({ count: 1000, link: 'cursor', delayMs: 2 });
    expect(await collect(new Paginator(sourceFor(server, { prefetch: 4 })))).toEqual(
      range(0, 1000),
    );
    expect(server.maxInFlight).toBe(1);
  });

  it('adapts to a server that clamps from the first page on', async () => {
    const server = fakeServer({ count: 1000, clamp: 30, delayMs: 2 });
    expect(await collect(new Paginator(sourceFor(server, { prefetch: 4 })))).toEqual(
      range(0, 1000),
    );
    // ceil(1000 / 30) pages; speculation uses the served page size, so nothing is wasted.
    expect(server.requests).toHaveLength(34);
    expect(server.maxInFlight).toBe(4);
  });

  it('falls back from the right offset when a prefetched page comes back short', async () => {
    const server = fakeServer({ count: 1000, clamp: 30, clampFrom: 300, delayMs: 2 });
    expect(await collect(new Paginator(sourceFor(server, { prefetch: 4 })))).toEqual(
      range(0, 1000),
    );
    expect(server.requests).toContain(
      'https://sis.test/ims/oneroster/v1p1/users?limit=100&offset=330',
    );
  });

  it('cancels pages fetched ahead when the consumer stops early', async () => {
    const server = fakeServer({ count: 2000, delayMs: 30 });
    for await (const page of new Paginator(sourceFor(server, { prefetch: 4 })).pages()) {
      expect(page.items).toHaveLength(100);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.aborted).toBeGreaterThanOrEqual(3);
    expect(server.inFlight).toBe(0);
  });
});

describe('Paginator record iterator', () => {
  it('leaving a record loop early cancels pages fetched ahead', async () => {
    const server = fakeServer({ count: 2000, delayMs: 30 });
    for await (const record of new Paginator(sourceFor(server, { prefetch: 4 }))) {
      expect(record.n).toBe(0);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.aborted).toBeGreaterThanOrEqual(3);
    expect(server.inFlight).toBe(0);
  });

  it('concurrent next() calls still hand out records in order, once each', async () => {
    const server = fakeServer({ count: 25, delayMs: 2 });
    const iterator = new Paginator(sourceFor(server, { limit: 10 }))[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 30 }, () => iterator.next()));
    expect(results.filter((r) => !r.done).map((r) => r.value?.n)).toEqual(range(0, 25));
    expect(results.slice(25).every((r) => r.done)).toBe(true);
  });

  it('after an error the iterator is done', async () => {
    const server = fakeServer({ count: 25, failOn: [2] });
    const iterator = new Paginator(sourceFor(server, { limit: 10 }))[Symbol.asyncIterator]();
    for (let i = 0; i < 10; i++) await iterator.next();
    await expect(iterator.next()).rejects.toBeInstanceOf(ServerError);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });
});

describe('Paginator cancellation', () => {
  it('an aborted signal stops iteration with AbortError', async () => {
    const controller = new AbortController();
    const server = fakeServer({ count: 1000, delayMs: 2 });
    const paginator = new Paginator(sourceFor(server, { signal: controller.signal, prefetch: 4 }));
    const seen: number[] = [];
    const error = await (async () => {
      for await (const record of paginator) {
        seen.push(record.n);
        if (record.n === 150) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toEqual(range(0, 200));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.inFlight).toBe(0);
    expect(server.requests.length).toBeLessThanOrEqual(6);
  });

  it('an already aborted signal requests nothing', async () => {
    const server = fakeServer({ count: 10 });
    const paginator = new Paginator(sourceFor(server, { signal: AbortSignal.abort() }));
    await expect(paginator).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });
});
