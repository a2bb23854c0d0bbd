import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { execAgent, findOnPath } from './agent-exec.js';
import { AGENT_PACKAGES } from '../doctor/agent-checks.js';
import { AGENT_SETUP, AGENTS, type Agent } from './agent-setup.js';
import { addWorkspaceOptions, ENVIRONMENT_HELP, flagsToConfig, parsePort, type ConfigFlags } from './options.js';
import { warn } from './output.js';
import { clientKey } from './proxy-address.js';
import { unknownModelError } from './model-check.js';

interface RunFlags extends ConfigFlags {
  agentBin?: string;
  model?: string;
}


export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('run a coding agent against the proxy: reuses a running proxy or starts one for the agent\'s lifetime')
    .addArgument(new Argument('<agent>', 'the agent to run').choices(AGENTS))
    .argument('[agent-args...]', 'arguments for the agent, after --')
    .option('--agent-bin <path>', 'the agent\'s executable (default: found on PATH)')
    .option('--model <name>', 'the model the agent uses by default (default: chosen from the workspace\'s models)')
    .option('--port <port>', 'port of a running proxy to reuse (default: 8420) [env: DBX_PROXY_PORT]', parsePort);
  addWorkspaceOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  dbx-proxy run claude
  dbx-proxy run codex -- exec "fix the failing test"
  dbx-proxy run opencode --model databricks-claude-sonnet-4-6
  dbx-proxy run gemini -- -p "explain this repository"
${ENVIRONMENT_HELP}`,
    )
    .action((agent: Agent, agentArgs: string[], flags: RunFlags) => run(agent, agentArgs, flags));
}

async function run(agent: Agent, agentArgs: string[], flags: RunFlags): Promise<void> {
  const { config } = await loadConfig({ flags: flagsToConfig(flags), configPath: flags.config });
  const bin = flags.agentBin ?? findOnPath(agent);
  if (bin === undefined) throw new Error(`${agent} is not on PATH: install it (npm i -g ${AGENT_PACKAGES[agent]}) or pass --agent-bin`);

  const apiKey = clientKey(config, true);
  const { openAgentProxy } = await import('./run-proxy.js');
  // The agent owns the terminal: the proxy logs only warnings unless --log-level asks for more.
  const proxy = await openAgentProxy(config, apiKey, flags.logLevel ?? 'warn');
  // Checked before the agent starts: an agent on a model the workspace lacks fails only at its first request, deep in its own output.
  const unknownModel = flags.model === undefined ? undefined : unknownModelError(flags.model, proxy.models, config);
  if (unknownModel) {
    await proxy.close();
    throw unknownModel;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'dbx-proxy-run-'));
  try {
    if (!proxy.started) warn(`dbx-proxy: using the proxy already listening on ${proxy.url}`);
    const added = AGENT_SETUP[agent]({ target: { url: proxy.url, apiKey }, models: proxy.models, model: flags.model, scratch, env: process.env });
    process.exitCode = await execAgent(bin, agentArgs, { ...process.env, ...added });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await proxy.close();
  }
}
