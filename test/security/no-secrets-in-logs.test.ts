/**
 * A realistic session against loopback servers (OAuth 1.0a, OAuth 2 with a local token endpoint,
 * a static bearer token; successes, retries, 401s, 429s, 500s, timeouts, servers echoing
 * credentials back) with everything observable captured: a debug logger, events, console.*,
 * process stdout/stderr, and every error's message, stack and full inspection. Then every secret
 * is searched for in all of it, and the test fails listing each hit.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthStrategy } from '../../src/auth';
import { parseOAuthAuthorizationHeader } from '../../src/auth/oauth1-signature';
import type { AuthStrategy } from '../../src/auth/types';
import { createHttpTransport } from '../../src/http/transport';
import type { ClientEvent, Logger } from '../../src/options';
import { json, startServer, type TestServer, text } from '../http/helpers/server';

const CONSUMER_KEY = 'ck-district-42';
const CONSUMER_SECRET = 'cs-Very$ecret/Consumer+Value';
const CLIENT_ID = 'client-id-oneroster';
const CLIENT_SECRET = 'client-secret-5up3r&s3cr3t';
const BEARER = 'static-bearer-token-0123456789';

const captured: string[] = [];
const secrets = new Set<string>([
  CONSUMER_SECRET,
  encodeURIComponent(CONSUMER_SECRET),
  CLIENT_SECRET,
  new URLSearchParams({ s: CLIENT_SECRET }).toString().slice(2),
  BEARER,
]);
const servers: TestServer[] = [];

function capture(value: unknown): void {
  captured.push(
    typeof value === 'string' ? value : inspect(value, { depth: 12, showHidden: true }),
  );
}

const logger: Logger = {
  debug: (obj, msg) => capture({ level: 'debug', obj, msg }),
  info: (obj, msg) => capture({ level: 'info', obj, msg }),
  warn: (obj, msg) => capture({ level: 'warn', obj, msg }),
  error: (obj, msg) => capture({ level: 'error', obj, msg }),
};
const onEvent = (event: ClientEvent): void => capture(event);

function recordError(error: unknown): void {
  if (error instanceof Error) {
    captured.push(error.message, String(error.stack), String(error));
    for (
      let e: unknown = error.cause, depth = 0;
      e && depth < 10;
      e = (e as Error).cause, depth++
    ) {
      captured.push(String((e as Error).message), String((e as Error).stack));
    }
  }
  capture(error);
  captured.push(JSON.stringify(error) ?? '');
}

/** Run and keep what comes out: the status of a success (not its body), or the whole error. */
async function run(promise: Promise<{ status: number }>): Promise<void> {
  try {
    capture({ status: (await promise).status });
  } catch (error) {
    recordError(error);
  }
}

/** Everything secret a server saw in an Authorization header: the header, signatures, Basic blobs. */
function harvestAuthorization(header: string | undefined): void {
  if (!header) return;
  secrets.add(header);
  const oauth = parseOAuthAuthorizationHeader(header);
  if (oauth?.oauth_signature) {
    secrets.add(oauth.oauth_signature);
    secrets.add(encodeURIComponent(oauth.oauth_signature));
  }
  const [scheme, value] = header.split(' ');
  if (value && (scheme === 'Bearer' || scheme === 'Basic')) secrets.add(value);
}

beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      for (const arg of args) capture(arg);
    });
  }
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (stdout as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    captured.push(String(chunk));
    return (stderr as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
});

/** A OneRoster server whose behaviour depends on the path, and which echoes credentials back. */
async function oneRosterServer(): Promise<TestServer> {
  const counters = new Map<string, number>();
  const server = await startServer((req, res) => {
    harvestAuthorization(req.headers.authorization);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const n = (counters.get(path) ?? 0) + 1;
    counters.set(path, n);
    const auth = req.headers.authorization ?? '';
    if (path.endsWith('/ok'))
      return json(res, 200, { users: [{ sourcedId: 'u1', password: 'pw-of-a-student' }] });
    if (path.endsWith('/flaky'))
      return n === 1 ? json(res, 503, {}) : json(res, 200, { users: [] });
    if (path.endsWith('/throttled'))
      return n === 1
        ? text(res, 429, '<h1>Too many</h1>', 'text/html', { 'retry-after': '0' })
        : json(res, 200, {});
    if (path.endsWith('/broken'))
      return json(res, 500, { imsx_codeMajor: 'failure', imsx_description: `failed for ${auth}` });
    if (path.endsWith('/echo401')) {
      return text(
        res,
        401,
        `<html><body>Rejected Authorization: ${auth} (token ${auth.split(' ')[1] ?? ''})</body></html>`,
        'text/html',
      );
    }
    if (path.endsWith('/echo403')) {
      return json(res, 403, {
        errors: [
          { codeMajor: 'failure', codeMinor: 'forbidden', description: `header was ${auth}` },
        ],
      });
    }
    if (path.endsWith('/slow')) {
      setTimeout(() => json(res, 200, {}), 1000).unref();
      return;
    }
    if (path.endsWith('/reset')) {
      req.socket.destroy();
      return;
    }
    return json(res, 404, {});
  });
  servers.push(server);
  return server;
}

