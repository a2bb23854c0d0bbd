import { ConfigError } from './errors.js';
import { setIn, type Layer } from './merge.js';

/**
 * The DBX_PROXY_* environment variables, one row each: variable -> config
 * path -> parser. A parser turns the text into the type the schema expects
 * (or throws a sentence); the schema then validates the value like any other.
 * The Databricks SDK reads DATABRICKS_* itself, so none of those are here.
 * Every row is documented in config.example.yaml (a test checks).
 */
export interface EnvVar {
  name: string;
  path: readonly string[];
  parse(raw: string): unknown;
}

/** The variable naming the config file (read by the file discovery, not merged). */
export const CONFIG_PATH_VAR = 'DBX_PROXY_CONFIG';

const text = (raw: string): string => raw;

function integer(raw: string): number {
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new Error(`expected an integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

const BOOLEANS: Readonly<Record<string, boolean>> = {
  1: true,
  true: true,
  yes: true,
  on: true,
  0: false,
  false: false,
  no: false,
  off: false,
};

function boolean(raw: string): boolean {
  const value = BOOLEANS[raw.trim().toLowerCase()];
  if (value === undefined) throw new Error(`expected true/false (or 1/0, yes/no, on/off), got ${JSON.stringify(raw)}`);
  return value;
}

/** `a, b,,c` -> ['a', 'b', 'c']. */
function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export const ENV_VARS: readonly EnvVar[] = [
  { name: 'DBX_PROXY_LISTEN', path: ['listen'], parse: text },
  { name: 'DBX_PROXY_PORT', path: ['port'], parse: integer },
  { name: 'DBX_PROXY_DEMO', path: ['demo'], parse: boolean },
  { name: 'DBX_PROXY_SURFACE', path: ['surface'], parse: text },
  { name: 'DBX_PROXY_HOST', path: ['databricks', 'host'], parse: text },
  { name: 'DBX_PROXY_PROFILE', path: ['databricks', 'profile'], parse: text },
  { name: 'DBX_PROXY_DEFAULT_MODEL', path: ['models', 'default'], parse: text },
  { name: 'DBX_PROXY_API_KEYS', path: ['server', 'apiKeys'], parse: list },
  { name: 'DBX_PROXY_PASSTHROUGH_AUTH', path: ['server', 'passthroughAuth'], parse: boolean },
  { name: 'DBX_PROXY_ROUTE_RECHECK_SECONDS', path: ['routing', 'recheckSeconds'], parse: integer },
  { name: 'DBX_PROXY_CODING_AGENT_MODE', path: ['routing', 'codingAgentMode'], parse: text },
  { name: 'DBX_PROXY_BARE', path: ['repairs', 'bare'], parse: boolean },
  { name: 'DBX_PROXY_CATALOG_CACHE', path: ['catalog', 'cache'], parse: text },
  { name: 'DBX_PROXY_PROMPT_CACHE', path: ['promptCache', 'auto'], parse: boolean },
  { name: 'DBX_PROXY_PROMPT_CACHE_TTL', path: ['promptCache', 'ttl'], parse: text },
  { name: 'DBX_PROXY_LOG_LEVEL', path: ['log', 'level'], parse: text },
  { name: 'DBX_PROXY_METRICS', path: ['observability', 'metrics'], parse: boolean },
  { name: 'DBX_PROXY_USAGE', path: ['observability', 'usage', 'enabled'], parse: boolean },
  { name: 'DBX_PROXY_USAGE_RETENTION_DAYS', path: ['observability', 'usage', 'retentionDays'], parse: integer },
  { name: 'DBX_PROXY_CONTROL_PLANE_TIMEOUT_MS', path: ['upstream', 'controlPlaneTimeoutMs'], parse: integer },
];

/**
 * One layer per variable that is set, labelled with the variable's name so a
 * validation error names it. An empty variable counts as unset (the usual way
 * to clear one in a shell or a compose file).
 */
export function envLayers(env: NodeJS.ProcessEnv): Layer[] {
  return ENV_VARS.flatMap(({ name, path, parse }) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return [];
    let value: unknown;
    try {
      value = parse(raw);
    } catch (error) {
      throw new ConfigError(`config: ${name}: ${(error as Error).message}`);
    }
    const input = {};
    setIn(input, path, value);
    return [{ label: `from ${name}`, input }];
  });
}
