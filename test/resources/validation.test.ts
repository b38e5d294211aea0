import { describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError } from '../../src/errors';
import type { Org } from '../../src/models/types';
import type { ClientEvent } from '../../src/options';
import { createResources } from '../../src/resources';
import { captureEvents, captureLogger, contextFor, fakeTransport } from './fake-transport';

const org = (n: number, extra: Record<string, unknown> = {}) => ({
  sourcedId: `org-${n}`,
  status: 'active',
  dateLastModified: '2024-01-01T00:00:00Z',
  name: `School ${n}`,
  type: 'school',
  identifier: `ID${n}`,
  ...extra,
});

/** A record that no validation mode other than `off` accepts; its values must never leak. */
const badOrg = org(2, { status: 'SECRET-STATUS-VALUE', name: 'Secret Name Value' });

function setup(records: unknown[], context: Parameters<typeof contextFor>[1] = {}) {
  const transport = fakeTransport((url) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    return {
      body: { orgs: records.slice(offset, offset + limit) },
      headers: { 'x-total-count': String(records.length) },
    };
  });
  const logger = captureLogger();
  const clientEvents = captureEvents();
  const resources = createResources(
    contextFor(transport, { logger, onEvent: clientEvents.listener, ...context }),
  );
  return { transport, logger, clientEvents, resources };
}

describe('record validation modes', () => {
  it('strict: an invalid record rejects the page with its ValidationError', async () => {
    const { resources } = setup([org(1), badOrg, org(3)], { validation: 'strict' });
    const error = await resources.orgs.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).resource).toBe('orgs');
    expect((error as ValidationError).sourcedId).toBe('org-2');
    expect((error as ValidationError).issues.map((i) => i.path)).toContain('status');
    expect((error as Error).message).not.toContain('SECRET-STATUS-VALUE');
  });

  it('lenient: skips the record, reports it to both listeners and the logger without values', async () => {
    const { resources, logger, clientEvents } = setup([org(1), badOrg, org(3)]);
    const call = captureEvents();
    const page = await resources.orgs.list(undefined, { onEvent: call.listener });
    expect(page.items.map((o) => o.sourcedId)).toEqual(['org-1', 'org-3']);
    expect(page.skipped).toBe(1);
    const expected: ClientEvent = {
      type: 'invalid_record',
      resource: 'orgs',
      sourcedId: 'org-2',
      issues: [expect.objectContaining({ path: 'status' })] as never,
    };
    expect(clientEvents.events).toEqual([expect.objectContaining(expected)]);
    expect(call.events).toEqual([expect.objectContaining(expected)]);
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toEqual({ resource: 'orgs', sourcedId: 'org-2', paths: ['status'] });
    const everything = JSON.stringify([logger.lines, clientEvents.events, call.events]);
    expect(everything).not.toContain('SECRET-STATUS-VALUE');
    expect(everything).not.toContain('Secret Name Value');
  });

  it('off: hands every record through, normalised', async () => {
    const { resources, clientEvents } = setup([org(1), org(2, { status: 'inactive' }), badOrg]);
    const page = await resources.orgs.list(undefined, { validation: 'off' });
    expect(page.items.map((o) => o.sourcedId)).toEqual(['org-1', 'org-2', 'org-2']);
    expect(page.items[1]?.status).toBe('tobedeleted');
    expect(clientEvents.events).toEqual([]);
  });

  it('off: skips and reports what cannot be a record at all', async () => {
    const { resources, clientEvents } = setup([org(1), null, 'text', org(4)]);
    const page = await resources.orgs.list(undefined, { validation: 'off' });
    expect(page.items.map((o) => o.sourcedId)).toEqual(['org-1', 'org-4']);
    expect(page.skipped).toBe(2);
    expect(clientEvents.events).toHaveLength(2);
  });

  it('a per-call mode overrides the client default', async () => {
    const { resources } = setup([org(1), badOrg], { validation: 'strict' });
    const page = await resources.orgs.list(undefined, { validation: 'lenient' });
    expect(page.items).toHaveLength(1);
  });

  it('skipped records still count for the offset of the next page', async () => {
    const records = [org(1), badOrg, org(3), org(4), org(5)];
    const { resources, transport } = setup(records, { pageSize: 3 });
    const all: Org[] = [];
    for await (const record of resources.orgs.list()) all.push(record);
    expect(all.map((o) => o.sourcedId)).toEqual(['org-1', 'org-3', 'org-4', 'org-5']);
    expect(transport.requests.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '3']);
  });

  it('a throwing listener does not break paging; it is logged', async () => {
    const { resources, logger } = setup([org(1), badOrg, org(3)]);
    const page = await resources.orgs.list(undefined, {
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(page.items).toHaveLength(2);
    expect(logger.lines.some((l) => l.level === 'error' && /listener/.test(l.msg ?? ''))).toBe(
      true,
    );
  });
});

describe('get() validation', () => {
  function single(record: unknown, mode: 'strict' | 'lenient' | 'off') {
    const transport = fakeTransport(() => ({ body: { org: record } }));
    const events = captureEvents();
    const resources = createResources(
      contextFor(transport, { validation: mode, onEvent: events.listener }),
    );
    return { resources, events };
  }

  it('returns a valid record normalised', async () => {
    const { resources } = single(org(1, { status: 'inactive' }), 'strict');
    expect((await resources.orgs.get('org-1')).status).toBe('tobedeleted');
  });

  it('strict: throws the ValidationError', async () => {
    const { resources, events } = single(badOrg, 'strict');
    await expect(resources.orgs.get('org-2')).rejects.toBeInstanceOf(ValidationError);
    expect(events.events).toEqual([]);
  });

  it('lenient: reports the record and throws (nothing to skip)', async () => {
    const { resources, events } = single(badOrg, 'lenient');
    await expect(resources.orgs.get('org-2')).rejects.toBeInstanceOf(ValidationError);
    expect(events.events).toHaveLength(1);
  });

  it('off: returns the record as sent, normalised', async () => {
    const { resources } = single(badOrg, 'off');
    expect((await resources.orgs.get('org-2')).name).toBe('Secret Name Value');
  });

  it('rejects an invalid per-call validation mode', async () => {
    const { resources } = single(org(1), 'strict');
    const error = await resources.orgs
      .get('org-1', undefined, { validation: 'loose' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe('validation');
  });
});
