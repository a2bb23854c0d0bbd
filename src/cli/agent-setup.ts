import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { claudeCodeEnv } from '../clients/claude-code.js';
import { CODEX_KEY_VARIABLE, codexModel, mergeCodexConfig } from '../clients/codex.js';
import { geminiCliEnv, mergeGeminiSettings } from '../clients/gemini-cli.js';
import type { ClientModel, ProxyTarget } from '../clients/models.js';
import { opencodeConfig } from '../clients/opencode.js';

/** What an agent needs to reach the proxy. */
export interface AgentSetupInput {
  target: ProxyTarget;
  models: readonly ClientModel[];
  /** `run --model`: the model the agent uses by default. */
  model: string | undefined;
  /** A private temporary folder for this run, removed when the agent exits. */
  scratch: string;
  /** The environment the agent would otherwise get (process.env). */
  env: NodeJS.ProcessEnv;
}

/**
 * Each agent's setup: the environment variables to add. Files go into the
 * scratch folder only, never over the user's own configuration.
 */
export const AGENT_SETUP = {
  /** Claude Code takes everything from the environment. */
  claude: ({ target, models, model }: AgentSetupInput) => claudeCodeEnv(target, models, model),
  /** Codex gets its own CODEX_HOME: the user's, with config.toml extended (see codexHomeCopy). */
  codex: (input: AgentSetupInput) => ({
    CODEX_HOME: codexHomeCopy(input),
    [CODEX_KEY_VARIABLE]: input.target.apiKey,
  }),
  /** opencode merges the file OPENCODE_CONFIG names over the user's own config files. */
  opencode: ({ target, models, model, scratch }: AgentSetupInput) => {
    const path = join(scratch, 'opencode.json');
    writeFileSync(path, `${JSON.stringify(opencodeConfig(target, models, model), null, 2)}\n`, { mode: 0o600 });
    return { OPENCODE_CONFIG: path };
  },
  /** Gemini CLI gets its own GEMINI_CLI_HOME: the user's `.gemini`, with settings.json choosing the API-key auth (see geminiHomeCopy). */
  gemini: (input: AgentSetupInput) => ({ ...geminiCliEnv(input.target, input.models, input.model), GEMINI_CLI_HOME: geminiHomeCopy(input) }),
} satisfies Record<string, (input: AgentSetupInput) => Record<string, string>>;

export type Agent = keyof typeof AGENT_SETUP;
export const AGENTS = Object.keys(AGENT_SETUP) as Agent[];

/**
 * A CODEX_HOME for this run: every entry of the user's own (auth, sessions,
 * prompts, logs) linked in, so history still lands there, and a config.toml of
 * its own: the user's settings with the proxy's provider added and chosen.
 */
function codexHomeCopy({ target, models, model, scratch, env }: AgentSetupInput): string {
  const userHome = env.CODEX_HOME ?? join(homedir(), '.codex');
  const home = join(scratch, 'codex-home');
  mkdirSync(home, { mode: 0o700 });
  const userConfig = join(userHome, 'config.toml');
  if (existsSync(userHome)) {
    for (const entry of readdirSync(userHome)) if (entry !== 'config.toml') symlinkSync(join(userHome, entry), join(home, entry));
  }
  const userToml = existsSync(userConfig) ? readFileSync(userConfig, 'utf8') : '';
  writeFileSync(join(home, 'config.toml'), mergeCodexConfig(userToml, target, codexModel(models, model)), { mode: 0o600 });
  return home;
}

/**
 * A GEMINI_CLI_HOME for this run: every entry of the user's own `~/.gemini`
 * (history, trusted folders, extensions) linked in, and a settings.json of its
 * own: the user's settings with the API-key auth chosen (clients/gemini-cli.ts).
 */
function geminiHomeCopy({ scratch, env }: AgentSetupInput): string {
  const userDir = join(env.GEMINI_CLI_HOME ?? homedir(), '.gemini');
  const home = join(scratch, 'gemini-home');
  const dir = join(home, '.gemini');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const userSettings = join(userDir, 'settings.json');
  if (existsSync(userDir)) {
    for (const entry of readdirSync(userDir)) if (entry !== 'settings.json') symlinkSync(join(userDir, entry), join(dir, entry));
  }
  const userText = existsSync(userSettings) ? readFileSync(userSettings, 'utf8') : '{}';
  writeFileSync(join(dir, 'settings.json'), mergeGeminiSettings(userText), { mode: 0o600 });
  return home;
}
