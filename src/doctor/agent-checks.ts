import { execFile } from 'node:child_process';
import { findOnPath } from '../cli/agent-exec.js';
import { AGENTS } from '../cli/agent-setup.js';
import type { Check } from './check.js';

const VERSION_TIMEOUT_MS = 5_000;

/** The npm package of each agent, for the "not found" hint. */
export const AGENT_PACKAGES: Record<(typeof AGENTS)[number], string> = {
  claude: '@anthropic-ai/claude-code',
  codex: '@openai/codex',
  opencode: 'opencode-ai',
  gemini: '@google/gemini-cli',
};

function versionOf(bin: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(bin, ['--version'], { timeout: VERSION_TIMEOUT_MS }, (error, stdout) => resolve(error ? 'version unknown' : stdout.trim().split('\n')[0] ?? ''));
  });
}

/** The agents `dbx-proxy run` can start, found on PATH with their versions; a missing one is listed, not a failure. */
export async function agentChecks(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  return Promise.all(
    AGENTS.map(async (agent): Promise<Check> => {
      const bin = findOnPath(agent, env.PATH ?? '');
      if (!bin) return { name: `agent ${agent}`, status: 'info', detail: `not on PATH (npm i -g ${AGENT_PACKAGES[agent]} to use \`dbx-proxy run ${agent}\`)` };
      return { name: `agent ${agent}`, status: 'ok', detail: `${await versionOf(bin)} (${bin})` };
    }),
  );
}
