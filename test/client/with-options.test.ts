import { describe, expect, it } from 'vitest';
import { OneRosterClient } from '../../src/client';
import { ConfigurationError, ValidationError } from '../../src/errors';
import type { ClientEvent, ClientOptions } from '../../src/options';

const BASE = 'https://sis.test/ims/oneroster/v1p1';

const user = (n: number, extra: Record<string, unknown> = {}) => ({
  sourcedId: `u-${n}`,
  status: 'active',
  dateLastModified: '2024-01-01T00:00:00Z',
  username: `user${n}`,
  enabledUser: true,
  givenName: 'Given',
  familyName: 'Family',
  role: 'student',
  orgs: [{ sourcedId: 's-1', type: 'org', href: `${BASE}/orgs/s-1` }],
  ...extra,
});

/** A fetch that records URLs and the most requests it ever had in flight at once. */
function slowFetch(delayMs: number, records = [user(1), user(2, { status: 'bogus' })]) {
  const stats = { inFlight: 0, maxInFlight: 0, urls: [] as string[] };
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    stats.urls.push(url.href);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    stats.inFlight--;
    return Response.json(
      { users: records },
      { headers: { 'x-total-count': String(records.length) } },
    );
  };
  return { fetch: fetch as typeof globalThis.fetch, stats };
}

const options = (
  fetch: typeof globalThis.fetch,
  extra: Partial<ClientOptions> = {},
): ClientOptions => ({
  baseUrl: BASE,
  fetch,
  rateLimit: { maxConcurrent: 1, requestsPerSecond: 1000 },
  retry: false,
  ...extra,
});

async function concurrently(a: OneRosterClient, b: OneRosterClient): Promise<void> {
  await Promise.all([a.users.list(), b.users.list(), a.users.list(), b.users.list()]);
}

describe('withOptions', () => {
  it('shares the transport (and its rate limiter) for non-transport options', async () => {
    const { fetch, stats } = slowFetch(15, [user(1)]);
    const parent = new OneRosterClient(options(fetch));
    const child = parent.withOptions({
      validation: 'strict',
      pageSize: 7,
      maxPages: 10,
      version: '1.1',
    });
    await concurrently(parent, child);
    expect(stats.maxInFlight).toBe(1);
  });

  it('treats an equal object as no change', async () => {
    const { fetch, stats } = slowFetch(15);
    const parent = new OneRosterClient(options(fetch));
    const child = parent.withOptions({
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 1000 },
      fetch,
      retry: false,
    });
    await concurrently(parent, child);
    expect(stats.maxInFlight).toBe(1);
  });

  it.each<[string, Partial<ClientOptions>]>([
    ['timeout', { timeout: 5_000 }],
    ['headers', { headers: { 'x-tenant': 't-2' } }],
    ['rateLimit', { rateLimit: { maxConcurrent: 1, requestsPerSecond: 999 } }],
    ['retry', { retry: { retries: 1 } }],
    ['auth', { auth: { type: 'bearer', token: 'other' } }],
    ['onEvent', { onEvent: () => {} }],
    ['logger', { logger: console }],
  ])('builds its own transport when %s changes', async (_name, partial) => {
    const { fetch, stats } = slowFetch(15);
    const parent = new OneRosterClient(options(fetch));
    const child = parent.withOptions(partial);
    await concurrently(parent, child);
    expect(stats.maxInFlight).toBe(2);
  });

  it('builds its own transport for a new baseUrl and reads its version', async () => {
    const { fetch, stats } = slowFetch(5);
    const parent = new OneRosterClient(options(fetch));
    const child = parent.withOptions({
      baseUrl: 'https://other.test/ims/oneroster/rostering/v1p2',
    });
    expect(child.version).toBe('1.2');
    expect(child.baseUrl).toBe('https://other.test/ims/oneroster/rostering/v1p2');
    await child.users.list();
    expect(stats.urls.at(-1)).toMatch(
      /^https:\/\/other\.test\/ims\/oneroster\/rostering\/v1p2\/users\?/,
    );
  });

  it('applies the new non-transport options and leaves the parent alone', async () => {
    const { fetch, stats } = slowFetch(0);
    const parent = new OneRosterClient(options(fetch));
    const child = parent.withOptions({ validation: 'strict', pageSize: 7 });
    await expect(child.users.list()).rejects.toBeInstanceOf(ValidationError);
    expect(stats.urls.at(-1)).toContain('limit=7');
    const page = await parent.users.list();
    expect(page.items).toHaveLength(1);
    expect(stats.urls.at(-1)).toContain('limit=1000');
  });

  it('keeps the parent options it does not change (auth, headers)', async () => {
    const seen: Headers[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(input instanceof Request ? input.headers : init?.headers));
      return Response.json({ users: [] });
    }) as typeof globalThis.fetch;
    const parent = new OneRosterClient(
      options(fetch, { auth: { type: 'bearer', token: 'tok-1' }, headers: { 'x-tenant': 't-1' } }),
    );
    await parent.withOptions({ timeout: 1000 }).users.list();
    expect(seen[0]?.get('authorization')).toBe('Bearer tok-1');
    expect(seen[0]?.get('x-tenant')).toBe('t-1');
  });

  it('validates the merged options', () => {
    const parent = new OneRosterClient({ baseUrl: BASE });
    expect(() => parent.withOptions({ pageSize: 0 })).toThrow(ConfigurationError);
    expect(() => parent.withOptions({ rateLimit: { maxConcurrent: 0 } })).toThrow(
      ConfigurationError,
    );
    expect(() => parent.withOptions(null as never)).toThrow(ConfigurationError);
  });

  it('per-call onEvent receives request and invalid_record events; the client-wide one too', async () => {
    const { fetch } = slowFetch(0);
    const clientEvents: ClientEvent[] = [];
    const parent = new OneRosterClient(options(fetch, { onEvent: (e) => clientEvents.push(e) }));
    const child = parent.withOptions({ validation: 'lenient' });
    const callEvents: ClientEvent[] = [];
    await child.users.list(undefined, { onEvent: (e) => callEvents.push(e) });
    expect(callEvents.map((e) => e.type)).toEqual(['request', 'response', 'invalid_record']);
    expect(clientEvents.map((e) => e.type)).toEqual(['request', 'response', 'invalid_record']);
    expect(callEvents[2]).toMatchObject({
      type: 'invalid_record',
      resource: 'users',
      sourcedId: 'u-2',
    });
  });
});
