/**
 * Bundles the benchmark into plain JavaScript (tsup, as `npm run build` does for the package), so
 * the measured process runs the client as the built package runs, without tsx's loader and its
 * transforms (tsx keeps function names by wrapping every closure it creates, for instance).
 *
 * Two bundles, the benchmark and the server process it forks, go to `.tmp/bench-paging/`
 * (ignored by git) inside the repository, so the dependencies left external resolve from
 * `node_modules/` as they do for an installed package.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Build both bundles and return the path of the benchmark's, to run with `node`. */
export async function buildBench(): Promise<string> {
  // Imported here, not at the top: the bundle contains this module too, and must not load tsup.
  const { build } = await import('tsup');
  const outDir = join(REPO, '.tmp', 'bench-paging');
  const entry = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  await build({
    config: false,
    entry: { index: entry('index'), 'server-process': entry('server-process') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node22',
    splitting: false,
    sourcemap: false,
    dts: false,
    clean: true,
    silent: true,
    external: ['tsup', 'msw', 'better-sqlite3', 'pg'],
  });
  return join(outDir, 'index.js');
}
