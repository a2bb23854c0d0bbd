import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamAuth } from '../../src/databricks/auth.js';
import { credentialChecks } from '../../src/doctor/credential-checks.js';
import { EMULATOR_DEMO_PAT, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { buildIfStale, distFile } from '../helpers/built-cli.js';
import { BARE_PATH, freshUser, runCli } from '../helpers/cli-run.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  buildIfStale(distFile('cli', 'main.js'));
  emulator = await startEmulator();
}, 120_000);
afterAll(() => emulator.close());

/** The rows of the checks table: name -> [result, detail, fix]. */
function rows(stdout: string): Map<string, { result: string; detail: string; fix?: string }> {
  const table = new Map<string, { result: string; detail: string; fix?: string }>();
  let last: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('workspace: ') || line === '') break;
    const fix = /^\s+fix: (.*)$/.exec(line)?.[1];
    if (fix && last) {
      table.get(last)!.fix = fix;
      continue;
    }
    const match = /^(.+?)\s{2,}(ok|FAIL|warn|info)\s{2,}(.*)$/.exec(line);
    if (match?.[1] && match[2] && match[3] !== undefined) table.set((last = match[1]), { result: match[2], detail: match[3] });
  }
  return table;
}

describe('dbx-proxy doctor', { timeout: 60_000 }, () => {
  it('against a workspace: config sources, host, credential and why, surface, models per family, --live per family, agents with versions', async () => {
    const user = freshUser();
    const bin = join(user.home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\necho "9.9.9 (Claude Code)"\n');
    chmodSync(join(bin, 'claude'), 0o755);
    const result = await runCli(['doctor', '--host', emulator.url, '--live', '--log-level', 'silent'], user.env({ DATABRICKS_TOKEN: EMULATOR_DEMO_PAT, DBX_PROXY_PORT: '9431', PATH: `${bin}:${BARE_PATH}` }));
    expect(result.code, result.stdout).toBe(0);
    const table = rows(result.stdout);
    expect(table.get('settings')?.detail).toContain('port=9431 (DBX_PROXY_PORT)');
    expect(table.get('settings')?.detail).toContain(`databricks.host=${emulator.url} (the command line)`);
    expect(table.get('Databricks variables')?.detail).toBe('DATABRICKS_TOKEN (values not shown)');
    expect(table.get('host')).toMatchObject({ result: 'ok', detail: expect.stringContaining('plain http on loopback (an emulator)') });
    expect(table.get('credential')).toEqual({ result: 'ok', detail: 'pat: DATABRICKS_TOKEN is set; a token was obtained' });
    expect(table.get('models per family')?.detail).toMatch(/^claude \d+, codex \d+, gpt \d+/);
    for (const family of ['claude', 'gpt', 'gemini', 'llama']) expect(table.get(`live ${family}`)?.result, family).toBe('ok');
    expect(table.get('agent claude')).toMatchObject({ result: 'ok', detail: `9.9.9 (Claude Code) (${join(bin, 'claude')})` });
    // Agents not found are listed, not failures.
    expect(table.get('agent codex')).toMatchObject({ result: 'info', detail: expect.stringContaining('not on PATH (npm i -g @openai/codex') });
    expect(result.stdout).toContain('repairs active per route');
    expect(result.stdout).not.toContain(EMULATOR_DEMO_PAT);
  });

  it('a family whose model fails with --live: a failed check with its fix, exit 1', async () => {
    const user = freshUser();
    const config = join(user.home, 'dbx-proxy.yaml');
    writeFileSync(config, 'upstream:\n  maxAttempts: 1\n');
    emulator.setFaults(['unavailable']);
    try {
      const result = await runCli(['doctor', '--host', emulator.url, '--config', config, '--live', '--log-level', 'silent'], user.env({ DATABRICKS_TOKEN: EMULATOR_DEMO_PAT, PATH: BARE_PATH }));
      expect(result.code).toBe(1);
      const live = rows(result.stdout).get('live claude');
      expect(live?.result).toBe('FAIL');
      expect(live?.detail).toContain('HTTP 503');
      expect(live?.fix).toContain('check the endpoint in the workspace');
    } finally {
      emulator.setFaults([]);
    }
  });

  it('no workspace: the workspace check fails with the ways to configure one, agents still listed, exit 1', async () => {
    const result = await runCli(['doctor'], freshUser().env({ PATH: BARE_PATH }));
    expect(result.code).toBe(1);
    const table = rows(result.stdout);
    expect(table.get('workspace')?.result).toBe('FAIL');
    expect(table.get('workspace')?.fix).toContain('set DATABRICKS_HOST and DATABRICKS_TOKEN');
    expect(table.get('agent claude')?.result).toBe('info');
  });

  it('a credential the chain cannot use: the credential check fails naming the cause and the fix', async () => {
    const user = freshUser();
    writeFileSync(join(user.home, '.databrickscfg'), `[DEFAULT]\nhost = ${emulator.url}\nauth_type = databricks-cli\n`);
    const result = await runCli(['doctor', '--log-level', 'silent'], user.env({ PATH: BARE_PATH }));
    expect(result.code).toBe(1);
    const table = rows(result.stdout);
    expect(table.get('Databricks profiles')?.detail).toContain('.databrickscfg: DEFAULT; the SDK reads DEFAULT (the default)');
    expect(table.get('host')?.result).toBe('ok');
    expect(table.get('credential')?.result).toBe('FAIL');
    expect(table.get('credential')?.detail).toContain('the `databricks` command is not on PATH');
    expect(table.get('credential')?.fix).toContain('install the Databricks CLI');
  });

  it('https:// for a plain-http workspace: the host check fails with the scheme to use', async () => {
    const host = new URL(emulator.url).host;
    const result = await runCli(['doctor', '--host', `https://${host}`, '--log-level', 'silent'], freshUser().env({ DATABRICKS_TOKEN: EMULATOR_DEMO_PAT, PATH: BARE_PATH }));
    expect(result.code).toBe(1);
    const check = rows(result.stdout).get('host');
    expect(check?.result).toBe('FAIL');
    expect(check?.detail).toContain(`its URL is probably http://${host}`);
    expect(check?.fix).toContain('correct the scheme');
  });

  it('--json: the checks as data', async () => {
    const result = await runCli(['doctor', '--demo', '--json', '--log-level', 'silent'], freshUser().env({ PATH: BARE_PATH }));
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { checks: { name: string; status: string }[]; routes: Record<string, string[]> };
    expect(report.checks.find((check) => check.name === 'workspace')?.status).toBe('info');
    expect(Object.keys(report.routes).length).toBeGreaterThan(0);
  });
});

describe('token expiry', () => {
  const jwt = (exp: number) => `Bearer x.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.y`;
  const auth = (authorization: string) => ({ method: 'oauth-m2m', lastAuthorization: authorization }) as unknown as UpstreamAuth;

  it('read from an OAuth token\'s exp claim', () => {
    const [, expiry] = credentialChecks({ clientId: 'c' }, auth(jwt(Date.now() / 1000 + 3600)), {});
    expect(expiry).toMatchObject({ status: 'ok', detail: 'this token expires in 60 min; the SDK renews it before that' });
  });

  it('an expired one fails with the fix', () => {
    const [, expiry] = credentialChecks({ clientId: 'c' }, auth(jwt(Date.now() / 1000 - 10)), {});
    expect(expiry).toMatchObject({ status: 'FAIL', fix: expect.stringContaining('databricks auth login') });
  });
});
