import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file runs in its own forked process so tests that set process.env
    // (HOME, DATABRICKS_*) cannot leak into each other.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
