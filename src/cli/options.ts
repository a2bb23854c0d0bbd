import { InvalidArgumentError, Option, type Command } from 'commander';
import { setIn, type PlainObject } from '../config/merge.js';
import { ConfigSchema, type ConfigInput } from '../config/schema.js';

/** Choices come from the schema, so a flag can never accept what the config refuses. */
export const SURFACE_CHOICES: readonly string[] = ConfigSchema.shape.surface.unwrap().options;
export const LOG_LEVEL_CHOICES: readonly string[] = ConfigSchema.shape.log.unwrap().shape.level.unwrap().options;

export function parsePort(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) throw new InvalidArgumentError('Expected an integer from 0 to 65535.');
  return port;
}

/** --host: a workspace URL with its http(s) scheme; a bare host name is told which URL to write. */
export function parseUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && URL.canParse(`https://${value}`)) {
    throw new InvalidArgumentError(`The workspace URL needs its scheme: --host https://${value} (or http:// for a local emulator).`);
  }
  if (!URL.canParse(value)) throw new InvalidArgumentError('Expected a workspace URL such as https://my-workspace.cloud.databricks.com.');
  const { protocol } = new URL(value);
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new InvalidArgumentError(`Expected an https:// workspace URL, not ${protocol}// (http:// only for a local emulator).`);
  }
  return value;
}

/** The flags shared by serve and models; each maps to one config path (FLAG_PATHS). */
export interface ConfigFlags {
  config?: string;
  listen?: string;
  port?: number;
  demo?: boolean;
  host?: string;
  profile?: string;
  surface?: string;
  bare?: boolean;
  passthroughAuth?: boolean;
  logLevel?: string;
}

const FLAG_PATHS: readonly (readonly [Exclude<keyof ConfigFlags, 'config'>, readonly string[]])[] = [
  ['listen', ['listen']],
  ['port', ['port']],
  ['demo', ['demo']],
  ['host', ['databricks', 'host']],
  ['profile', ['databricks', 'profile']],
  ['surface', ['surface']],
  ['bare', ['repairs', 'bare']],
  ['passthroughAuth', ['server', 'passthroughAuth']],
  ['logLevel', ['log', 'level']],
];

/** The command-line form of the flags that were given, to pass them on to another dbx-proxy process (`start`). */
export function configFlagsToArgs(flags: ConfigFlags): string[] {
  const args: string[] = [];
  const given = (name: keyof ConfigFlags): unknown => flags[name];
  for (const name of ['config', ...FLAG_PATHS.map(([flag]) => flag)] as (keyof ConfigFlags)[]) {
    const value = given(name);
    const option = `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    if (value === true) args.push(option);
    else if (value !== undefined && value !== false) args.push(option, String(value));
  }
  return args;
}

/** The config layer the flags contribute (only flags that were given). */
export function flagsToConfig(flags: ConfigFlags): ConfigInput {
  const input: PlainObject = {};
  for (const [flag, path] of FLAG_PATHS) if (flags[flag] !== undefined) setIn(input, path, flags[flag]);
  return input as ConfigInput;
}

/** --config, workspace selection, --demo and --log-level: what every workspace command takes. */
export function addWorkspaceOptions(command: Command): Command {
  return command
    .option('--config <file>', 'config file (default: ./dbx-proxy.yaml, then ~/.config/dbx-proxy/config.yaml) [env: DBX_PROXY_CONFIG]')
    .option('--host <url>', 'Databricks workspace URL [env: DBX_PROXY_HOST]', parseUrl)
    .option('--profile <name>', 'profile of ~/.databrickscfg [env: DBX_PROXY_PROFILE]')
    .addOption(
      new Option('--surface <surface>', 'inference surface; auto probes the AI Gateway [env: DBX_PROXY_SURFACE]').choices(
        SURFACE_CHOICES,
      ),
    )
    .option('--demo', 'use the built-in workspace emulator instead of a real workspace [env: DBX_PROXY_DEMO]')
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr) [env: DBX_PROXY_LOG_LEVEL]').choices(LOG_LEVEL_CHOICES));
}

export const ENVIRONMENT_HELP = `
Settings come from flags, then DBX_PROXY_* environment variables, then the
config file, then defaults. Credentials come from the Databricks SDK's own
chain (DATABRICKS_HOST, DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/SECRET,
~/.databrickscfg profiles, \`databricks auth login\`). See config.example.yaml.`;
