/**
 * `serve --bare` and `doctor` end to end: the built command line, run as a
 * child process against the demo workspace. The build runs once here when
 * dist/ is missing or older than src/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildIfStale, cleanCliEnv, distFile } from '../../helpers/built-cli.js';
import { runCli, type CliResult } from '../../helpers/cli-run.js';
import { recordLogText } from '../../helpers/log-sink.js';

const DOCTOR = distFile('cli', 'doctor.js');

let home: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  buildIfStale(DOCTOR);
  expect(existsSync(DOCTOR), 'the build did not produce dist/cli/doctor.js').toBe(true);
  home = await mkdtemp(join(tmpdir(), 'dbx-proxy-repairs-cli-'));
}, 120_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** No workspace, no DBX_PROXY_* settings, an empty home: the demo workspace. */
function cleanEnv(): NodeJS.ProcessEnv {
  return cleanCliEnv(home);
}

async function run(args: string[]): Promise<CliResult> {
  const result = await runCli(args, cleanEnv(), { cwd: home, children });
  // doctor prints to stdout: the secrets scan reads it too.
  recordLogText(result.stdout);
  return result;
}

/** Starts `serve`; resolves once its banner is out, with its URL and what it wrote to stderr so far. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: home, env: cleanEnv() });
    children.push(child);
    const stdout: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing a URL: ${stderr}`)));
    child.on('close', () => {
      recordLogText(stdout.join('\n'));
      recordLogText(stderr);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line);
      const url = /http:\/\/\S+/.exec(stdout[0] ?? '')?.[0];
      if (url && line.includes('Ctrl+C')) resolve({ child, url, stderr: () => stderr });
    });
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.on('exit', (code) => resolve(code)));

/** A Claude Code request whose `context_management` only a repair makes acceptable. */
const claudeCodeRequest = {
  model: 'databricks-claude-sonnet-4-6',
  max_tokens: 256,
  context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
  messages: [{ role: 'user', content: 'hello' }],
};

async function sendClaudeCode(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'local', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(claudeCodeRequest),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('serve --bare', () => {
  it('turns every repair off end to end: the log says so and Databricks refuses what a repair would have fixed', async () => {
    const bare = await serve(['--demo', '--bare', '--port', '0']);
    const refused = await sendClaudeCode(bare.url);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'context_management: Extra inputs are not permitted' } });
    expect(bare.stderr()).toContain('"msg":"repairs: all off (bare)"');
    bare.child.kill('SIGTERM');
    expect(await exited(bare.child)).toBe(0);

    const repaired = await serve(['--demo', '--port', '0']);
    expect((await sendClaudeCode(repaired.url)).status).toBe(200);
    expect(repaired.stderr()).toContain('"msg":"repairs active per route"');
    repaired.child.kill('SIGTERM');
    expect(await exited(repaired.child)).toBe(0);
  });
});

describe('doctor', () => {
  it('doctor --demo prints the active repairs of each route', async () => {
    const result = await run(['doctor', '--demo', '--log-level', 'silent']);
    expect(result.code).toBe(0);
    const claude = result.stdout.split('\n').find((line) => /^ai-gateway\s+anthropic-messages\s+claude\s/.test(line));
    expect(claude).toContain('context-management');
    expect(claude).toContain('tool-schema-object');
  });

  it('doctor --quirks --demo --json reports, per route, the quirks the demo workspace shows', async () => {
    const result = await run(['doctor', '--quirks', '--demo', '--json', '--log-level', 'silent', '--repair', 'tool-cap,context-management']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { repair: string; verdict: string; route: { surface: string; family: string } }[]; summary: { repair: string; verdict: string }[] };
    expect(new Set(report.results.map((result) => result.repair))).toEqual(new Set(['tool-cap', 'context-management']));
    // The demo emulator enforces the always-on rule, and runs with no quirk switch on.
    expect(report.results.filter((result) => result.repair === 'context-management').map((result) => result.verdict)).toEqual(['shows', 'shows']);
    expect(report.summary.find((line) => line.repair === 'tool-cap')?.verdict).toMatch(/^fixed upstream: quirk not seen on 5 routes/);
  });

  it('an unknown --repair id is a usage error naming it', async () => {
    const result = await run(['doctor', '--quirks', '--demo', '--repair', 'no-such-repair']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^dbx-proxy: --repair: unknown repair 'no-such-repair' \(known repairs: /);
  });
});
