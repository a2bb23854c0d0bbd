import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { runProcess } from './helpers/agent-process.js';
import { AGENT_TIMEOUT_MS, agentBin, describeCalls, inferenceCalls, offeredTools, runAgentThroughCli, tokenTask, type TokenTask } from './helpers/token-task.js';

/**
 * Clients that speak Google's Gemini API (and pi, which speaks all four):
 * Gemini CLI headless through `dbx-proxy run gemini`, on a Gemini model
 * (passthrough) and a Claude model (translated); pi with each provider kind
 * it offers. Each must finish a tool round trip, judged in the emulator's
 * transcript (the token only the tool could read went back upstream), not
 * only by the exit code.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

/** The tool turn, then the answer turn that carried the tool's output (the token) upstream. */
function expectToolRoundTrip(task: TokenTask, stdout: string, stderr: string): void {
  const calls = inferenceCalls(stack);
  const detail = `${describeCalls(calls)}\n${stderr}\n${stdout}`;
  expect(calls.length, detail).toBeGreaterThanOrEqual(2);
  expect(calls.every((call) => call.status === 200), detail).toBe(true);
  expect(offeredTools(calls[0]!) || JSON.stringify(calls[0]?.body).includes('functionDeclarations'), detail).toBe(true);
  expect(JSON.stringify(calls.at(-1)?.body), detail).toContain(task.token);
  expect(stdout, detail).toContain(task.token);
}

describe.each(['databricks-gemini-3-pro', 'databricks-claude-sonnet-4-6'])('Gemini CLI on %s', (model) => {
  test('reads the token file with its own tool and answers with the token', async () => {
    stack.emulator.clearTranscript();
    const task = tokenTask();
    try {
      // Headless runs refuse an untrusted folder (exit 55); the sandbox's work dir is the user's own here.
      const result = await runAgentThroughCli(stack, task, 'gemini', { model, args: ['-p', task.prompt], env: { GEMINI_CLI_TRUST_WORKSPACE: 'true' } });
      expect(result.timedOut, result.stderr).toBe(false);
      expect(result.code, `${describeCalls(inferenceCalls(stack))}\n${result.stderr}\n${result.stdout}`).toBe(0);
      expectToolRoundTrip(task, result.stdout, result.stderr);
      expect(inferenceCalls(stack).every((call) => call.streamed)).toBe(true);
    } finally {
      task.box.remove();
    }
  });
});

/** pi's provider kinds, each pointed at the proxy (models.json, docs/models.md of pi) with a model of the matching family, and Gemini's with a translated one. */
const PI_PROVIDERS = [
  ['openai-completions', '/v1', 'databricks-meta-llama-3-3-70b-instruct'],
  ['openai-responses', '/v1', 'databricks-gpt-5-2'],
  ['anthropic-messages', '', 'databricks-claude-sonnet-4-6'],
  ['google-generative-ai', '/v1beta', 'databricks-gemini-3-pro'],
  ['google-generative-ai', '/v1beta', 'databricks-claude-sonnet-4-6'],
] as const;

describe.each(PI_PROVIDERS)('pi, provider kind %s (%s) on %s', (api, path, model) => {
  test('reads the token file with its read tool and answers with the token', async () => {
    stack.emulator.clearTranscript();
    const task = tokenTask();
    try {
      const dir = join(task.box.home, '.pi', 'agent');
      mkdirSync(dir, { recursive: true });
      const provider = { baseUrl: `${stack.proxy.url}${path}`, api, apiKey: 'local', models: [{ id: model }] };
      writeFileSync(join(dir, 'models.json'), JSON.stringify({ providers: { dbx: provider } }));
      const args = ['-p', '--no-session', '--model', `dbx/${model}`, task.prompt];
      // PI_OFFLINE: no update check or install ping to pi.dev.
      const result = await runProcess(agentBin('pi'), args, { cwd: task.box.work, env: { ...task.box.env, PI_OFFLINE: '1' }, timeoutMs: AGENT_TIMEOUT_MS });
      expect(result.timedOut, result.stderr).toBe(false);
      expect(result.code, `${describeCalls(inferenceCalls(stack))}\n${result.stderr}\n${result.stdout}`).toBe(0);
      expectToolRoundTrip(task, result.stdout, result.stderr);
    } finally {
      task.box.remove();
    }
  });
});
