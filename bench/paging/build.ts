/**
 * Bundles the paging benchmark and the server process it forks (see `../bundle`), so the
 * measured process runs the client as the built package runs.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../bundle';

/** Build both bundles and return the path of the benchmark's, to run with `node`. */
export async function buildBench(): Promise<string> {
  const entry = (name: string) => fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const outDir = await bundle(
    'bench-paging',
    { index: entry('index'), 'server-process': entry('server-process') },
    ['msw'],
  );
  return join(outDir, 'index.js');
}
