/**
 * Reading a config file: JSON, or a JavaScript/TypeScript module whose default export (or
 * `config` export) is the config or a function returning it. Every problem is a
 * {@link ConfigFileError} naming the file and the key.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { ConfigFileError } from '../errors';
import { type CliConfig, configSchema } from './schema';

/** A config file, parsed and validated (secrets still unresolved references). */
export interface LoadedConfig {
  /** The path as given on the command line (used in messages). */
  file: string;
  /** Relative storage paths are resolved against the file's directory. */
  dir: string;
  config: CliConfig;
}

const MODULE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);

/**
 * Load and validate a config file.
 *
 * @throws {ConfigFileError} when the file is missing, unreadable, not JSON, not loadable as a
 * module, or does not match the schema (naming the first bad key).
 *
 * @example
 * ```ts
 * const { config } = await loadConfig('oneroster.json', process.cwd());
 * ```
 */
export async function loadConfig(file: string, cwd: string): Promise<LoadedConfig> {
  const path = resolve(cwd, file);
  try {
    if (!(await stat(path)).isFile()) throw new ConfigFileError(file, undefined, 'is not a file');
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    throw new ConfigFileError(file, undefined, `not found (looked for ${path})`);
  }
  const extension = extname(path).toLowerCase();
  let value: unknown;
  if (extension === '.json') value = await readJson(file, path);
  else if (MODULE_EXTENSIONS.has(extension)) value = await importModule(file, path, extension);
  else {
    throw new ConfigFileError(
      file,
      undefined,
      'must be a .json file or a JavaScript/TypeScript module (.js, .mjs, .ts, .mts)',
    );
  }
  // `reportInput` lets a message tell "missing" from "wrong type"; values are never printed.
  const parsed = configSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const { key, message } = describeIssue(first as z.core.$ZodIssue);
    const more =
      rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw new ConfigFileError(file, key, `${message}${more}`);
  }
  return { file, dir: dirname(path), config: parsed.data };
}

async function readJson(file: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, undefined, `cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(file, undefined, `is not valid JSON: ${(error as Error).message}`);
  }
}

async function importModule(file: string, path: string, extension: string): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && extension.endsWith('ts')) {
      throw new ConfigFileError(
        file,
        undefined,
        `is TypeScript, which this Node.js ${process.version} cannot load: use Node.js 22.18+ (type stripping), run through tsx (npx tsx node_modules/.bin/oneroster …), or write the config as .json or .mjs`,
      );
    }
    throw new ConfigFileError(file, undefined, `could not be loaded: ${(error as Error).message}`);
  }
  let value = module.default ?? module.config;
  if (value === undefined) {
    throw new ConfigFileError(
      file,
      undefined,
      'exports no config: use `export default { storage, tenants }` (or a function returning it)',
    );
  }
  if (typeof value === 'function') value = await (value as () => unknown)();
  return value;
}

/**
 * A zod issue as a key path (`tenants[0].auth.consumerSecret`) and a message that says what to
 * write instead.
 */
function describeIssue(issue: z.core.$ZodIssue): { key: string | undefined; message: string } {
  const path = [...issue.path];
  let message = issue.message;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const [key, ...others] = issue.keys;
      if (key !== undefined) path.push(key);
      message = `is not a known setting${others.length > 0 ? ` (nor are ${others.join(', ')})` : ''}`;
      break;
    }
    case 'invalid_type':
      if (issue.input === undefined) message = 'is required';
      else if (!/environment variable/.test(message)) {
        message = `must be ${article(issue.expected)}, got ${describeInput(issue.input)}`;
      }
      break;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) {
        message = `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      }
      break;
    }
    case 'too_small':
      if (/^too small/i.test(message)) {
        message =
          issue.origin === 'string'
            ? 'must not be empty'
            : issue.origin === 'array'
              ? `must list at least ${String(issue.minimum)}`
              : `must be at least ${String(issue.minimum)}`;
      }
      break;
    case 'too_big':
      if (/^too big/i.test(message)) message = `must be at most ${String(issue.maximum)}`;
      break;
    case 'invalid_value':
      message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    default:
      message = message.charAt(0).toLowerCase() + message.slice(1);
  }
  return { key: path.length > 0 ? formatPath(path) : undefined, message };
}

/**
 * `['tenants', 0, 'auth']` as `tenants[0].auth`.
 *
 * @example
 * ```ts
 * formatPath(['tenants', 0, 'auth', 'consumerSecret']); // 'tenants[0].auth.consumerSecret'
 * ```
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return 'a string';
  return typeof input === 'object'
    ? 'an object'
    : String(typeof input === 'number' ? input : typeof input);
}
