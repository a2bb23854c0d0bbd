import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { CONFIG_PATH_VAR, envLayers } from './env.js';
import { ConfigError, formatPath } from './errors.js';
import { interpolate } from './interpolate.js';
import { isPlainObject, mergeLayers, type Layer, type Merged, type PlainObject } from './merge.js';
import { ConfigSchema, type Config, type ConfigInput } from './schema.js';

export { ConfigError } from './errors.js';

export interface LoadConfigOptions {
  /** Values from command-line flags (highest precedence). Unset flags are `undefined` or absent. */
  flags?: ConfigInput;
  /** The environment for DBX_PROXY_* and `${VAR}` interpolation; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where `./dbx-proxy.yaml` is looked for and relative paths start; default process.cwd(). */
  cwd?: string;
  /** An explicit config file (`--config`); it must exist. */
  configPath?: string;
  /** Home directory for `~/.config/dbx-proxy/config.yaml`; default os.homedir(). */
  homeDir?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file that was read, if any. */
  source: string | undefined;
  /** Where the value at `path` came from (`from DBX_PROXY_PORT`, `in ./dbx-proxy.yaml`, ...); undefined: the default. */
  origin(path: readonly string[]): string | undefined;
}

interface Candidate {
  path: string;
  /** Set when the user named this file: then it must exist, and errors say who named it. */
  namedBy?: string;
}

/**
 * Where the config file is looked for, first match wins: `--config FILE`,
 * then $DBX_PROXY_CONFIG, then ./dbx-proxy.yaml, then
 * $XDG_CONFIG_HOME/dbx-proxy/config.yaml (default ~/.config/...).
 */
export function configFileCandidates(options: LoadConfigOptions = {}): Candidate[] {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  if (options.configPath !== undefined) return [{ path: resolve(cwd, options.configPath), namedBy: '--config' }];
  const fromEnv = env[CONFIG_PATH_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return [{ path: resolve(cwd, fromEnv), namedBy: CONFIG_PATH_VAR }];
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg !== undefined && isAbsolute(xdg) ? xdg : join(options.homeDir ?? homedir(), '.config');
  return [{ path: join(cwd, 'dbx-proxy.yaml') }, { path: join(configHome, 'dbx-proxy', 'config.yaml') }];
}

/** Defaults < file < DBX_PROXY_* environment < flags, validated once against the schema. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = options.homeDir ?? homedir();
  const display = (path: string): string => displayPath(path, cwd, home);

  const layers: Layer[] = [];
  let source: string | undefined;
  for (const candidate of configFileCandidates({ ...options, env, cwd, homeDir: home })) {
    const shown = display(candidate.path);
    const text = await readCandidate(candidate, shown);
    if (text === undefined) continue;
    source = candidate.path;
    const where = `in ${shown}`;
    layers.push({ label: where, input: interpolate(parseYaml(text, shown), env, where) as PlainObject });
    break;
  }
  layers.push(...envLayers(env));
  if (options.flags) layers.push({ label: 'from the command line', input: options.flags as PlainObject });

  const merged = mergeLayers(layers);
  const result = ConfigSchema.safeParse(merged.value);
  if (!result.success) {
    throw new ConfigError(`config: ${result.error.issues.flatMap((issue) => describeIssue(issue, merged)).join('; ')}`);
  }
  return { config: result.data, source, origin: (path) => merged.origin(path) };
}

async function readCandidate(candidate: Candidate, shown: string): Promise<string | undefined> {
  try {
    return await readFile(candidate.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && candidate.namedBy === undefined) return undefined;
    const by = candidate.namedBy ? ` (named by ${candidate.namedBy})` : '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? (error as Error).message);
    throw new ConfigError(`config: cannot read ${shown}${by}: ${why}`);
  }
}

function parseYaml(text: string, shown: string): PlainObject {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  // The library's message ends in a code frame; the first line already names line and column.
  if (problem) throw new ConfigError(`config: invalid YAML in ${shown}: ${problem.message.split('\n')[0]?.replace(/:$/, '')}`);
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError(`config: ${shown} must hold a mapping of settings, not ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return value;
}


type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, merged: Merged): string[] {
  const line = (path: readonly PropertyKey[], problem: string): string => {
    const origin = merged.origin(path);
    return `${formatPath(path) || '(top level)'}: ${problem}${origin ? ` (${origin})` : ''}`;
  };
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(issue.path);
    const hint = known.length > 0 ? ` (known keys here: ${known.join(', ')})` : '';
    return issue.keys.map((key) => line([...issue.path, key], `unknown key${hint}`));
  }
  return [line(issue.path, issue.message)];
}

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  propertyNames?: { enum?: string[] };
}

let inputSchema: JsonSchemaNode | undefined;

/** The keys the schema accepts at `path`: object properties, or a record's enumerated key names. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  inputSchema ??= z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  let node: JsonSchemaNode | undefined = inputSchema;
  for (const key of path) node = node?.properties?.[String(key)];
  return Object.keys(node?.properties ?? {}).concat(node?.propertyNames?.enum ?? []);
}

/** `./dbx-proxy.yaml` under the working directory, `~/...` under home, absolute otherwise. */
function displayPath(path: string, cwd: string, home: string): string {
  const under = (base: string): string | undefined => {
    const rel = relative(base, path);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  const inCwd = under(cwd);
  if (inCwd !== undefined) return `./${inCwd}`;
  const inHome = under(home);
  return inHome !== undefined ? `~/${inHome}` : path;
}
