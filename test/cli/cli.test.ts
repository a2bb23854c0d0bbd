/**
 * The built command line, run as a child process exactly as a user runs it:
 * `node bin/dbx-proxy.js ...`. The build runs once here when dist/ is missing
 * or older than src/ (the package's test script builds first anyway).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describePlan } from '../../src/cli/output.js';
import type { Family } from '../../src/databricks/family.js';
import type { Surface } from '../../src/databricks/surface.js';
import { INBOUND_DIALECTS } from '../../src/dialects/dialect.js';
import { describeRoutes } from '../../src/routing/plan.js';
import { BIN, buildIfStale, cleanCliEnv, distFile } from '../helpers/built-cli.js';
import { runCli, type CliResult } from '../helpers/cli-run.js';
import { recordLogText } from '../helpers/log-sink.js';

const MAIN = distFile('cli', 'main.js');

let home: string;
let cwd: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  buildIfStale(MAIN);
  expect(existsSync(MAIN), 'npm run build did not produce dist/cli/main.js').toBe(true);
  home = await mkdtemp(join(tmpdir(), 'dbx-proxy-cli-home-'));
  cwd = await mkdtemp(join(tmpdir(), 'dbx-proxy-cli-cwd-'));
}, 120_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(cwd, { recursive: true, force: true });
});

/** An environment with no workspace and no DBX_PROXY_* settings, and an empty home. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanCliEnv(home, extra);
}

function run(args: string[], options: { cwd?: string; env?: Record<string, string>; bin?: string } = {}): Promise<CliResult> {
  // runCli scans stderr only for secrets: `emulate` prints its fake demo credentials on stdout on purpose.
  return runCli(args, cleanEnv(options.env), { bin: options.bin, cwd: options.cwd ?? cwd, children });
}

/** Start a long-running command; resolve once its banner is out, with the URL of its first line. */
function start(args: string[]): Promise<{ child: ChildProcess; url: string; stdout: string[]; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv() });
    children.push(child);
    const stdout: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing a URL: ${stderr}`)));
    child.on('close', () => recordLogText(stderr));
    // The first line names the URL; the banner ends with the line saying how to stop.
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout.push(line);
      const url = /http:\/\/\S+/.exec(stdout[0] ?? '')?.[0];
      if (url && line.includes('Ctrl+C')) resolve({ child, url, stdout, stderr: () => stderr });
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
}

const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);

describe('bin/dbx-proxy.js', () => {
  it('without dist/ says in one line to build, and exits 1', async () => {
    const bare = join(cwd, 'unbuilt');
    await mkdir(join(bare, 'bin'), { recursive: true });
    await copyFile(BIN, join(bare, 'bin', 'dbx-proxy.js'));
    const result = await run([], { bin: join(bare, 'bin', 'dbx-proxy.js') });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('npm run build');
  });
});

describe('--help', () => {
  const expected: Record<string, string[]> = {
    serve: ['--port', '--listen', '--profile', '--host', '--surface', '--config', '--demo', '--bare', '--log-level'],
    models: ['--json', '--demo', '--profile', '--host', '--surface', '--config', '--log-level'],
    emulate: ['--port', '--listen', '--no-ai-gateway'],
  };
  for (const [command, flags] of Object.entries(expected)) {
    it(`${command} --help exits 0 and lists its flags`, async () => {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: dbx-proxy ${command}`);
      for (const flag of flags) expect(result.stdout).toContain(flag);
    });
  }

  it('the program lists its commands', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const command of Object.keys(expected)) expect(result.stdout).toContain(command);
  });
});

