import { defineConfig } from 'vitest/config';

/**
 * The soak measures resident memory in its own process, so it runs with the
 * V8 young generation pinned at one size. Left to itself, V8 grows and
 * shrinks the young generation with the load (on this kind of machine up to
 * 128 MB, and pages it gives back stay resident in V8's pool for a while):
 * that moved the soak's RSS by 25-50 MB in one batch with the JS heap flat,
 * which is neither a leak nor anything the proxy controls. Pinned, RSS after
 * the warm-up is flat to within a few MB, so a real leak stands out.
 */
const SOAK_FILES = 'test/soak/**/*.test.ts';
const PINNED_YOUNG_GENERATION = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

export default defineConfig({
  test: {
    // Each file runs in its own forked process so tests that set process.env
    // (HOME, DATABRICKS_*) cannot leak into each other.
    pool: 'forks',
    // Collects every test's log lines and fails the run if one holds a secret (see the file).
    globalSetup: ['test/helpers/log-scan-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [SOAK_FILES] } },
      { extends: true, test: { name: 'soak', include: [SOAK_FILES], execArgv: PINNED_YOUNG_GENERATION } },
    ],
  },
});
