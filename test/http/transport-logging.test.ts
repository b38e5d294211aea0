import { afterEach, describe, expect, it } from 'vitest';
import type { ClientEvent, Logger } from '../../src/options';
import { rotatingBearer } from './helpers/auth';
import { virtualClock } from './helpers/clock';
import { json, startServer, type TestServer } from './helpers/server';
import { transportFor } from './helpers/transport';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Entry {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function capturingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('logging and events', () => {
  it('logs request/response at debug with redacted URL, status, duration and attempt; retries at warn', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 503, {}, { 'retry-after': '1' });
      else json(res, 200, { users: [{ sourcedId: 'u1', givenName: 'Pat' }] });
    });
    const logger = capturingLogger();
    const events: ClientEvent[] = [];
    const transport = transportFor(server.origin, {
      ...virtualClock(),
      logger,
      onEvent: (e) => events.push(e),
      auth: rotatingBearer(['bearer-token-value-1']),
    });
    await transport.get({ path: '/users', query: { access_token: 'in-query-token', limit: 2 } });
    const url = `${server.origin}/ims/oneroster/v1p1/users?access_token=[REDACTED]&limit=2`;
    const debug = logger.entries.filter((e) => e.level === 'debug');
    expect(debug.map((e) => e.msg)).toEqual([
      'oneroster request',
      'oneroster response',
      'oneroster request',
      'oneroster response',
    ]);
    expect(debug[0]?.obj).toEqual({ method: 'GET', url, attempt: 1 });
    expect(debug[1]?.obj).toMatchObject({ method: 'GET', url, status: 503, attempt: 1 });
    expect(typeof debug[1]?.obj.durationMs).toBe('number');
    expect(debug[3]?.obj).toMatchObject({ status: 200, attempt: 2 });
    const warn = logger.entries.filter((e) => e.level === 'warn');
    expect(warn).toEqual([
      {
        level: 'warn',
        msg: 'oneroster retrying request',
        obj: { method: 'GET', url, attempt: 1, delayMs: 1000, reason: 'HTTP 503' },
      },
    ]);
    // Bodies are never logged.
    expect(JSON.stringify(logger.entries)).not.toContain('Pat');
    expect(events.map((e) => e.type)).toEqual([
      'request',
      'response',
      'retry',
      'request',
      'response',
    ]);
    expect(events.every((e) => !('url' in e) || !String(e.url).includes('in-query-token'))).toBe(
      true,
    );
  });

  it('delivers events to the transport-wide and the per-request listener', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const global: string[] = [];
    const local: string[] = [];
    const transport = transportFor(server.origin, { onEvent: (e) => global.push(e.type) });
    await transport.get({ path: '/orgs', onEvent: (e) => local.push(e.type) });
    await transport.get({ path: '/orgs' });
    expect(global).toEqual(['request', 'response', 'request', 'response']);
    expect(local).toEqual(['request', 'response']);
  });

  it('a throwing logger or listener does not break the request', async () => {
    server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const broken: Logger = {
      debug: () => {
        throw new Error('logger down');
      },
      info: () => {},
      warn: () => {
        throw new Error('logger down');
      },
      error: () => {},
    };
    const transport = transportFor(server.origin, {
      logger: broken,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect((await transport.get({ path: '/orgs' })).body).toEqual({ ok: true });
  });

  it('reports a listener failure at warn, redacted', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const logger = capturingLogger();
    const transport = transportFor(server.origin, {
      logger,
      auth: rotatingBearer(['listener-secret-1']),
      onEvent: () => {
        throw new Error('failed with listener-secret-1');
      },
    });
    await transport.get({ path: '/orgs' });
    const warn = logger.entries.find((e) => e.level === 'warn');
    expect(warn?.msg).toContain('onEvent listener threw');
    expect(JSON.stringify(warn)).not.toContain('listener-secret-1');
  });

  it('logs server-imposed pauses at warn and client pacing at debug', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 200, {}, { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' });
      else json(res, 200, {});
    });
    const logger = capturingLogger();
    const transport = transportFor(server.origin, {
      ...virtualClock(),
      logger,
      rateLimit: { maxConcurrent: 1, requestsPerSecond: 1 },
    });
    await transport.get({ path: '/orgs' });
    await transport.get({ path: '/orgs' });
    await transport.get({ path: '/orgs' });
    const waits = logger.entries.filter((e) => e.msg?.includes('rate limit'));
    expect(waits.map((e) => [e.level, e.obj.reason])).toEqual([
      ['warn', 'server_headers'],
      ['debug', 'client_limit'],
    ]);
  });
});
