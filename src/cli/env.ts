import { Argument, type Command } from 'commander';
import { claudeCodeEnv } from '../clients/claude-code.js';
import { CODEX_KEY_VARIABLE, codexConfigToml, codexModel } from '../clients/codex.js';
import { GEMINI_AUTH_SETTINGS, geminiCliEnv } from '../clients/gemini-cli.js';
import type { ClientModel, ProxyTarget } from '../clients/models.js';
import { opencodeConfig } from '../clients/opencode.js';
import { anthropicSnippet, openaiSnippet } from '../clients/sdk-snippets.js';
import { loadConfig } from '../config/load.js';
import { addWorkspaceOptions, ENVIRONMENT_HELP, flagsToConfig, parseUrl, type ConfigFlags } from './options.js';
import { createStderrLogger, say } from './output.js';
import { clientKey, clientModels, configuredProxyUrl } from './proxy-address.js';

interface EnvFlags extends ConfigFlags {
  url?: string;
}

/** What `env <client>` prints: each is ready to paste (or redirect) where that client reads its settings. */
const PRINTERS = {
  opencode: (target, models) => JSON.stringify(opencodeConfig(target, models), null, 2),
  claude: (target, models) => shellExports(claudeCodeEnv(target, models)),
  codex: (target, models) =>
    [
      `# $CODEX_HOME/config.toml (default ~/.codex/config.toml); Codex reads the key from ${CODEX_KEY_VARIABLE}:`,
      `# export ${CODEX_KEY_VARIABLE}=${target.apiKey}`,
      codexConfigToml(target, codexModel(models)),
    ].join('\n'),
  gemini: (target, models) =>
    [
      `# Gemini CLI also needs the API-key auth chosen in ~/.gemini/settings.json: ${JSON.stringify(GEMINI_AUTH_SETTINGS)}`,
      shellExports(geminiCliEnv(target, models)),
    ].join('\n'),
  openai: openaiSnippet,
  anthropic: anthropicSnippet,
} satisfies Record<string, (target: ProxyTarget, models: readonly ClientModel[]) => string>;

export type EnvClient = keyof typeof PRINTERS;
export const ENV_CLIENTS = Object.keys(PRINTERS) as EnvClient[];

export function registerEnv(program: Command): void {
  const command = program
    .command('env')
    .description('print the settings that point a client at a running proxy, with the workspace\'s models filled in')
    .addArgument(new Argument('<client>', 'the client to configure').choices(ENV_CLIENTS))
    .option('--url <url>', 'the proxy\'s URL (default: http://127.0.0.1:<port>, port 8420 unless configured)', parseUrl);
  addWorkspaceOptions(command)
    .addHelpText('after', ENVIRONMENT_HELP)
    .action((client: EnvClient, flags: EnvFlags) => env(client, flags));
}

async function env(client: EnvClient, flags: EnvFlags): Promise<void> {
  const loaded = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  // Loaded on use, like models' (see serve).
  const [{ openWorkspace }, { chooseWorkspace }] = await Promise.all([import('../databricks/workspace.js'), import('./workspace-choice.js')]);
  const { config, emulator } = await chooseWorkspace(loaded.config);
  // Only what is wrong goes to stderr unless asked: the output is meant to be redirected or eval'd.
  const logger = createStderrLogger(flags.logLevel ?? 'warn');
  try {
    const workspace = await openWorkspace(config, logger);
    try {
      const target = { url: (flags.url ?? configuredProxyUrl(config)).replace(/\/+$/, ''), apiKey: clientKey(config, false) };
      say(PRINTERS[client](target, clientModels(workspace.catalog.entries())));
    } finally {
      await workspace.close();
    }
  } finally {
    await emulator?.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
}

/** `export NAME='value'` lines a POSIX shell can `eval`. */
export function shellExports(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
    .join('\n');
}

function shellQuote(value: string): string {
  return /^[\w.:/@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
