/**
 * Bundles `measure-child.ts` (see `../bundle`), so the measured processes run the code as the
 * built package runs, without tsx's loader in the process. (Measured on the 10k district: peak
 * RSS 170-177 MB through tsx, 169-171 MB built; the loader is not what made the RSS high.)
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../bundle';

/** Build the child and return the path of the JavaScript file to run with `node`. */
export async function buildChild(): Promise<string> {
  const outDir = await bundle(
    'bench-sync',
    { 'measure-child': fileURLToPath(new URL('./measure-child.ts', import.meta.url)) },
    [],
  );
  return join(outDir, 'measure-child.js');
}
