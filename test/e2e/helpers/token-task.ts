import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptEntry } from '../../../src/emulator/index.js';
import type { Stack } from '../../helpers/stack.js';
import { createSandbox, runProcess, type AgentResult, type Sandbox } from './agent-process.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The task every agent gets: a file in its work dir holds a random token; the
 * prompt names the file by its absolute path (the emulator's model takes the
 * path from the user's text and calls the agent's own read or shell tool on
 * it, see src/emulator/agent-tools.ts), and answers with what the tool returned.
 */
export interface TokenTask {
  box: Sandbox;
  token: string;
  prompt: string;
}

export function tokenTask(): TokenTask {
  const box = createSandbox();
  const token = `TOKEN-${randomBytes(12).toString('hex')}`;
  const file = join(box.work, 'secret-token.txt');
  writeFileSync(file, `${token}\n`);
  return { box, token, prompt: `Read the file ${file} and reply with the token it holds.` };
}

/** The folder whose node_modules/.bin holds the agents: installed (pinned) by the project's own script, or reused. */
export function agentBin(name: 'claude' | 'codex' | 'opencode' | 'gemini' | 'pi'): string {
  const dir = execFileSync(process.execPath, [join(ROOT, 'scripts', 'install-agents.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return join(dir, 'node_modules', '.bin', name);
}

/** Hard limit of one agent run. A healthy run takes 2-36 s here (opencode is the slowest; 2 shared cores). */
export const AGENT_TIMEOUT_MS = 120_000;

/**
 * `dbx-proxy run <agent> --port <the stack's proxy> -- args`: run reuses the
 * test's in-process proxy (found by GET /health), so the emulator's transcript
 * sees every upstream call, and writes the agent's config as a user's run would.
 */
export function runAgentThroughCli(
  stack: Stack,
  task: TokenTask,
  agent: 'claude' | 'codex' | 'opencode' | 'gemini',
  options: { model: string; args: readonly string[]; env?: Record<string, string> },
): Promise<AgentResult> {
  const port = new URL(stack.proxy.url).port;
  const cli = join(ROOT, 'bin', 'dbx-proxy.js');
  const args = [cli, 'run', agent, '--port', port, '--agent-bin', agentBin(agent), '--model', options.model, '--', ...options.args];
  return runProcess(process.execPath, args, { cwd: task.box.work, env: { ...task.box.env, ...options.env }, timeoutMs: AGENT_TIMEOUT_MS });
}

/** Upstream inference calls (every POST but the OAuth token endpoint). */
export function inferenceCalls(stack: Stack): TranscriptEntry[] {
  return stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.includes('/oidc/'));
}

/** Whether an upstream request offered tools (any dialect's shape). */
export function offeredTools(entry: TranscriptEntry): boolean {
  const body = entry.body as { tools?: unknown[] } | undefined;
  return Array.isArray(body?.tools) && body.tools.length > 0;
}

/** A short description of the calls, for failure messages. */
export function describeCalls(calls: readonly TranscriptEntry[]): string {
  return calls.map((call) => `${call.status} ${call.path}${call.fault ? ` (${call.fault})` : ''}`).join('; ');
}
