import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { AGENT_TIMEOUT_MS, describeCalls, inferenceCalls, offeredTools, runAgentThroughCli, tokenTask } from './helpers/token-task.js';

/**
 * opencode (`opencode run --format json`) through `dbx-proxy run opencode`,
 * through each of the three providers dbx-proxy configures (one per AI SDK
 * adapter, src/clients/opencode.ts), on a Claude, a GPT and a Gemini model.
 */
const ADAPTERS = ['dbx', 'dbx-openai', 'dbx-anthropic'] as const;
const MODELS = ['databricks-claude-sonnet-4-6', 'databricks-gpt-5-2', 'databricks-gemini-3-pro'] as const;
/** No network beyond the proxy: models.dev, updates, sharing, LSP downloads off (clients.md §2). */
const TEST_ENV = {
  OPENCODE_DISABLE_AUTOUPDATE: '1',
  OPENCODE_DISABLE_MODELS_FETCH: '1',
  OPENCODE_DISABLE_SHARE: '1',
  OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
  OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
};

interface OpencodeEvent {
  type: string;
  part?: { type?: string; text?: string; tool?: string; reason?: string; state?: { status?: string } };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const cases = ADAPTERS.flatMap((adapter) => MODELS.map((model) => [adapter, model] as const));

describe.each(cases)('opencode via %s on %s', (adapter, model) => {
  test('reads the token file with its read tool and answers with the token', async () => {
    stack.emulator.clearTranscript();
    const task = tokenTask();
    try {
      const args = ['run', '-m', `${adapter}/${model}`, '--format', 'json', task.prompt];
      const result = await runAgentThroughCli(stack, task, 'opencode', { model, args, env: TEST_ENV });
      expect(result.timedOut, result.stderr).toBe(false);
      expect(result.code, `${describeCalls(inferenceCalls(stack))}\n${result.stderr}\n${result.stdout}`).toBe(0);
      const events = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as OpencodeEvent);
      expect(events.some((event) => event.type === 'error')).toBe(false);
      const toolUse = events.find((event) => event.type === 'tool_use');
      expect(toolUse?.part?.tool).toBe('read');
      expect(toolUse?.part?.state?.status).toBe('completed');
      const text = events.filter((event) => event.type === 'text').map((event) => event.part?.text ?? '').join('');
      expect(text).toContain(task.token);
      expect(events.filter((event) => event.type === 'step_finish').at(-1)?.part?.reason).toBe('stop');

      // The tool turn, the answer turn, and opencode's one tool-less call that titles the session.
      const calls = inferenceCalls(stack);
      expect(calls.length, describeCalls(calls)).toBe(3);
      expect(calls.every((call) => call.status === 200 && call.streamed)).toBe(true);
      expect(calls.filter((call) => !offeredTools(call))).toHaveLength(1);
      expect(result.elapsedMs).toBeLessThan(AGENT_TIMEOUT_MS / 2);
    } finally {
      task.box.remove();
    }
  });
});
