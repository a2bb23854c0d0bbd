import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { chosenProfile, profilesPath, readProfiles } from '../databricks/profiles.js';
import { workspaceUrl } from '../databricks/tls-causes.js';
import type { Workspace } from '../databricks/workspace.js';
import type { Logger } from '../logging/logger.js';
import { noWorkspaceError, workspaceConfigured, type Emulator } from '../cli/workspace-choice.js';
import { agentChecks } from './agent-checks.js';
import type { Check } from './check.js';
import { configChecks } from './config-checks.js';
import { credentialChecks } from './credential-checks.js';
import { hostCheck } from './host-check.js';
import { liveChecks } from './live-checks.js';
import { workspaceChecks } from './workspace-checks.js';

export interface Diagnosis {
  checks: Check[];
  /** Open when the workspace could be opened; the caller closes it (and the emulator). */
  workspace: Workspace | undefined;
  config: Config;
  emulator: Emulator | undefined;
}

/** The workspace URL the SDK will use: the setting, DATABRICKS_HOST, else the chosen profile's host. */
function hostOf(config: Config, env: NodeJS.ProcessEnv): string | undefined {
  const profile = readProfiles(profilesPath(config.databricks, env))?.[chosenProfile(config.databricks, env).name];
  return workspaceUrl(config.databricks.host ?? (env.DATABRICKS_HOST || undefined) ?? profile?.host);
}

/**
 * Every check of `dbx-proxy doctor`, in the order a problem is best found:
 * the configuration, the host, the credential, the workspace's surface and
 * models, `--live` requests, the agents. A failure of one stage is a failed
 * check with its fix, and the stages that depend on it are left out.
 */
export async function diagnose(loaded: LoadedConfig, options: { live: boolean; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<Diagnosis> {
  const env = options.env ?? process.env;
  const checks = configChecks(loaded, env);
  let config = loaded.config;
  let emulator: Emulator | undefined;
  let workspace: Workspace | undefined;
  if (!config.demo && !workspaceConfigured(config, env)) {
    const fix = noWorkspaceError().message.split(' Fix: ')[1];
    checks.push({ name: 'workspace', status: 'FAIL', detail: 'no Databricks workspace is configured (no databricks.* setting, DATABRICKS_* variable or ~/.databrickscfg)', ...(fix ? { fix } : {}) });
  } else {
    if (config.demo) {
      const { chooseWorkspace } = await import('../cli/workspace-choice.js');
      ({ config, emulator } = await chooseWorkspace(config, env, false));
      checks.push({ name: 'workspace', status: 'info', detail: `the DEMO emulator at ${emulator?.url ?? '?'} (--demo): scripted models, no real workspace` });
    }
    const host = hostOf(config, env);
    if (host) checks.push(await hostCheck(host));
    const { openWorkspace } = await import('../databricks/workspace.js');
    try {
      workspace = await openWorkspace(config, options.logger);
    } catch (error) {
      checks.push(...credentialChecks(config.databricks, error instanceof Error ? error : new Error(String(error)), env));
    }
    if (workspace) {
      checks.push(...credentialChecks(config.databricks, workspace.auth, env), ...workspaceChecks(workspace, config));
      if (options.live) checks.push(...(await liveChecks(workspace, config)));
    }
  }
  checks.push(...(await agentChecks(env)));
  return { checks, workspace, config, emulator };
}
