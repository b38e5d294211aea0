/**
 * From a loaded config to what the library takes: the tenants asked for, their client options
 * (secrets read from the environment only now, and only for the tenants used) and their sync
 * options. Option errors the library raises are reported against the config key.
 *
 * @module
 */

import { ConfigurationError } from '../../errors';
import type { AuthOptions, ClientOptions } from '../../options';
import type { SyncOptions } from '../../sync/options';
import { ConfigFileError, UsageError } from '../errors';
import type { LoadedConfig } from './load';
import type { EnvRef, TenantConfig } from './schema';

/** A tenant of the config and its position (for messages naming `tenants[i]`). */
export interface SelectedTenant {
  tenant: TenantConfig;
  index: number;
}

/**
 * The tenants named by `--tenant` (all of them when none is named), in config order.
 *
 * @throws {UsageError} for a tenant id the config does not have.
 *
 * @example
 * ```ts
 * for (const { tenant } of selectTenants(loaded, ['district-a'])) console.log(tenant.baseUrl);
 * ```
 */
export function selectTenants(
  loaded: LoadedConfig,
  ids: readonly string[] | undefined,
): SelectedTenant[] {
  const all = loaded.config.tenants.map((tenant, index) => ({ tenant, index }));
  if (!ids || ids.length === 0) return all;
  for (const id of ids) {
    if (!all.some(({ tenant }) => tenant.id === id)) {
      throw new UsageError(
        `tenant "${id}" is not in ${loaded.file} (its tenants: ${all.map(({ tenant }) => tenant.id).join(', ')})`,
      );
    }
  }
  return all.filter(({ tenant }) => ids.includes(tenant.id));
}

/**
 * A value of the config, or the environment variable it references.
 *
 * @throws {ConfigFileError} naming the key and the variable when the variable is unset or empty.
 *
 * @example
 * ```ts
 * readValue({ env: 'DISTRICT_A_SECRET' }, 'tenants[0].auth.consumerSecret', loaded.file, process.env);
 * ```
 */
export function readValue(
  value: string | EnvRef,
  key: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (typeof value === 'string') return value;
  const found = env[value.env];
  if (found === undefined || found === '') {
    throw new ConfigFileError(
      file,
      key,
      `reads the environment variable ${value.env}, which is not set: export it before running oneroster`,
    );
  }
  return found;
}

/**
 * The `OneRosterClient` options of a tenant.
 *
 * @example
 * ```ts
 * const client = new OneRosterClient(clientOptions(loaded, selected, process.env));
 * ```
 */
export function clientOptions(
  loaded: LoadedConfig,
  { tenant, index }: SelectedTenant,
  env: Readonly<Record<string, string | undefined>>,
): ClientOptions {
  const key = (name: string) => `tenants[${index}].auth.${name}`;
  const read = (value: string | EnvRef, name: string) =>
    readValue(value, key(name), loaded.file, env);
  let auth: AuthOptions | undefined;
  const a = tenant.auth;
  switch (a.type) {
    case 'oauth1':
      auth = {
        type: 'oauth1',
        consumerKey: read(a.consumerKey, 'consumerKey'),
        consumerSecret: read(a.consumerSecret, 'consumerSecret'),
        ...(a.signatureMethod ? { signatureMethod: a.signatureMethod } : {}),
      };
      break;
    case 'oauth2':
      auth = {
        type: 'oauth2',
        tokenUrl: a.tokenUrl,
        clientId: read(a.clientId, 'clientId'),
        clientSecret: read(a.clientSecret, 'clientSecret'),
        ...(a.scope === undefined ? {} : { scope: a.scope }),
        ...(a.clientAuthentication ? { clientAuthentication: a.clientAuthentication } : {}),
      };
      break;
    case 'bearer':
      auth = { type: 'bearer', token: read(a.token, 'token') };
      break;
    case 'none':
      auth = undefined;
      break;
  }
  return withoutUndefined({
    baseUrl: tenant.baseUrl,
    version: tenant.version,
    auth,
    pageSize: tenant.pageSize,
    timeout: tenant.timeout,
    rateLimit: tenant.rateLimit,
    retry: tenant.retry,
    validation: tenant.validation,
  });
}

/** The sync options a config sets for a tenant (client, storage and listeners come from the CLI). */
export type TenantSyncOptions = Pick<
  SyncOptions,
  | 'schools'
  | 'resources'
  | 'shrinkGuard'
  | 'validation'
  | 'lookbackMs'
  | 'sortBySourcedId'
  | 'fullSyncEvery'
>;

/**
 * The `createSync` options of a tenant, besides client, storage and listeners.
 *
 * @example
 * ```ts
 * createSync({ client, storage, tenantId: tenant.id, ...syncOptions(tenant) });
 * ```
 */
export function syncOptions(tenant: TenantConfig): TenantSyncOptions {
  return withoutUndefined({
    schools: tenant.schools,
    resources: tenant.resources,
    shrinkGuard: tenant.shrinkGuard,
    validation: tenant.validation,
    lookbackMs: tenant.lookbackMs,
    sortBySourcedId: tenant.sortBySourcedId,
    fullSyncEvery: tenant.fullSyncEvery,
  });
}

/** `T` where a property that may be `undefined` is optional instead, at every depth. */
type Defined<T> = T extends readonly unknown[] | ((...args: never[]) => unknown)
  ? T
  : T extends object
    ? { [K in keyof T as undefined extends T[K] ? never : K]: Defined<T[K]> } & {
        [K in keyof T as undefined extends T[K] ? K : never]?: Defined<Exclude<T[K], undefined>>;
      }
    : T;

/**
 * Drop properties whose value is `undefined` (a JS config may write `timeout: undefined`), at
 * every depth, so that the result fits options declared with exact optional properties.
 *
 * @example
 * ```ts
 * withoutUndefined({ a: 1, b: undefined, c: { d: undefined } }); // { a: 1, c: {} }
 * ```
 */
export function withoutUndefined<T extends object>(value: T): Defined<T> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] =
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? withoutUndefined(item)
        : item;
  }
  return out as Defined<T>;
}

/**
 * Run `build` (a library constructor) and report a `ConfigurationError` it throws against the
 * tenant's key in the config file, e.g. `tenants[0].baseUrl`.
 *
 * @example
 * ```ts
 * const client = asTenantConfig(loaded, selected, () => new OneRosterClient(options));
 * ```
 */
export function asTenantConfig<T>(
  loaded: LoadedConfig,
  selected: SelectedTenant,
  build: () => T,
): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      const message = error.message.replace(/^Invalid option `[^`]*`: /, '');
      throw new ConfigFileError(loaded.file, `tenants[${selected.index}].${error.option}`, message);
    }
    throw error;
  }
}
