import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';
import { exited, startCli, type StartedCli } from '../helpers/built-cli.js';

/**
 * The real command: `dbx-proxy serve` in front of `dbx-proxy emulate
 * --faults slow-drip`, a stream in flight, then SIGTERM. The stream must
 * finish (it is well within the default 10 s grace) and the process exit 0.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const children: ChildProcess[] = [];

function newestMtime(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);
}

beforeAll(() => {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestMtime(join(ROOT, 'src'))) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  }
  expect(existsSync(MAIN), 'npm run build did not produce dist/cli/main.js').toBe(true);
}, 120_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

const start = (args: string[], env: Record<string, string>): Promise<StartedCli> => startCli(args, env, children);

it('SIGTERM lets a running stream finish, then exits 0', async () => {
  const emulator = await start(['emulate', '--port', '0', '--faults', 'slow-drip'], {});
  const proxy = await start(['serve', '--port', '0', '--host', emulator.url, '--log-level', 'warn'], { DATABRICKS_TOKEN: EMULATOR_DEMO_PAT });

  const stream = new Anthropic({ apiKey: 'local', baseURL: proxy.url, maxRetries: 0 }).messages.stream({
    model: 'databricks-claude-sonnet-4-6',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'finish this one before you go' }],
  });
  await new Promise<void>((resolve) => stream.once('streamEvent', () => resolve()));
  proxy.child.kill('SIGTERM');

  const message = await stream.finalMessage();
  expect(message.stop_reason).toBe('end_turn');
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining('finish this one before you go') })]);
  expect(await exited(proxy.child)).toBe(0);
  expect(proxy.stderr()).toContain('SIGTERM, shutting down');
  emulator.child.kill('SIGTERM');
  expect(await exited(emulator.child)).toBe(0);
}, 30_000);
