import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suite (`npm run test:e2e`): real coding agents, installed
 * from npm by scripts/install-agents.mjs, drive the proxy and the emulator.
 * Kept apart from vitest.config.ts so `vitest run` never starts an agent.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    globalSetup: ['test/helpers/log-scan-setup.ts'],
    // One agent run ends well inside its own kill timeout (see agent-process.ts); the test timeout only backs that up.
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
