import { delimiter, join } from 'node:path';
import { accessSync, constants } from 'node:fs';
import type { Config } from '../config/schema.js';
import { chosenProfile, profilesPath, readProfiles, type Profile } from './profiles.js';

/** What a failed start knows: the settings, the environment, the SDK's reason, and the config file's profiles. */
interface FailureContext {
  settings: Config['databricks'];
  env: NodeJS.ProcessEnv;
  reason: string;
  path: string;
  profiles: Record<string, Profile> | undefined;
  profile: { name: string; explicit: boolean };
}

/** Keys of a profile or variables that carry a credential (the SDK's attribute names). */
const PROFILE_CREDENTIALS = ['token', 'client_id', 'password', 'auth_type', 'azure_client_id', 'google_service_account'];
const ENV_CREDENTIALS = ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_PASSWORD', 'DATABRICKS_AUTH_TYPE', 'ARM_CLIENT_ID', 'GOOGLE_CREDENTIALS'];

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return dir !== '';
    } catch {
      return false;
    }
  });
}

/** A profile named (--profile, DATABRICKS_CONFIG_PROFILE) that the file does not have. */
function unknownProfile({ profile, profiles, path }: FailureContext): string | undefined {
  if (!profile.explicit || profiles?.[profile.name]) return undefined;
  const where = profiles ? `it has ${Object.keys(profiles).join(', ') || 'no profiles'}` : 'the file does not exist';
  return (
    `the profile '${profile.name}' is not in ${path} (${where}). ` +
    `Fix: pass one of its profiles to --profile, or create this one with \`databricks auth login --host <workspace-url> --profile ${profile.name}\`.`
  );
}

/** A profile signing in through the Databricks CLI (what `databricks auth login` writes) on a machine without it. */
function cliWithoutBinary({ settings, env, profile, profiles, path }: FailureContext): string | undefined {
  const authType = settings.authType ?? (env.DATABRICKS_AUTH_TYPE || undefined) ?? profiles?.[profile.name]?.auth_type;
  if (authType !== 'databricks-cli' || onPath('databricks', env)) return undefined;
  const source = profiles?.[profile.name]?.auth_type ? `the ${profile.name} profile of ${path} signs in` : 'the auth type databricks-cli signs in';
  return (
    `${source} through the Databricks CLI (auth_type = databricks-cli), but the \`databricks\` command is not on PATH. ` +
    `Fix: install the Databricks CLI and run \`databricks auth login --profile ${profile.name}\` ` +
    '(in a container: the image target with-databricks-cli, with ~/.databricks mounted; docs/containers.md), ' +
    'or give the proxy a token (DATABRICKS_TOKEN) or an OAuth client instead.'
  );
}

/** A workspace URL with nothing to authenticate to it. */
function hostWithoutCredential({ settings, env, profile, profiles, reason }: FailureContext): string | undefined {
  const chosen = profiles?.[profile.name];
  const host = settings.host ?? (env.DATABRICKS_HOST || undefined) ?? chosen?.host;
  const credential =
    settings.token ?? settings.clientId ?? settings.authType ?? ENV_CREDENTIALS.find((name) => env[name]) ?? PROFILE_CREDENTIALS.find((key) => chosen?.[key]);
  if (!host || credential !== undefined || !/cannot configure default credentials/i.test(reason)) return undefined;
  return (
    `a workspace is set (${host}) but no credential for it: no DATABRICKS_TOKEN, no OAuth client (DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET)` +
    `${chosen ? `, and the ${profile.name} profile holds none` : ''}${onPath('databricks', env) ? ', and the Databricks CLI has no login for it' : ''}. ` +
    `Fix: export DATABRICKS_TOKEN=<personal access token>, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET of a service principal, or run \`databricks auth login --host ${host}\`.`
  );
}

/** The causes a failed authentication is checked against, in order; the first that recognises it speaks. */
const CAUSES: readonly ((context: FailureContext) => string | undefined)[] = [unknownProfile, cliWithoutBinary, hostWithoutCredential];

/** The cause of a failed authentication and its fix, when it is one of the known ones; else undefined. */
export function knownAuthCause(settings: Config['databricks'], reason: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = profilesPath(settings, env);
  const context: FailureContext = { settings, env, reason, path, profiles: readProfiles(path), profile: chosenProfile(settings, env) };
  for (const cause of CAUSES) {
    const message = cause(context);
    if (message) return message;
  }
  return undefined;
}
