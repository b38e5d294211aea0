import { defineConfig } from 'tsup';

/**
 * One build for every subpath. `splitting` keeps shared modules (errors, models) in shared
 * chunks so that `instanceof OneRosterError` holds across subpaths: a sync error thrown from
 * `./sync` is the same class a user imports from the main entry.
 */
export const entries = {
  index: 'src/index.ts',
} as const;

export default defineConfig({
  entry: entries,
  format: ['esm'],
  target: 'node22',
  platform: 'node',
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  outDir: 'dist',
});
