import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';

/**
 * The real command: `dbx-proxy serve` in front of `dbx-proxy emulate
 * --faults slow-drip`, a stream in flight, then SIGTERM. The stream must
 * finish (it is well within the default 10 s grace) and the process exit 0.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'dbx-proxy.js');
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

/** Starts the command and resolves with the first URL it prints on stdout. */
function start(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DATABRICKS_') && !name.startsWith('DBX_PROXY_')));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, HOME: mkdtempSync(join(tmpdir(), 'dbx-sigterm-')), ...env } });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${stderr}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

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
