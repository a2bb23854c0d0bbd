import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * The Databricks SDK's credential chain reads DATABRICKS_* and HOME from the
 * process environment: call this at the top of a test file to give every test
 * an environment without the machine's credentials and a fresh empty HOME.
 */
export function isolateDatabricksEnv(): void {
  const savedEnv = { ...process.env };
  beforeEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('DATABRICKS_')) delete process.env[key];
    process.env.HOME = mkdtempSync(join(tmpdir(), 'dbx-home-'));
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });
}
