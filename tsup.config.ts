import { defineConfig } from 'tsup';

/**
 * One build for every subpath. `splitting` keeps shared modules (errors, models) in shared
 * chunks so that `instanceof OneRosterError` holds across subpaths: a sync error thrown from
 * `./sync` is the same class a user imports from the main entry.
 */
export const entries = {
  index: 'src/index.ts',
  'sync/index': 'src/sync/index.ts',
  'storage/memory/index': 'src/storage/memory/index.ts',
  'storage/sqlite/index': 'src/storage/sqlite/index.ts',
  'storage/postgres/index': 'src/storage/postgres/index.ts',
  'sso/index': 'src/sso/index.ts',
  'testing/index': 'src/testing/index.ts',
  'cli/index': 'src/cli/index.ts',
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
  removeNodeProtocol: false,
  // Optional peer dependencies stay external so that a subpath needing one loads only when used.
  external: ['better-sqlite3', 'pg', 'msw', 'openid-client'],
});
