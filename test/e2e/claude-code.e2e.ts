import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { AGENT_TIMEOUT_MS, describeCalls, inferenceCalls, offeredTools, runAgentThroughCli, tokenTask } from './helpers/token-task.js';

/**
 * Claude Code (`claude -p`) through `dbx-proxy run claude`, on a Claude model
 * (native Messages) and on GPT and Gemini models (translated). The silent
 * non-streaming fallback is off and retries are zero, so a malformed stream
 * or a rejected request shows up as a failure or an extra upstream call.
 */
const TEST_ENV = { CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK: '1', CLAUDE_CODE_MAX_RETRIES: '0' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe.each(['databricks-claude-sonnet-4-6', 'databricks-gpt-5-2', 'databricks-gemini-3-pro'])('Claude Code on %s', (model) => {
  test('reads the token file with its Read tool and answers with the token', async () => {
    stack.emulator.clearTranscript();
    const task = tokenTask();
    try {
      // As root, bypassPermissions is refused; allowing Read is all the task needs.
      const args = ['-p', task.prompt, '--output-format', 'json', '--allowedTools', 'Read'];
      const result = await runAgentThroughCli(stack, task, 'claude', { model, args, env: TEST_ENV });
      expect(result.timedOut, result.stderr).toBe(false);
      expect(result.code, `${describeCalls(inferenceCalls(stack))}\n${result.stderr}\n${result.stdout}`).toBe(0);
      const output = JSON.parse(result.stdout) as { is_error: boolean; result: string; num_turns: number };
      expect(output.is_error).toBe(false);
      expect(output.result).toContain(task.token);

      // Exactly the tool turn and the answer turn: in -p mode Claude Code makes
      // no title, quota or count_tokens call; no retry, no non-streaming fallback.
      const calls = inferenceCalls(stack);
      expect(calls.length, describeCalls(calls)).toBe(2);
      expect(calls.every((call) => call.status === 200 && call.streamed)).toBe(true);
      expect(calls.every(offeredTools)).toBe(true);
      expect(result.elapsedMs).toBeLessThan(AGENT_TIMEOUT_MS / 2);
    } finally {
      task.box.remove();
    }
  });
});
