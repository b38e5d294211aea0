/**
 * Bundles benchmark code into plain JavaScript (tsup, as `npm run build` does for the package),
 * so that measured processes run the code as the built package runs, without tsx's loader and
 * its transforms (tsx keeps function names by wrapping every closure it creates, for instance).
 *
 * Bundles go to `.tmp/<name>/` (ignored by git) inside the repository, so the dependencies left
 * external resolve from `node_modules/` as they do for an installed package.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * Build `entries` (output name -> TypeScript file) into `.tmp/<name>/` and return that folder.
 *
 * @example
 * ```ts
 * const dir = await bundle('bench-sync', { 'measure-child': '/repo/bench/sync/measure-child.ts' }, []);
 * ```
 */
export async function bundle(
  name: string,
  entries: Record<string, string>,
  external: readonly string[],
): Promise<string> {
  // Imported here, not at the top: a bundle may contain this module, and must not load tsup.
  const { build } = await import('tsup');
  const outDir = join(REPO, '.tmp', name);
  await build({
    config: false,
    entry: entries,
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node22',
    splitting: false,
    sourcemap: false,
    dts: false,
    clean: true,
    silent: true,
    external: ['tsup', 'better-sqlite3', 'pg', ...external],
  });
  return outDir;
}
