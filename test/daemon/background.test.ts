import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { BIN, buildIfStale, distFile } from '../helpers/built-cli.js';
import { alive, eventually, freePort, freshUser, runCli } from '../helpers/cli-run.js';

const children: ChildProcess[] = [];
const started: { env: NodeJS.ProcessEnv }[] = [];

beforeAll(() => buildIfStale(distFile('cli', 'main.js')), 120_000);

afterEach(async () => {
  // Whatever a test started is stopped, so no proxy outlives the suite.
  for (const { env } of started.splice(0)) await runCli(['stop'], env);
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `started: url pid log` as `start` prints them. */
function parseStart(stdout: string): { url: string; pid: number; log: string } {
  const url = /^url: (\S+)$/m.exec(stdout)?.[1];
  const pid = Number(/^pid: (\d+)$/m.exec(stdout)?.[1]);
  const log = /^log: (\S+)$/m.exec(stdout)?.[1];
  if (!url || !pid || !log) throw new Error(`start printed no url/pid/log: ${stdout}`);
  return { url, pid, log };
}

async function startDemo(user: ReturnType<typeof freshUser>, extra: Record<string, string> = {}) {
  const env = user.env({ DBX_PROXY_PORT: String(await freePort()), ...extra });
  started.push({ env });
  const result = await runCli(['start', '--demo', '--port', '0', '--log-level', 'warn'], env);
  expect(result.code, result.stderr).toBe(0);
  return { env, ...parseStart(result.stdout) };
}

describe('start, status, logs, stop', { timeout: 90_000 }, () => {
  it('start returns once the proxy answers; status 0; logs; a second start reuses it; stop ends it; status 3', async () => {
    const user = freshUser();
    const proxy = await startDemo(user);
    expect(proxy.log).toBe(join(user.state, 'dbx-proxy', 'daemon.log'));
    expect(existsSync(join(user.state, 'dbx-proxy', 'daemon.json'))).toBe(true);
    expect((await fetch(`${proxy.url}/v1/models`)).status).toBe(200);

    const status = await runCli(['status'], proxy.env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`dbx-proxy is running at ${proxy.url} (pid ${proxy.pid}`);
    expect(status.stdout).toMatch(/ready:\s+yes/);
    expect(status.stdout).toMatch(/workspace:\s+DEMO emulator/);
    expect(status.stdout).toMatch(/requests served:\s+1/);
    const json = JSON.parse((await runCli(['status', '--json'], proxy.env)).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ running: true, ready: true, demo: true, url: proxy.url, pid: proxy.pid });

    const again = await runCli(['start', '--demo', '--port', '0'], proxy.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`already running at ${proxy.url} (pid ${proxy.pid})`);

    const logs = await runCli(['logs', '-n', '50'], proxy.env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain(`dbx-proxy listening on ${proxy.url}`);

    const stop = await runCli(['stop'], proxy.env);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('stopped.');
    expect(alive(proxy.pid)).toBe(false);
    expect(existsSync(join(user.state, 'dbx-proxy', 'daemon.json'))).toBe(false);

    const after = await runCli(['status'], proxy.env);
    expect(after.code).toBe(3);
    expect(after.stdout).toContain('dbx-proxy is not running');
    const stopAgain = await runCli(['stop'], proxy.env);
    expect(stopAgain.code).toBe(0);
    expect(stopAgain.stdout).toContain('not running');
  });

  it('run reuses the proxy start left running (found through the state directory)', async () => {
    const user = freshUser();
    const proxy = await startDemo(user);
    // A stand-in agent that prints where it was pointed.
    const agent = join(user.home, 'fake-claude');
    writeFileSync(agent, '#!/bin/sh\necho "base=$ANTHROPIC_BASE_URL"\n');
    chmodSync(agent, 0o755);
    const result = await runCli(['run', 'claude', '--agent-bin', agent, '--log-level', 'warn'], proxy.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`base=${proxy.url}`);
  });

  it('status is 1 with the reason while the workspace does not answer, 0 again when it does', async () => {
    const emulator: RunningEmulator = await startEmulator();
    try {
      const user = freshUser();
      const config = join(user.home, 'dbx-proxy.yaml');
      writeFileSync(config, 'health:\n  probeSeconds: 1\nupstream:\n  maxAttempts: 1\n');
      const env = user.env({ DATABRICKS_TOKEN: EMULATOR_DEMO_PAT, DBX_PROXY_PORT: String(await freePort()) });
      started.push({ env });
      const start = await runCli(['start', '--host', emulator.url, '--config', config, '--port', '0'], env);
      expect(start.code, start.stderr).toBe(0);
      emulator.setUnreachable(true);
      await eventually(async () => (await runCli(['status'], env)).code === 1, 10_000, 'status exits 1');
      expect((await runCli(['status'], env)).stdout).toMatch(/ready:\s+NO: the workspace at .* stopped answering/);
      emulator.setUnreachable(false);
      await eventually(async () => (await runCli(['status'], env)).code === 0, 10_000, 'status exits 0 again');
    } finally {
      await emulator.close();
    }
  });

  it('start fails with the proxy\'s own reason when it cannot start, and leaves nothing running', async () => {
    const user = freshUser();
    const env = user.env({ DATABRICKS_TOKEN: 'dapi-not-a-real-token' });
    const result = await runCli(['start', '--host', `http://127.0.0.1:${await freePort()}`, '--port', '0'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^dbx-proxy: the proxy exited \(code \d\) before it answered: /);
    expect(result.stderr).toContain('log: ');
    expect((await runCli(['status'], env)).code).toBe(3);
  });

  it('start without a terminal and without a workspace exits 2 with the fix, starting nothing', async () => {
    const user = freshUser();
    const result = await runCli(['start', '--port', '0'], user.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no Databricks workspace is configured');
    expect(result.stderr).toContain('--demo');
    expect(existsSync(join(user.state, 'dbx-proxy', 'daemon.json'))).toBe(false);
  });

  it('logs before any start names the cause', async () => {
    const result = await runCli(['logs'], freshUser().env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no log yet at .*daemon\.log: it is written by a proxy started with `dbx-proxy start`/);
  });

  it('logs -f prints lines as they are appended', async () => {
    const user = freshUser();
    const proxy = await startDemo(user);
    const follow = spawn(process.execPath, [BIN, 'logs', '-f', '-n', '0'], { env: proxy.env });
    children.push(follow);
    let out = '';
    follow.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runCli(['stop'], proxy.env);
    await eventually(() => out.includes('SIGTERM, shutting down'), 5_000, 'logs -f shows the shutdown line');
  });
});

describe('a port already in use', { timeout: 90_000 }, () => {
  it('by a dbx-proxy: says so, where it is and how to stop it', async () => {
    const user = freshUser();
    const proxy = await startDemo(user);
    const port = new URL(proxy.url).port;
    const result = await runCli(['serve', '--demo', '--port', port], proxy.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`port ${port} is already in use by a dbx-proxy (the DEMO workspace) at ${proxy.url}`);
    expect(result.stderr).toContain(`stop it with \`dbx-proxy stop\` (pid ${proxy.pid})`);
    expect(result.stderr).toContain('--port <another port>');
  });

  it('by another program: says it is not a dbx-proxy and how to pick another port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const result = await runCli(['serve', '--demo', '--port', String(port)], freshUser().env());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use by another program (not a dbx-proxy)`);
      expect(result.stderr).toContain('Fix: pass --port <another port>');
    } finally {
      server.close();
    }
  });
});

describe('no orphan', { timeout: 90_000 }, () => {
  it('a foreground serve whose launcher dies shuts down instead of holding its port', async () => {
    const user = freshUser();
    // A launcher (like npx) that starts serve and is then killed without passing the signal on.
    const launcher = spawn('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" serve --demo --port 0 --log-level warn > "${user.home}/serve.out" 2>&1 & echo $!; wait`], {
      env: user.env(),
    });
    children.push(launcher);
    const pid = await new Promise<number>((resolve) => launcher.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    await eventually(() => existsSync(join(user.home, 'serve.out')) && readFileSync(join(user.home, 'serve.out'), 'utf8').includes('listening on'), 20_000, 'serve listens');
    launcher.kill('SIGKILL');
    await eventually(() => !alive(pid), 10_000, 'serve exits after its launcher died');
    expect(readFileSync(join(user.home, 'serve.out'), 'utf8')).toContain('SIGTERM, shutting down');
  });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
