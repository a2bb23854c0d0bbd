import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { describeLeaks, scanLogDir, secretsUsedInTests } from './log-scan.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * vitest globalSetup: every run gets its own folder under .cache/test-logs
 * (git-ignored; several runs may be going at once), where each worker copies
 * the log lines its tests produced (log-sink.ts). When the run ends, every
 * line is checked for the secrets tests use; one found fails the run.
 */
export default function setup(project: TestProject): () => void {
  const parent = join(ROOT, '.cache', 'test-logs');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'run-'));
  project.provide('logScanDir', dir);
  return () => {
    const secrets = secretsUsedInTests(join(ROOT, 'test'));
    const leaks = scanLogDir(dir, secrets);
    if (leaks.length > 0) throw new Error(describeLeaks(leaks, dir, ROOT));
    const files = readdirSync(dir);
    const lines = files.reduce((total, name) => total + readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length, 0);
    console.info(`log scan: ${lines} log lines from ${files.length} test processes, none holds any of ${secrets.length} test secrets`);
    rmSync(dir, { recursive: true, force: true });
  };
}
