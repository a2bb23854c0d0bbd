import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file runs in its own forked process so tests that set process.env
    // (HOME, DATABRICKS_*) cannot leak into each other.
    pool: 'forks',
    // Collects every test's log lines and fails the run if one holds a secret (see the file).
    globalSetup: ['test/helpers/log-scan-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
