import type { LoadedConfig } from '../config/load.js';
import { chosenProfile, profilesPath, readProfiles } from '../databricks/profiles.js';
import type { Check } from './check.js';

/** Settings worth showing with where their value came from (secrets never: only whether they are set). */
const SHOWN: readonly (readonly string[])[] = [['listen'], ['port'], ['demo'], ['surface'], ['databricks', 'host'], ['databricks', 'profile'], ['log', 'level']];
const SECRET_SETTINGS: readonly (readonly string[])[] = [['databricks', 'token'], ['databricks', 'clientSecret']];

function valueAt(config: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
}

/** The configuration in effect: the file, each shown setting with its source, the Databricks variables and profiles. */
export function configChecks(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): Check[] {
  const settings = SHOWN.flatMap((path) => {
    const value = valueAt(loaded.config, path);
    if (value === undefined) return [];
    const origin = loaded.origin(path)?.replace(/^(from|in) /, '') ?? 'default';
    return [`${path.join('.')}=${String(value)} (${origin})`];
  });
  const secrets = SECRET_SETTINGS.filter((path) => valueAt(loaded.config, path) !== undefined).map((path) => `${path.join('.')} set (${loaded.origin(path)?.replace(/^(from|in) /, '') ?? '?'})`);
  const variables = Object.keys(env).filter((name) => name.startsWith('DATABRICKS_') && env[name] !== '').sort();
  const path = profilesPath(loaded.config.databricks, env);
  const profiles = readProfiles(path);
  const profile = chosenProfile(loaded.config.databricks, env);
  return [
    { name: 'config file', status: 'info', detail: loaded.source ?? 'none (flags, environment and defaults)' },
    { name: 'settings', status: 'info', detail: [...settings, ...secrets].join(', ') },
    { name: 'Databricks variables', status: 'info', detail: variables.length > 0 ? `${variables.join(', ')} (values not shown)` : 'none set' },
    {
      name: 'Databricks profiles',
      status: 'info',
      detail: profiles ? `${path}: ${Object.keys(profiles).join(', ') || 'no profiles'}; the SDK reads ${profile.name}${profile.explicit ? '' : ' (the default)'}` : `${path} does not exist`,
    },
  ];
}
