import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsToConfig, parsePort } from '../../src/cli/options.js';
import { describePlan, formatTable } from '../../src/cli/output.js';
import { chooseWorkspace, demoConfig, workspaceConfigured } from '../../src/cli/workspace-choice.js';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';
import { planRoute } from '../../src/routing/plan.js';

const DEFAULTS = ConfigSchema.parse({});

describe('flags', () => {
  it('--port accepts 0..65535 integers only', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    for (const bad of ['abc', '-1', '65536', '80.5', '', '1e3']) expect(() => parsePort(bad), bad).toThrow(/0 to 65535/);
  });

  it('map to config paths, leaving out the flags that were not given', async () => {
    const flags = flagsToConfig({ port: 1, host: 'https://h.example.com', bare: true, logLevel: 'debug', profile: undefined });
    expect(flags).toEqual({ port: 1, databricks: { host: 'https://h.example.com' }, repairs: { bare: true }, log: { level: 'debug' } });
    // And they win over the environment.
    const { config } = await loadConfig({ flags, env: { DBX_PROXY_PORT: '2', DBX_PROXY_PROFILE: 'P' }, cwd: tmpdir(), homeDir: tmpdir() });
    expect(config.port).toBe(1);
    expect(config.databricks).toEqual({ host: 'https://h.example.com', profile: 'P' });
  });
});

describe('is a workspace configured?', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'dbx-proxy-home-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('no: nothing in config, environment or home', () => {
    expect(workspaceConfigured(DEFAULTS, { HOME: home, DATABRICKS_HOST: '' }, home)).toBe(false);
  });

  it('yes: any databricks setting', () => {
    expect(workspaceConfigured({ ...DEFAULTS, databricks: { profile: 'dev' } }, {}, home)).toBe(true);
  });

  it.each(['DATABRICKS_HOST', 'DATABRICKS_CONFIG_PROFILE', 'DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CONFIG_FILE'])(
    'yes: %s is set',
    (name) => {
      expect(workspaceConfigured(DEFAULTS, { [name]: 'x' }, home)).toBe(true);
    },
  );

  it('yes: ~/.databrickscfg exists', async () => {
    await writeFile(join(home, '.databrickscfg'), '[DEFAULT]\nhost = https://h.example.com\n');
    expect(workspaceConfigured(DEFAULTS, {}, home)).toBe(true);
  });

  it('the demo config replaces every credential with the emulator PAT', () => {
    const config = demoConfig({ ...DEFAULTS, databricks: { profile: 'dev', clientId: 'id', clientSecret: 'secret' } }, 'http://127.0.0.1:1');
    expect(config.demo).toBe(true);
    expect(config.databricks).toEqual({ host: 'http://127.0.0.1:1', token: EMULATOR_DEMO_PAT, authType: 'pat' });
  });
});

describe('the demo fallback', () => {
  const noWorkspace = { HOME: tmpdir() };

  it('without a terminal, no workspace is a config error naming the cause and the fix', async () => {
    const failure = chooseWorkspace(DEFAULTS, noWorkspace, false);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(/no Databricks workspace is configured.*Fix: .*DATABRICKS_HOST.*--demo/);
  });

  it('without a terminal, --demo still serves the demo', async () => {
    const chosen = await chooseWorkspace({ ...DEFAULTS, demo: true }, noWorkspace, false);
    await chosen.emulator?.close();
    expect(chosen.config.databricks.host).toBe(chosen.emulator?.url);
  });

  it('on a terminal, no workspace falls back to the demo', async () => {
    const chosen = await chooseWorkspace(DEFAULTS, noWorkspace, true);
    await chosen.emulator?.close();
    expect(chosen.config.demo).toBe(true);
  });
});

describe('output', () => {
  it('formatTable pads columns and trims line ends', () => {
    expect(formatTable([['A', 'BB', 'C'], ['long', 'x', '']])).toBe('A     BB  C\nlong  x');
  });

  it('describePlan names the upstream API and the mode', () => {
    expect(describePlan(planRoute('anthropic-messages', 'claude', 'ai-gateway'))).toBe('messages (passthrough)');
    expect(describePlan({ ...planRoute('openai-chat', 'codex', 'ai-gateway'), mode: 'translate', upstream: 'openai-responses' })).toBe(
      'responses (translate)',
    );
  });
});
