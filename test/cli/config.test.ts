import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPath, loadConfig } from '../../src/cli/config/load';
import {
  asTenantConfig,
  clientOptions,
  selectTenants,
  syncOptions,
  withoutUndefined,
} from '../../src/cli/config/tenants';
import { ConfigFileError, UsageError } from '../../src/cli/errors';
import { OneRosterClient } from '../../src/client';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oneroster-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tenant = (extra: Record<string, unknown> = {}) => ({
  id: 'district-a',
  baseUrl: 'https://sis.example/ims/oneroster/v1p1',
  auth: { type: 'oauth1', consumerKey: 'key-a', consumerSecret: { env: 'A_SECRET' } },
  ...extra,
});

async function write(name: string, content: unknown): Promise<string> {
  await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
}

async function loadError(name: string): Promise<ConfigFileError> {
  const error = await loadConfig(name, dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  return error as ConfigFileError;
}

describe('loadConfig', () => {
  it('reads a JSON config and keeps secrets as references', async () => {
    const name = await write('ok.json', {
      storage: { type: 'sqlite', path: 'data/roster.db' },
      tenants: [tenant({ schools: ['s-1'], mode: 'incremental' })],
    });
    const loaded = await loadConfig(name, dir);
    expect(loaded.dir).toBe(dir);
    expect(loaded.config.tenants[0]?.auth).toEqual({
      type: 'oauth1',
      consumerKey: 'key-a',
      consumerSecret: { env: 'A_SECRET' },
    });
  });

  it('says when the file is missing, and where it looked', async () => {
    const error = await loadError('missing.json');
    expect(error.message).toBe(`missing.json: not found (looked for ${join(dir, 'missing.json')})`);
    expect(error.code).toBe('configuration_error');
  });

  it('reports JSON syntax errors', async () => {
    const name = await write('broken.json', '{ "storage": ');
    expect((await loadError(name)).message).toMatch(/^broken\.json: is not valid JSON: /);
  });

  it('refuses other file types', async () => {
    const name = await write('config.yaml', 'storage: {}');
    expect((await loadError(name)).message).toMatch(/must be a \.json file or a JavaScript/);
  });

  it.each([
    [
      'a literal secret',
      {
        storage: { type: 'memory' },
        tenants: [
          tenant({ auth: { type: 'oauth1', consumerKey: 'k', consumerSecret: 'hunter2' } }),
        ],
      },
      'tenants[0].auth.consumerSecret',
      /is a secret and must not be written in the config file: .*\{ "env": "VARIABLE_NAME" \}/,
    ],
    [
      'a literal bearer token',
      {
        storage: { type: 'memory' },
        tenants: [tenant({ auth: { type: 'bearer', token: 'abc' } })],
      },
      'tenants[0].auth.token',
      /is a secret/,
    ],
    [
      'an unknown key',
      { storage: { type: 'memory' }, tenants: [tenant({ baseURL: 'x' })] },
      'tenants[0].baseURL',
      /is not a known setting/,
    ],
    [
      'a missing key',
      { storage: { type: 'memory' }, tenants: [{ id: 'a', auth: { type: 'none' } }] },
      'tenants[0].baseUrl',
      /is required/,
    ],
    [
      'an unknown auth type',
      { storage: { type: 'memory' }, tenants: [tenant({ auth: { type: 'oauth3' } })] },
      'tenants[0].auth.type',
      /must be one of "oauth1", "oauth2", "bearer", "none"/,
    ],
    [
      'a wrong type',
      { storage: { type: 'memory' }, tenants: [tenant({ pageSize: '100' })] },
      'tenants[0].pageSize',
      /must be a number, got a string/,
    ],
    [
      'an unknown mode',
      { storage: { type: 'memory' }, tenants: [tenant({ mode: 'fast' })] },
      'tenants[0].mode',
      /must be one of "full", "incremental", "auto"/,
    ],
    [
      'an unknown resource',
      { storage: { type: 'memory' }, tenants: [tenant({ resources: ['people'] })] },
      'tenants[0].resources[0]',
      /must be one of "orgs"/,
    ],
    [
      'an empty baseUrl',
      { storage: { type: 'memory' }, tenants: [tenant({ baseUrl: '' })] },
      'tenants[0].baseUrl',
      /must not be empty/,
    ],
    [
      'no tenants',
      { storage: { type: 'memory' }, tenants: [] },
      'tenants',
      /must list at least one tenant/,
    ],
    [
      'a repeated tenant id',
      { storage: { type: 'memory' }, tenants: [tenant(), tenant()] },
      'tenants[1].id',
      /repeats the tenant id "district-a"/,
    ],
    [
      'a tenant id with a space',
      { storage: { type: 'memory' }, tenants: [tenant({ id: 'district a' })] },
      'tenants[0].id',
      /letters, digits/,
    ],
    [
      'a PostgreSQL URL with a password',
      { storage: { type: 'postgres', url: 'postgres://app:pw@db/app' }, tenants: [tenant()] },
      'storage.url',
      /contains a password: put the URL in an environment variable/,
    ],
    [
      'a PostgreSQL schema that is not an identifier',
      {
        storage: { type: 'postgres', url: { env: 'DB' }, schema: 'My Schema' },
        tenants: [tenant()],
      },
      'storage.schema',
      /must be a lower-case SQL identifier/,
    ],
    [
      'an unknown storage type',
      { storage: { type: 'redis' }, tenants: [tenant()] },
      'storage.type',
      /must be one of "sqlite", "postgres", "memory"/,
    ],
  ])('names the key for %s', async (_what, content, key, message) => {
    const name = await write(`bad-${key.replace(/\W/g, '_')}.json`, content);
    const error = await loadError(name);
    expect(error.key).toBe(key);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${name}: \`${key}\` `)).toBe(true);
  });

  it('never echoes a rejected value', async () => {
    const name = await write('leak.json', {
      storage: { type: 'memory' },
      tenants: [
        tenant({
          auth: {
            type: 'oauth2',
            tokenUrl: 'https://t',
            clientId: 'c',
            clientSecret: 'do-not-print-me',
          },
        }),
      ],
    });
    expect((await loadError(name)).message).not.toContain('do-not-print-me');
  });

  it('counts the further problems', async () => {
    const name = await write('many.json', {
      storage: { type: 'memory' },
      tenants: [tenant({ a: 1, b: 2 })],
      extra: 1,
    });
    expect((await loadError(name)).message).toMatch(/\(and 1 more problem\)$/);
  });

  it('loads an ES module whose default export is a (async) function', async () => {
    const name = await write(
      'config.mjs',
      `export default async () => ({ storage: { type: 'memory' }, tenants: [${JSON.stringify(tenant())}] });`,
    );
    expect((await loadConfig(name, dir)).config.tenants[0]?.id).toBe('district-a');
  });

  it('loads a TypeScript module with a named `config` export', async () => {
    const name = await write(
      'config.ts',
      `const storage: { type: 'memory' } = { type: 'memory' };\nexport const config = { storage, tenants: [${JSON.stringify(tenant())}] };`,
    );
    expect((await loadConfig(name, dir)).config.storage).toEqual({ type: 'memory' });
  });

  it('says what a module must export', async () => {
    const name = await write('empty.mjs', 'export const other = 1;');
    expect((await loadError(name)).message).toMatch(/exports no config: use `export default/);
  });

  it('reports a module that throws while loading', async () => {
    const name = await write('throws.mjs', "throw new Error('boom');");
    expect((await loadError(name)).message).toBe('throws.mjs: could not be loaded: boom');
  });
});

describe('tenants', () => {
  async function loaded(tenants: unknown[]) {
    const name = await write(`t-${Math.random()}.json`, { storage: { type: 'memory' }, tenants });
    return loadConfig(name, dir);
  }

  it('selects all tenants, or the ones named, in config order', async () => {
    const config = await loaded([tenant({ id: 'a' }), tenant({ id: 'b' }), tenant({ id: 'c' })]);
    expect(selectTenants(config, []).map((t) => t.tenant.id)).toEqual(['a', 'b', 'c']);
    expect(selectTenants(config, ['c', 'a']).map((t) => [t.tenant.id, t.index])).toEqual([
      ['a', 0],
      ['c', 2],
    ]);
    expect(() => selectTenants(config, ['z'])).toThrow(UsageError);
    expect(() => selectTenants(config, ['z'])).toThrow(
      /tenant "z" is not in .* \(its tenants: a, b, c\)/,
    );
  });

  it('reads secrets from the environment only when a tenant is used', async () => {
    const config = await loaded([tenant()]);
    const [selected] = selectTenants(config, []);
    if (!selected) throw new Error('no tenant');
    expect(clientOptions(config, selected, { A_SECRET: 'from-env' })).toEqual({
      baseUrl: 'https://sis.example/ims/oneroster/v1p1',
      auth: { type: 'oauth1', consumerKey: 'key-a', consumerSecret: 'from-env' },
    });
    const error = (() => {
      try {
        clientOptions(config, selected, {});
      } catch (e) {
        return e as ConfigFileError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error?.key).toBe('tenants[0].auth.consumerSecret');
    expect(error?.message).toMatch(/reads the environment variable A_SECRET, which is not set/);
    // An empty variable is as good as unset.
    expect(() => clientOptions(config, selected, { A_SECRET: '' })).toThrow(/A_SECRET/);
  });

  it('maps every auth type and client setting', async () => {
    const config = await loaded([
      tenant({
        id: 'o2',
        version: '1.2',
        auth: {
          type: 'oauth2',
          tokenUrl: 'https://sis/token',
          clientId: { env: 'CID' },
          clientSecret: { env: 'CS' },
          scope: ['a', 'b'],
        },
        pageSize: 500,
        timeout: 5000,
        rateLimit: false,
        retry: { retries: 1 },
        validation: 'strict',
      }),
      tenant({ id: 'b', auth: { type: 'bearer', token: { env: 'TOKEN' } } }),
      tenant({ id: 'n', auth: { type: 'none' } }),
    ]);
    const [o2, b, n] = selectTenants(config, []);
    const env = { CID: 'client-1', CS: 'cs', TOKEN: 'tok' };
    expect(clientOptions(config, o2!, env)).toEqual({
      baseUrl: 'https://sis.example/ims/oneroster/v1p1',
      version: '1.2',
      auth: {
        type: 'oauth2',
        tokenUrl: 'https://sis/token',
        clientId: 'client-1',
        clientSecret: 'cs',
        scope: ['a', 'b'],
      },
      pageSize: 500,
      timeout: 5000,
      rateLimit: false,
      retry: { retries: 1 },
      validation: 'strict',
    });
    expect(clientOptions(config, b!, env).auth).toEqual({ type: 'bearer', token: 'tok' });
    expect(clientOptions(config, n!, env)).not.toHaveProperty('auth');
  });

  it('passes the sync settings through', async () => {
    const config = await loaded([
      tenant({
        schools: ['s-1'],
        resources: ['orgs', 'users'],
        shrinkGuard: { maxDeleteShare: 0.2 },
        lookbackMs: 0,
        sortBySourcedId: false,
        fullSyncEvery: { runs: 3 },
      }),
    ]);
    expect(syncOptions(config.config.tenants[0]!)).toEqual({
      schools: ['s-1'],
      resources: ['orgs', 'users'],
      shrinkGuard: { maxDeleteShare: 0.2 },
      lookbackMs: 0,
      sortBySourcedId: false,
      fullSyncEvery: { runs: 3 },
    });
  });

  it("reports the library's option errors against the config key", async () => {
    const config = await loaded([tenant({ baseUrl: 'https://sis.example/no-version-here' })]);
    const [selected] = selectTenants(config, []);
    const build = () =>
      asTenantConfig(
        config,
        selected!,
        () => new OneRosterClient(clientOptions(config, selected!, { A_SECRET: 'x' })),
      );
    expect(build).toThrow(ConfigFileError);
    expect(build).toThrow(/`tenants\[0\]\.version` cannot be read from baseUrl/);
  });

  it('formats key paths and drops undefined values', () => {
    expect(formatPath(['tenants', 0, 'auth', 'consumerSecret'])).toBe(
      'tenants[0].auth.consumerSecret',
    );
    expect(formatPath(['storage'])).toBe('storage');
    expect(withoutUndefined({ a: 1, b: undefined, c: { d: undefined, e: [undefined] } })).toEqual({
      a: 1,
      c: { e: [undefined] },
    });
  });
});
