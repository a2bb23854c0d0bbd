import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';

/** One `[name]` section of a Databricks config file: its keys as written (host, token, auth_type, ...). */
export type Profile = Readonly<Record<string, string>>;

/** The Databricks config file the SDK reads: databricks.configFile, DATABRICKS_CONFIG_FILE, else ~/.databrickscfg. */
export function profilesPath(settings: Config['databricks'], env: NodeJS.ProcessEnv = process.env): string {
  const path = settings.configFile ?? env.DATABRICKS_CONFIG_FILE ?? '~/.databrickscfg';
  return path.startsWith('~/') ? join(env.HOME || homedir(), path.slice(2)) : path;
}

/** The profile the SDK will load: --profile / databricks.profile, DATABRICKS_CONFIG_PROFILE, else DEFAULT; `explicit` when named. */
export function chosenProfile(settings: Config['databricks'], env: NodeJS.ProcessEnv = process.env): { name: string; explicit: boolean } {
  const named = settings.profile ?? (env.DATABRICKS_CONFIG_PROFILE || undefined);
  return { name: named ?? 'DEFAULT', explicit: named !== undefined };
}

/**
 * The profiles of a Databricks config file (an INI file: `[name]` headers,
 * `key = value` lines, `#` or `;` comments), or undefined when it cannot be
 * read. Only for explaining failures and for `doctor`: the SDK reads the file
 * itself for authentication.
 */
export function readProfiles(path: string): Record<string, Profile> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const profiles: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      current = profiles[header[1].trim()] ??= {};
      continue;
    }
    const equals = line.indexOf('=');
    if (current && equals > 0) current[line.slice(0, equals).trim().toLowerCase()] = line.slice(equals + 1).trim();
  }
  return profiles;
}
