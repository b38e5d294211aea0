/**
 * Bundles `measure-child.ts` into plain JavaScript (tsup, as `npm run build` does for the
 * package), so the measured processes run the code as the built package runs, without tsx's
 * loader in the process. (Measured on the 10k district: peak RSS 170-177 MB through tsx,
 * 169-171 MB built; the loader is not what made the RSS high.)
 *
 * The bundle goes to `.tmp/bench-sync/` (ignored by git) inside the repository, so the
 * dependencies it leaves external (the package's own, and the optional peers better-sqlite3
 * and pg) resolve from `node_modules/` as they do for an installed package.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Build the child and return the path of the JavaScript file to run with `node`. */
export async function buildChild(): Promise<string> {
  const outDir = join(REPO, '.tmp', 'bench-sync');
  await build({
    config: false,
    entry: { 'measure-child': fileURLToPath(new URL('./measure-child.ts', import.meta.url)) },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node22',
    splitting: false,
    sourcemap: false,
    dts: false,
    clean: true,
    silent: true,
    external: ['better-sqlite3', 'pg'],
  });
  return join(outDir, 'measure-child.js');
}
