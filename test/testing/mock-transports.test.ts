/**
 * The three ways to reach the mock (msw handlers, injected fetch, real HTTP) behave the same,
 * including how a connection reset looks in each; and the kit loads without msw installed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { createMockOneRoster, generateDistrict, type MockOneRoster } from '../../src/testing';

const dataset = generateDistrict({ seed: 9, schools: 1, studentsPerSchool: 20 });
const run = promisify(execFile);

async function bodyOf(res: Response) {
  return { status: res.status, total: res.headers.get('x-total-count'), json: await res.json() };
}

describe('msw handlers', () => {
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    stop = undefined;
  });

  function intercept(mock: MockOneRoster) {
    const server = setupServer(...mock.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    stop = () => server.close();
  }

  it('answer the same as the injected fetch, through the global fetch', async () => {
    const mock = createMockOneRoster({ dataset, version: '1.2' });
    intercept(mock);
    const url = `${mock.baseUrl}/users?limit=5&offset=3&sort=familyName`;
    expect(await bodyOf(await fetch(url))).toEqual(await bodyOf(await mock.fetch(url)));
    expect(mock.handlers).toBe(mock.handlers);
  });

  it('leave other URLs unhandled (onUnhandledFrame: error catches them)', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      baseUrl: 'https://sis.example.test/app-7',
    });
    intercept(mock);
    expect(mock.baseUrl).toBe('https://sis.example.test/app-7/ims/oneroster/rostering/v1p2');
    expect((await fetch(`${mock.baseUrl}/orgs`)).status).toBe(200);
    // Same origin, outside the base path: not the mock's, so msw refuses to let it through.
    const error = await fetch('https://sis.example.test/elsewhere').catch((e: unknown) => e);
    expect(String((error as Error).cause)).toMatch(/Cannot bypass a request/);
  });

  it('turn a reset into a network error', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.1',
      faults: [{ kind: 'reset', nth: 1 }],
    });
    intercept(mock);
    await expect(fetch(`${mock.baseUrl}/orgs`)).rejects.toBeInstanceOf(TypeError);
    expect((await fetch(`${mock.baseUrl}/orgs`)).status).toBe(200);
  });

  it('serve the OAuth 2 token endpoint', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      auth: {
        type: 'oauth2',
        clients: { c: { secret: 's', scopes: ['roster.readonly'] } },
        tokenPath: '/token',
      },
    });
    intercept(mock);
    const res = await fetch(mock.tokenUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=c&client_secret=s',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const orgs = await fetch(`${mock.baseUrl}/orgs`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(orgs.status).toBe(200);
  });
});

describe('injected fetch', () => {
  it('refuses other origins like an unknown host', async () => {
    const mock = createMockOneRoster({ dataset, version: '1.2' });
    const error = await mock
      .fetch('https://elsewhere.test/ims/oneroster/rostering/v1p2/orgs')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as { code: string }).code).toBe('ENOTFOUND');
  });

  it('accepts a Request object and honours an already aborted signal', async () => {
    const mock = createMockOneRoster({ dataset, version: '1.2' });
    expect((await mock.fetch(new Request(`${mock.baseUrl}/orgs`))).status).toBe(200);
    await expect(
      mock.fetch(`${mock.baseUrl}/orgs`, { signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });

  it('is independent per server (safe in parallel tests)', async () => {
    const a = createMockOneRoster({
      dataset,
      version: '1.1',
      faults: [{ kind: 'status', status: 503 }],
    });
    const b = createMockOneRoster({ dataset, version: '1.1' });
    const [ra, rb] = await Promise.all([
      a.fetch(`${a.baseUrl}/orgs`),
      b.fetch(`${b.baseUrl}/orgs`),
    ]);
    expect([ra.status, rb.status]).toEqual([503, 200]);
    expect([a.log.length, b.log.length]).toEqual([1, 1]);
  });
});

describe('listen()', () => {
  it('serves over HTTP on 127.0.0.1 and closes', async () => {
    const mock = createMockOneRoster({ dataset, version: '1.1' });
    const listener = await mock.listen();
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listener.baseUrl).toBe(`${listener.url}/ims/oneroster/v1p1`);
    const url = `${listener.baseUrl}/users?limit=4`;
    const res = await fetch(url);
    // The same body: hrefs are canonical (under the `baseUrl` option) whatever the transport.
    expect(await bodyOf(res)).toEqual(
      await bodyOf(await mock.fetch(`${mock.baseUrl}/users?limit=4`)),
    );
    await listener.close();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('resets the connection for a reset fault', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      faults: [{ kind: 'reset', nth: 1 }],
    });
    const listener = await mock.listen();
    try {
      await expect(fetch(`${listener.baseUrl}/orgs`)).rejects.toBeInstanceOf(TypeError);
      expect((await fetch(`${listener.baseUrl}/orgs`)).status).toBe(200);
    } finally {
      await listener.close();
    }
  });

  it('stops waiting when the client hangs up, and close() drops open connections', async () => {
    const mock = createMockOneRoster({
      dataset,
      version: '1.2',
      faults: [{ kind: 'slow', delayMs: 60_000 }],
    });
    const listener = await mock.listen();
    const controller = new AbortController();
    const pending = fetch(`${listener.baseUrl}/orgs`, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(pending).rejects.toThrow();
    const started = Date.now();
    await listener.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects a bad port', async () => {
    const mock = createMockOneRoster({ dataset, version: '1.2' });
    await expect(mock.listen({ port: 70_000 })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('without msw installed', () => {
  it('loads the kit, serves fetch, and explains what handlers need', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oneroster-no-msw-'));
    // A resolve hook that makes `msw` unresolvable, as in a project that did not install it.
    const hook = join(dir, 'hide-msw.mjs');
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'msw' || specifier.startsWith('msw/')) {
      throw Object.assign(new Error("Cannot find module 'msw'"), { code: 'MODULE_NOT_FOUND' });
    }
    return next(specifier, context);
  },
});
`,
    );
    const script = join(dir, 'check.mts');
    writeFileSync(
      script,
      `import { createMockOneRoster, generateDistrict } from ${JSON.stringify(join(import.meta.dirname, '../../src/testing/index.ts'))};
const mock = createMockOneRoster({ dataset: generateDistrict({ seed: 1 }), version: '1.2' });
const res = await mock.fetch(mock.baseUrl + '/orgs');
let message = 'no error';
try { void mock.handlers; } catch (error) { message = (error as Error).name + ': ' + (error as Error).message; }
console.log(JSON.stringify({ status: res.status, message }));
`,
    );
    const { stdout } = await run(process.execPath, ['--import', hook, '--import', 'tsx', script], {
      cwd: join(import.meta.dirname, '../..'),
      timeout: 30_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() as string) as {
      status: number;
      message: string;
    };
    expect(result.status).toBe(200);
    expect(result.message).toMatch(/^ConfigurationError: .*msw is not installed/);
  });
});
