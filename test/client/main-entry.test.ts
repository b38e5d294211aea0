/**
 * The main entry stays light (DESIGN §1-§2): following every static and dynamic import from
 * `src/index.ts`, the only packages reached are the runtime dependencies; msw, the database
 * drivers and openid-client live behind their own subpaths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../../src/index';

const SRC = resolve(import.meta.dirname, '../../src');
const ALLOWED = new Set(['ky', 'zod', 'p-retry', 'p-limit', 'oauth-1.0a']);
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveModule(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.')) queue.push(resolveModule(file, specifier));
      else if (!specifier.startsWith('node:')) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''));
      }
    }
  }
  return { files, packages };
}

describe('main entry', () => {
  const { files, packages } = importGraph(join(SRC, 'index.ts'));

  it('reaches only the runtime dependencies', () => {
    // The walk really follows imports (client, resources, http, auth, models, query, classlink).
    expect(files.size).toBeGreaterThan(40);
    expect(packages).toContain('ky');
    expect([...packages].filter((name) => !ALLOWED.has(name))).toEqual([]);
  });

  it('does not pull in the testing kit, storage drivers, SSO or sync', () => {
    const relative = [...files].map((file) => file.slice(SRC.length + 1));
    expect(relative.filter((f) => /^(testing|storage|sso|sync|cli)\//.test(f))).toEqual([]);
  });

  it('exports the public API', () => {
    for (const name of [
      'OneRosterClient',
      'Paginator',
      'Page',
      'filter',
      'OneRosterError',
      'PaginationError',
      'ConfigurationError',
      'InvalidResponseError',
      'rawRecord',
      'parseRecord',
      'UsersResource',
      'SchoolsResource',
      'CollectionResource',
    ]) {
      expect(main, name).toHaveProperty(name);
    }
  });
});
