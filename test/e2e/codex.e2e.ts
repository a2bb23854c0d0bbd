import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { AGENT_TIMEOUT_MS, describeCalls, inferenceCalls, offeredTools, runAgentThroughCli, tokenTask } from './helpers/token-task.js';

/**
 * Codex (`codex exec`) through `dbx-proxy run codex`, which gives it a
 * CODEX_HOME of its own with the proxy's provider (Responses); on a GPT model
 * (native) and on a Claude model (translated). The test's own settings go in
 * with `-c`: never ask for approval, a read-only sandbox (reading is all the task needs).
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe.each(['databricks-gpt-5-2', 'databricks-claude-sonnet-4-6'])('Codex on %s', (model) => {
  test('reads the token file with its shell tool and answers with the token', async () => {
    stack.emulator.clearTranscript();
    const task = tokenTask();
    try {
      const args = ['exec', '--skip-git-repo-check', '-c', 'approval_policy="never"', '-c', 'sandbox_mode="read-only"', task.prompt];
      const result = await runAgentThroughCli(stack, task, 'codex', { model, args });
      expect(result.timedOut, result.stderr).toBe(false);
      expect(result.code, `${describeCalls(inferenceCalls(stack))}\n${result.stderr}\n${result.stdout}`).toBe(0);
      // `codex exec` prints the final message on stdout (progress goes to stderr).
      expect(result.stdout).toContain(task.token);

      // The tool turn and the answer turn; Codex retries nothing when the stream is whole.
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
