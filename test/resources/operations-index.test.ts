/**
 * Every rostering operation of OneRoster 1.1 and 1.2 (from the operations index copied into
 * test/fixtures) must have a client method named by DESIGN §3's rule, request exactly the spec's
 * path (ids percent-encoded) and unwrap the spec's wrapper key. And every client method must be a
 * spec operation.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from '../../src/pagination';
import { createResources, type Resources } from '../../src/resources';
import { contextFor, fakeTransport } from './fake-transport';

interface Operation {
  service: string;
  basePath: string;
  method: string;
  path: string;
  operationId: string;
  responseWrapperKey: string;
  query: string[];
}

const fixture = new URL('../fixtures/oneroster-operations-index.json.txt', import.meta.url);
const text = readFileSync(fixture, 'utf8');
const index = JSON.parse(text) as { v1p1: Operation[]; v1p2: Operation[] };

const BASES = {
  v1p1: 'https://sis.test/ims/oneroster/v1p1',
  v1p2: 'https://sis.test/ims/oneroster/rostering/v1p2',
} as const;

/** Ids with characters that must stay inside one path segment. */
const IDS = ['s/1 ?#%', 'c-2:é'];

interface Call {
  resource: keyof Resources;
  method: string;
  /** Number of id arguments. */
  ids: number;
  list: boolean;
}

const camel = (name: string) => name[0]?.toUpperCase() + name.slice(1);

/** DESIGN §3: `/x` list, `/x/{id}` get, `/x/{id}/y` listY, `/schools/{s}/classes/{c}/y` listYForClass. */
function callFor(path: string): Call {
  const parts = path.split('/').filter(Boolean);
  const param = (part: string | undefined) => part?.startsWith('{') && part.endsWith('}');
  const resource = parts[0] as keyof Resources;
  if (parts.length === 1) return { resource, method: 'list', ids: 0, list: true };
  if (parts.length === 2 && param(parts[1]))
    return { resource, method: 'get', ids: 1, list: false };
  if (parts.length === 3 && param(parts[1])) {
    return { resource, method: `list${camel(parts[2] ?? '')}`, ids: 1, list: true };
  }
  if (parts.length === 5 && param(parts[1]) && param(parts[3])) {
    return {
      resource,
      method: `list${camel(parts[4] ?? '')}For${camel(parts[2]?.replace(/es$/, '') ?? '')}`,
      ids: 2,
      list: true,
    };
  }
  throw new Error(`no naming rule for ${path}`);
}

function expectedPath(version: keyof typeof BASES, path: string): string {
  let n = 0;
  const withIds = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(IDS[n++] ?? ''));
  return new URL(BASES[version]).pathname + withIds;
}

it('the fixture is the byte-identical copy recorded in its SOURCE note', () => {
  const digest = createHash('sha256').update(readFileSync(fixture)).digest('hex');
  expect(digest).toBe('54c3b2f645769c2a3d691ff6ae5d66f3d13e3ac75a5f3ec0105df5730fac15e9');
});

describe.each(['v1p1', 'v1p2'] as const)('OneRoster %s rostering operations', (version) => {
  const operations = index[version].filter((op) => op.service === 'rostering');

  it('the index lists the 41 rostering operations', () => {
    expect(operations).toHaveLength(41);
    expect(operations.every((op) => op.method === 'GET')).toBe(true);
  });

  it.each(operations.map((op) => [op.operationId, op.path, op] as const))(
    '%s (%s) has a client method with the right path and wrapper key',
    async (_id, _path, op) => {
      const call = callFor(op.path);
      const transport = fakeTransport(() => {
        const record = {
          sourcedId: 'r-1',
          status: 'active',
          dateLastModified: '2024-01-01T00:00:00Z',
        };
        // Only the spec's key is present: unwrapping any other key fails the call.
        return { body: { [op.responseWrapperKey]: call.list ? [record] : record } };
      }, BASES[version]);
      const resources = createResources(
        contextFor(transport, { version: version === 'v1p1' ? '1.1' : '1.2', validation: 'off' }),
      );
      const resource = resources[call.resource] as unknown as Record<string, unknown>;
      expect(resource, `client.${call.resource}`).toBeDefined();
      const method = resource[call.method];
      expect(typeof method, `client.${call.resource}.${call.method}()`).toBe('function');
      const args = IDS.slice(0, call.ids);
      const result = await (method as (...a: unknown[]) => unknown).apply(resource, args);
      const items = call.list ? (result as Page<{ sourcedId: string }>).items : [result];
      expect(items).toHaveLength(1);
      expect((items[0] as { sourcedId: string }).sourcedId).toBe('r-1');
      expect(transport.requests).toHaveLength(1);
      const url = transport.requests[0]?.url;
      expect(url?.pathname).toBe(expectedPath(version, op.path));
      if (call.list) {
        expect(url?.searchParams.get('limit')).toBe('100');
        expect(url?.searchParams.get('offset')).toBe('0');
        expect(op.query).toEqual(expect.arrayContaining(['limit', 'offset']));
      } else {
        expect(url?.search).toBe('');
      }
    },
  );

  it('every client method is an operation of the spec', () => {
    const specPaths = new Set(
      operations.map((op) => callFor(op.path)).map((c) => `${c.resource}.${c.method}`),
    );
    const resources = createResources(contextFor(fakeTransport(() => ({ body: {} }))));
    const clientMethods: string[] = [];
    for (const [name, resource] of Object.entries(resources)) {
      let proto = Object.getPrototypeOf(resource);
      while (proto && proto !== Object.prototype) {
        for (const key of Object.getOwnPropertyNames(proto)) {
          if (key === 'list' || key === 'get' || /^list[A-Z]/.test(key)) {
            clientMethods.push(`${name}.${key}`);
          }
        }
        proto = Object.getPrototypeOf(proto);
      }
    }
    expect(clientMethods.filter((m) => !specPaths.has(m))).toEqual([]);
    expect([...specPaths].filter((m) => !clientMethods.includes(m))).toEqual([]);
  });
});
