/**
 * The schema of the `oneroster` config file (`--config`): where synced data is stored and the
 * districts (tenants) to sync. Secrets are never values in the file: they are references to
 * environment variables, `{ "env": "NAME" }`, read when a tenant is used.
 *
 * @module
 */
import { z } from 'zod';
import { SYNC_RESOURCES } from '../../models/types';

const envName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be an environment variable name such as DISTRICT_A_SECRET',
  );

/**
 * A reference to an environment variable, e.g. `{ "env": "DISTRICT_A_SECRET" }`.
 *
 * @example
 * ```ts
 * envRefSchema.parse({ env: 'DISTRICT_A_SECRET' });
 * ```
 */
export const envRefSchema = z.strictObject({ env: envName });

/** A reference to an environment variable. */
export type EnvRef = z.infer<typeof envRefSchema>;

/** A secret: only ever a reference to an environment variable, never the value itself. */
const secretSchema = z.strictObject(
  { env: envName },
  {
    error: (issue) =>
      issue.code === 'invalid_type' && typeof issue.input === 'string'
        ? 'is a secret and must not be written in the config file: put it in an environment variable and write { "env": "VARIABLE_NAME" }'
        : undefined,
  },
);

/** A plain value, or a reference to the environment variable holding it. */
const valueOrEnv = z.union([z.string().min(1), envRefSchema], {
  error: 'must be a string or { "env": "VARIABLE_NAME" }',
});

const oauth1 = z.strictObject({
  type: z.literal('oauth1'),
  consumerKey: valueOrEnv,
  consumerSecret: secretSchema,
  signatureMethod: z.enum(['HMAC-SHA256', 'HMAC-SHA1']).optional(),
});

const oauth2 = z.strictObject({
  type: z.literal('oauth2'),
  tokenUrl: z.string().min(1),
  clientId: valueOrEnv,
  clientSecret: secretSchema,
  scope: z.union([z.string(), z.array(z.string())]).optional(),
  clientAuthentication: z.enum(['basic', 'body']).optional(),
});

const bearer = z.strictObject({ type: z.literal('bearer'), token: secretSchema });

const noAuth = z.strictObject({ type: z.literal('none') });

const positiveInt = z.number().int().positive();

const tenantSchema = z.strictObject({
  /** Whose data this is; everything in storage is keyed by it. */
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
      'must be 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
    ),
  baseUrl: z.string().min(1),
  version: z.enum(['1.1', '1.2']).optional(),
  auth: z.discriminatedUnion('type', [oauth1, oauth2, bearer, noAuth]),
  mode: z.enum(['full', 'incremental', 'auto']).optional(),
  schools: z.array(z.string().min(1)).min(1).optional(),
  resources: z.array(z.enum(SYNC_RESOURCES)).min(1).optional(),
  pageSize: positiveInt.optional(),
  timeout: positiveInt.optional(),
  rateLimit: z
    .union([
      z.strictObject({
        maxConcurrent: positiveInt.optional(),
        requestsPerSecond: z.number().positive().optional(),
      }),
      z.literal(false),
    ])
    .optional(),
  retry: z
    .union([
      z.strictObject({
        retries: z.number().int().min(0).optional(),
        minDelayMs: z.number().int().min(0).optional(),
        maxDelayMs: z.number().int().min(0).optional(),
        maxRetryAfterMs: z.number().int().min(0).optional(),
        totalTimeoutMs: positiveInt.optional(),
      }),
      z.literal(false),
    ])
    .optional(),
  validation: z.enum(['strict', 'lenient', 'off']).optional(),
  shrinkGuard: z
    .union([
      z.strictObject({
        maxDeleteShare: z.number().min(0).max(1).optional(),
        minRecords: z.number().int().min(0).optional(),
      }),
      z.literal(false),
    ])
    .optional(),
  lookbackMs: z.number().int().min(0).optional(),
  sortBySourcedId: z.boolean().optional(),
  fullSyncEvery: z
    .strictObject({ runs: positiveInt.optional(), days: z.number().positive().optional() })
    .optional(),
});

const storageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sqlite'), path: z.string().min(1) }),
  z.strictObject({
    type: z.literal('postgres'),
    url: valueOrEnv.refine((url) => typeof url !== 'string' || !hasPassword(url), {
      message:
        'contains a password: put the URL in an environment variable and write { "env": "DATABASE_URL" }',
    }),
    /** The schema of the adapter's tables (created if missing); the adapter's default otherwise. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier, e.g. "oneroster"')
      .optional(),
  }),
  z.strictObject({ type: z.literal('memory') }),
]);

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

/**
 * The whole config file.
 *
 * @example
 * ```ts
 * const config = configSchema.parse(JSON.parse(text));
 * ```
 */
export const configSchema = z
  .strictObject({
    /** Editors use it for completion; ignored. */
    $schema: z.string().optional(),
    storage: storageSchema,
    tenants: z.array(tenantSchema).min(1, 'must list at least one tenant'),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.tenants.forEach((tenant, index) => {
      if (seen.has(tenant.id)) {
        context.addIssue({
          code: 'custom',
          path: ['tenants', index, 'id'],
          message: `repeats the tenant id "${tenant.id}"; ids must be unique`,
        });
      }
      seen.add(tenant.id);
    });
  });

/** A parsed config file. */
export type CliConfig = z.infer<typeof configSchema>;
/** One tenant of a config file. */
export type TenantConfig = CliConfig['tenants'][number];
/** The storage of a config file. */
export type StorageConfig = CliConfig['storage'];
