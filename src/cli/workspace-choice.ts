import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { EMULATOR_DEMO_PAT, startEmulator } from '../emulator/index.js';
import { warn } from './output.js';

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

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface ChosenWorkspace {
  config: Config;
  /** The in-process emulator when serving the demo workspace; close it after the proxy. */
  emulator: Emulator | undefined;
}

/**
 * `--demo`, or no workspace configured at all: start the emulator in this
 * process and point the config at it. The fallback is announced on stderr,
 * with how to configure a real workspace, because a user who expected their
 * workspace must not mistake the demo models for it.
 */
export async function chooseWorkspace(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<ChosenWorkspace> {
  if (!config.demo && workspaceConfigured(config, env)) return { config, emulator: undefined };
  if (!config.demo) {
    warn(
      [
        '',
        '*** dbx-proxy: NO DATABRICKS WORKSPACE IS CONFIGURED: using the built-in DEMO workspace (scripted fake models). ***',
        'To use a real workspace, do one of:',
        '  databricks auth login --host https://<your-workspace>   (writes ~/.databrickscfg)',
        '  export DATABRICKS_HOST=https://<your-workspace> DATABRICKS_TOKEN=<personal access token>',
        '  dbx-proxy <command> --host https://<your-workspace>  or  --profile <name of a ~/.databrickscfg profile>',
        '  databricks.host / databricks.profile in ./dbx-proxy.yaml (see config.example.yaml)',
        'Pass --demo (or DBX_PROXY_DEMO=1) to choose the demo workspace without this notice.',
        '',
      ].join('\n'),
    );
  }
  const emulator = await startEmulator({ port: 0 });
  return { config: demoConfig(config, emulator.url), emulator };
}
