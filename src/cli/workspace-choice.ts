import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { EMULATOR_DEMO_PAT } from '../emulator/demo-credentials.js';
import type { RunningEmulator } from '../emulator/index.js';
import { notify } from './output.js';

/**
 * The Databricks environment variables that, alone, show the user meant a
 * real workspace. (The SDK reads these itself; we only look whether they are set.)
 */
const WORKSPACE_ENV = [
  'DATABRICKS_HOST',
  'DATABRICKS_CONFIG_PROFILE',
  'DATABRICKS_TOKEN',
  'DATABRICKS_CLIENT_ID',
  'DATABRICKS_CONFIG_FILE',
  'DATABRICKS_AUTH_TYPE',
] as const;

/** Whether anything points at a real workspace: a databricks.* setting, a DATABRICKS_* variable or ~/.databrickscfg. */
export function workspaceConfigured(config: Config, env: NodeJS.ProcessEnv = process.env, homeDir = homedir()): boolean {
  return (
    Object.values(config.databricks).some((value) => value !== undefined) ||
    WORKSPACE_ENV.some((name) => (env[name] ?? '') !== '') ||
    existsSync(join(homeDir, '.databrickscfg'))
  );
}

/** The config that points at a running emulator, with its demo PAT as the only credential. */
export function demoConfig(config: Config, emulatorUrl: string): Config {
  // authType pins the SDK to the PAT, so stray DATABRICKS_CLIENT_ID/SECRET in the
  // environment cannot make it fail with "more than one authorization method".
  return { ...config, demo: true, databricks: { host: emulatorUrl, token: EMULATOR_DEMO_PAT, authType: 'pat' } };
}

export type Emulator = RunningEmulator;

export interface ChosenWorkspace {
  config: Config;
  /** The in-process emulator when serving the demo workspace; close it after the proxy. */
  emulator: Emulator | undefined;
}

/** Whether a person is watching: the demo notice on stderr or stdout would be seen. */
export function onTerminal(): boolean {
  return Boolean(process.stderr.isTTY || process.stdout.isTTY);
}

/** How to point dbx-proxy at a real workspace: the same lines in the demo notice and the no-workspace error. */
const CONNECT_HELP = [
  '  databricks auth login --host https://<your-workspace>   (writes ~/.databrickscfg)',
  '  export DATABRICKS_HOST=https://<your-workspace> DATABRICKS_TOKEN=<personal access token>',
  '  dbx-proxy <command> --host https://<your-workspace>  or  --profile <name of a ~/.databrickscfg profile>',
  '  databricks.host / databricks.profile in ./dbx-proxy.yaml (see config.example.yaml)',
];

/**
 * No workspace and nobody watching (a container, a service, CI): serving the
 * demo's scripted models there would look healthy while answering nothing
 * real, so it is an error unless `--demo` asked for it.
 */
export function noWorkspaceError(): ConfigError {
  return new ConfigError(
    'no Databricks workspace is configured, and without a terminal (a container, a service, CI) the demo workspace is not used unasked. ' +
      'Fix: set DATABRICKS_HOST and DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET), pass --host <workspace-url> or --profile <name>, ' +
      'set databricks.host in the config file, or pass --demo (DBX_PROXY_DEMO=1) to serve the built-in demo workspace on purpose.',
  );
}

/**
 * `--demo`, or no workspace configured at all on a terminal: start the
 * emulator in this process and point the config at it. The fallback is
 * announced on stderr, with how to configure a real workspace, because a user
 * who expected their workspace must not mistake the demo models for it.
 * Without a terminal the fallback is refused (noWorkspaceError).
 */
export async function chooseWorkspace(config: Config, env: NodeJS.ProcessEnv = process.env, interactive = onTerminal()): Promise<ChosenWorkspace> {
  if (!config.demo && workspaceConfigured(config, env)) return { config, emulator: undefined };
  if (!config.demo && !interactive) throw noWorkspaceError();
  if (!config.demo) announceDemo();
  // Loaded only for the demo: a proxy serving a real workspace never loads the emulator.
  const { startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator({ port: 0, demo: true });
  return { config: demoConfig(config, emulator.url), emulator };
}

/** The loud notice of the demo fallback: what is served, and how to connect a real workspace. */
export function announceDemo(): void {
  const lines = [
    '*** dbx-proxy: NO DATABRICKS WORKSPACE IS CONFIGURED: using the built-in DEMO workspace (scripted fake models). ***',
    'To use a real workspace, do one of:',
    ...CONNECT_HELP,
    'Pass --demo (or DBX_PROXY_DEMO=1) to choose the demo workspace without this notice.',
  ];
  notify('warn', lines.join('\n'), ['', ...lines, ''].join('\n'));
}