async function session(origin: string, auth: AuthStrategy): Promise<void> {
  const transport = createHttpTransport({
    baseUrl: new URL(`${origin}/ims/oneroster/v1p1`),
    auth,
    rateLimit: { maxConcurrent: 4, requestsPerSecond: 100 },
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    timeout: 150,
    logger,
    onEvent,
  });
  for (const path of [
    '/ok',
    '/flaky',
    '/throttled',
    '/broken',
    '/echo401',
    '/echo403',
    '/slow',
    '/reset',
    '/missing',
  ]) {
    await run(transport.get({ path, query: { filter: "role='student'", limit: 10 }, onEvent }));
  }
  // A Link URL on another origin (credentials must not follow it).
  await run(transport.get({ path: new URL('https://elsewhere.test/ims/oneroster/v1p1/users') }));
}

describe('no secrets in logs, events, console output or errors', () => {
  it('holds for a full session with OAuth 1.0a, OAuth 2 and a bearer token', async () => {
    const server = await oneRosterServer();

    const oauth1 = createAuthStrategy(
      { type: 'oauth1', consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET },
      { fetch: globalThis.fetch, logger },
    );
    await session(server.origin, oauth1);

    let issued = 0;
    const tokenServer = await startServer((req, res) => {
      harvestAuthorization(req.headers.authorization);
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        issued++;
        const token = `oauth2-access-token-${issued}-${'x'.repeat(20)}`;
        secrets.add(token);
        if (body) secrets.add(body);
        if (issued === 3) return json(res, 503, {});
        json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      });
    });
    servers.push(tokenServer);
    const oauth2 = createAuthStrategy(
      {
        type: 'oauth2',
        tokenUrl: `${tokenServer.origin}/token`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
      { fetch: globalThis.fetch, logger, onEvent },
    );
    await session(server.origin, oauth2);

    const oauth2Body = createAuthStrategy(
      {
        type: 'oauth2',
        tokenUrl: `${tokenServer.origin}/token`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        clientAuthentication: 'body',
      },
      { fetch: globalThis.fetch, logger, onEvent },
    );
    await session(server.origin, oauth2Body);

    // A token endpoint that rejects the client.
    const rejecting = await startServer((req, res) => {
      harvestAuthorization(req.headers.authorization);
      req.resume();
      json(res, 401, { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` });
    });
    servers.push(rejecting);
    await session(
      server.origin,
      createAuthStrategy(
        {
          type: 'oauth2',
          tokenUrl: `${rejecting.origin}/token`,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
        },
        { fetch: globalThis.fetch, logger, onEvent },
      ),
    );

    await session(
      server.origin,
      createAuthStrategy({ type: 'bearer', token: BEARER }, { fetch: globalThis.fetch, logger }),
    );

    // The session really happened: signatures and tokens were harvested, errors and logs captured.
    expect([...secrets].some((s) => s.startsWith('OAuth '))).toBe(true);
    expect([...secrets].some((s) => s.startsWith('oauth2-access-token-'))).toBe(true);
    expect(captured.join('\n')).toContain('oneroster retrying request');
    expect(captured.join('\n')).toContain('timed out');
    expect(captured.join('\n')).toContain('AuthenticationError');

    const haystack = captured.join('\n');
    const hits = [...secrets]
      .filter((secret) => secret.length >= 6)
      .filter((secret) => haystack.includes(secret))
      .map((secret) => {
        const at = haystack.indexOf(secret);
        return `${secret} … in: ${haystack.slice(Math.max(0, at - 120), at + secret.length + 40)}`;
      });
    expect(hits, `secrets found in captured output:\n${hits.join('\n\n')}`).toEqual([]);
    // Record bodies (PII) are never logged either.
    expect(haystack).not.toContain('pw-of-a-student');
  }, 30_000);
});