describe('bad flags: non-zero exit and one line on stderr naming the problem', () => {
  for (const command of ['serve', 'models', 'emulate']) {
    it(`${command} --bogus`, async () => {
      const result = await run([command, '--bogus']);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^dbx-proxy: unknown option '--bogus'/);
      expect(result.stdout).toBe('');
    });
  }

  for (const command of ['serve', 'emulate']) {
    it(`${command} --port abc`, async () => {
      const result = await run([command, '--port', 'abc']);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toEqual([
        "dbx-proxy: option '--port <port>' argument 'abc' is invalid. Expected an integer from 0 to 65535.",
      ]);
    });
  }

  it('serve --port 70000', async () => {
    const result = await run(['serve', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain("'--port <port>' argument '70000' is invalid");
  });

  it('models --surface elsewhere names the flag and the choices', async () => {
    const result = await run(['models', '--surface', 'elsewhere']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain("'--surface <surface>' argument 'elsewhere' is invalid");
    expect(result.stderr).toContain('auto, ai-gateway, model-serving');
  });

  it('serve --host that is not a URL', async () => {
    const result = await run(['serve', '--host', 'not a url']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain("'--host <url>' argument 'not a url' is invalid");
  });
});

/** The message of serve's one fatal line: without a terminal its logs, and so its errors, are JSON (test/cli/json-stderr.test.ts). */
function fatalMessage(stderr: string): string {
  const entry = JSON.parse(stderr) as { level: number; msg: string };
  expect(entry.level).toBe(60);
  return entry.msg;
}

describe('bad configuration: exit 2 and one line "dbx-proxy: <message>" (serve: a fatal JSON log line)', () => {
  it('invalid YAML in ./dbx-proxy.yaml', async () => {
    const dir = join(cwd, 'yaml');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'dbx-proxy.yaml'), 'port: 8420\nlisten: [127.0.0.1\n');
    const result = await run(['serve'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(fatalMessage(result.stderr)).toMatch(/^config: invalid YAML in \.\/dbx-proxy\.yaml: .*line \d+, column \d+$/);
  });

  it('a wrong type in a --config file', async () => {
    const file = join(cwd, 'wrong-type.yaml');
    await writeFile(file, 'upstream:\n  maxAttempts: many\n');
    const result = await run(['models', '--config', file]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      `dbx-proxy: config: upstream.maxAttempts: Invalid input: expected number, received string (in ./wrong-type.yaml)`,
    ]);
  });

  it('an unknown key', async () => {
    const file = join(cwd, 'unknown-key.yaml');
    await writeFile(file, 'databricks:\n  hots: https://x.example.com\n');
    const result = await run(['serve', '--config', file]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(fatalMessage(result.stderr)).toMatch(/^config: databricks\.hots: unknown key \(known keys here: host,/);
  });

  it('a bad DBX_PROXY_* variable', async () => {
    const result = await run(['serve'], { env: { DBX_PROXY_PORT: 'abc' } });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(fatalMessage(result.stderr)).toBe('config: DBX_PROXY_PORT: expected an integer, got "abc"');
  });
});

describe('emulate', () => {
  it('prints its URL and demo credentials, answers OIDC discovery, and stops cleanly on SIGINT', async () => {
    const { child, url, stdout } = await start(['emulate', '--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/oidc/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token_endpoint?: string };
    expect(body.token_endpoint).toMatch(new RegExp(`^${url}/oidc/`));
    expect(stdout.join('\n')).toMatch(/DATABRICKS_TOKEN=\S+/);
    expect(stdout.join('\n')).toMatch(/DATABRICKS_CLIENT_ID=\S+/);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });
});

describe('serve and models against the demo workspace', () => {
  it('serve without a terminal and without a workspace exits 2 naming the cause and the fix, and serves nothing', async () => {
    const result = await run(['serve', '--port', '0'], { env: { DATABRICKS_HOST: '' } });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('no Databricks workspace is configured');
    expect(result.stderr).toContain('without a terminal');
    expect(result.stderr).toMatch(/Fix: set DATABRICKS_HOST and DATABRICKS_TOKEN.*--demo/);
    expect(result.stdout).toBe('');
  });

  it('serve --demo serves the demo workspace, says so, and /health and /ready report demo: true', async () => {
    const proxy = await start(['serve', '--demo', '--port', '0', '--log-level', 'warn']);
    const models = (await (await fetch(`${proxy.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.length).toBeGreaterThan(0);
    expect(await (await fetch(`${proxy.url}/health`)).json()).toMatchObject({ status: 'ok', demo: true });
    const ready = await fetch(`${proxy.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, demo: true });
    expect(proxy.stdout.join('\n')).toMatch(/^workspace: DEMO emulator at http:/m);
    // The model table: one row per model with family and the upstream of each inbound API.
    expect(proxy.stdout.join('\n')).toMatch(/^MODEL\s+FAMILY\s+\/v1\/chat\/completions\s+\/v1\/responses\s+\/v1\/messages\s+\/v1beta\/models\/\{model\}:generateContent$/m);
    const claude = proxy.stdout.find((line) => /^\S+\s+claude\s/.test(line));
    const surface = /\(surface: ([a-z-]+)\)/.exec(proxy.stdout.join('\n'))?.[1] as Surface;
    const routes = describeRoutes('claude', surface);
    expect(claude?.split(/\s{2,}/).slice(1)).toEqual(['claude', ...INBOUND_DIALECTS.map((inbound) => describePlan(routes[inbound]))]);
    proxy.child.kill('SIGTERM');
    expect(await exited(proxy.child)).toBe(0);
  });

  it('models --demo --json prints a JSON array of models with their routes, and no notice', async () => {
    const result = await run(['models', '--demo', '--json', '--log-level', 'silent']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const rows = JSON.parse(result.stdout) as {
      model: string;
      family: string;
      surface: string;
      routes: Record<string, { mode: string; upstream: string | null }>;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.family)).toEqual(expect.arrayContaining(['claude', 'gpt', 'codex']));
    for (const row of rows) {
      const routes = describeRoutes(row.family as Family, row.surface as Surface);
      expect(row.routes).toEqual(
        Object.fromEntries(INBOUND_DIALECTS.map((inbound) => [inbound, { mode: routes[inbound].mode, upstream: routes[inbound].upstream }])),
      );
    }
    // Codex models speak only the Responses API upstream.
    expect(rows.find((row) => row.family === 'codex')?.routes['openai-responses']?.upstream).toBe('openai-responses');
  });
});
