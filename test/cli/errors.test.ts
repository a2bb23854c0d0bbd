/**
 * Errors that say what to do (issue: daemon, item 7): each case a user met,
 * run as a user runs it, and the message must name the cause and the fix.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { buildIfStale, distFile } from '../helpers/built-cli.js';
import { BARE_PATH, freshUser, runCli } from '../helpers/cli-run.js';
import { startStack } from '../helpers/stack.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  buildIfStale(distFile('cli', 'main.js'));
  emulator = await startEmulator();
}, 120_000);
afterAll(() => emulator.close());

const oneLine = (text: string) => text.trim().split('\n').filter((line) => !line.startsWith('{'));

describe('errors name the cause and the fix', { timeout: 60_000 }, () => {
  it('a databricks-cli profile on a machine without the databricks command', async () => {
    const user = freshUser();
    writeFileSync(join(user.home, '.databrickscfg'), '[DEFAULT]\nhost = https://example.cloud.databricks.com\nauth_type = databricks-cli\n');
    const result = await runCli(['models'], user.env({ PATH: BARE_PATH }));
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain(`the DEFAULT profile of ${join(user.home, '.databrickscfg')} signs in through the Databricks CLI (auth_type = databricks-cli), but the \`databricks\` command is not on PATH`);
    expect(result.stderr).toContain('Fix: install the Databricks CLI and run `databricks auth login --profile DEFAULT`');
    expect(result.stderr).not.toContain('renew them');
  });

  it('a profile name the config file does not have: names the ones it has', async () => {
    const user = freshUser();
    writeFileSync(join(user.home, '.databrickscfg'), '[dev]\nhost = https://dev.cloud.databricks.com\ntoken = dapi-x\n[prod]\nhost = https://prod.cloud.databricks.com\n');
    const result = await runCli(['models', '--profile', 'staging'], user.env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the profile 'staging' is not in ${join(user.home, '.databrickscfg')} (it has dev, prod)`);
    expect(result.stderr).toContain('Fix: pass one of its profiles to --profile, or create this one with `databricks auth login --host <workspace-url> --profile staging`');
    expect(result.stderr).not.toContain('host is not set');
  });

  it('a profile name with no config file at all', async () => {
    const user = freshUser();
    const result = await runCli(['models', '--profile', 'dev'], user.env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the profile 'dev' is not in");
    expect(result.stderr).toContain('(the file does not exist)');
  });

  it('a host given without a credential', async () => {
    const user = freshUser();
    const result = await runCli(['models', '--host', 'https://example.cloud.databricks.com'], user.env({ PATH: BARE_PATH }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a workspace is set (https://example.cloud.databricks.com) but no credential for it');
    expect(result.stderr).toContain('Fix: export DATABRICKS_TOKEN=<personal access token>, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET');
    expect(result.stderr).not.toContain('(unknown) were refused');
  });

  it('a host without a scheme on the command line', async () => {
    const result = await runCli(['serve', '--host', 'example.cloud.databricks.com'], freshUser().env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The workspace URL needs its scheme: --host https://example.cloud.databricks.com');
  });

  it('a host with a scheme that is not http(s)', async () => {
    const result = await runCli(['serve', '--host', 'ftp://example.cloud.databricks.com'], freshUser().env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Expected an https:// workspace URL, not ftp://');
  });

  for (const [name, args, env] of [
    ['https:// for a plain-http workspace (token)', ['--host', 'https://HOST'], { DATABRICKS_TOKEN: EMULATOR_DEMO_PAT }],
    ['https:// for a plain-http workspace (OAuth client)', ['--host', 'https://HOST'], { DATABRICKS_CLIENT_ID: 'emulator-client', DATABRICKS_CLIENT_SECRET: 'emulator-secret' }],
    ['DATABRICKS_HOST without a scheme, taken as https://', [], { DATABRICKS_HOST: 'HOST', DATABRICKS_TOKEN: EMULATOR_DEMO_PAT }],
  ] as const) {
    it(name, async () => {
      const host = new URL(emulator.url).host;
      const result = await runCli(['models', '--log-level', 'error', ...args.map((arg) => arg.replace('HOST', host))], freshUser().env(Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value.replace('HOST', host)]))));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the workspace at https://${host} does not speak TLS (https) on that port: its URL is probably http://${host}`);
      expect(result.stderr).toContain("Fix: correct the scheme in --host, DATABRICKS_HOST or the profile's host.");
      expect(result.stderr).not.toMatch(/SSL routines|wrong version number/);
    });
  }

  it('run --model with a name the workspace lacks: refused before the agent starts, with the nearest names', async () => {
    const user = freshUser();
    const agent = join(user.home, 'fake-claude');
    const ran = join(user.home, 'agent-ran');
    writeFileSync(agent, `#!/bin/sh\ntouch "${ran}"\n`);
    chmodSync(agent, 0o755);
    const result = await runCli(['run', 'claude', '--demo', '--agent-bin', agent, '--model', 'databricks-claude-sonet-4-6'], user.env({ DBX_PROXY_PORT: '1' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--model databricks-claude-sonet-4-6: the workspace has no such model (nearest: databricks-claude-sonnet-4-6');
    expect(result.stderr).toContain('Fix: pass one of the names `dbx-proxy models` lists');
    expect(existsSync(ran)).toBe(false);
  });

  it('emulate --host: one meaning per flag, the emulator binds with --listen', async () => {
    const result = await runCli(['emulate', '--host', '127.0.0.1'], freshUser().env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--host names the Databricks workspace in serve, start and the other commands; the emulator binds with --listen <address>.');
  });

  it('a missing local API key: the answer says which key and how to send it, with nothing redacted', async () => {
    const stack = await startStack({ config: { server: { apiKeys: ['a-local-key-456'] } } });
    try {
      const missing = (await (await fetch(`${stack.proxy.url}/v1/models`)).json()) as { error: { message: string } };
      expect(missing.error.message).toContain("Missing API key: this dbx-proxy requires one of its server.apiKeys. Fix: give the client that key as its API key");
      expect(missing.error.message).not.toContain('[redacted]');
      const wrong = (await (await fetch(`${stack.proxy.url}/v1/models`, { headers: { 'x-api-key': 'not-the-key-789' } })).json()) as { error: { message: string } };
      expect(wrong.error.message).toContain('Fix: use a key listed in server.apiKeys (or DBX_PROXY_API_KEYS)');
    } finally {
      await stack.close();
    }
  });
});
