import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Examples import `@smartpass/oneroster/...` like user code; tsconfig `paths` map it to src/.
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
