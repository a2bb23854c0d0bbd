import { readFileSync } from 'node:fs';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { jsonSchema, stepCountIs, streamText, tool, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { describeCalls, inferenceCalls, tokenTask } from './helpers/token-task.js';

/**
 * The Vercel AI SDK (what opencode is built on), in this process: streamText
 * with a `read_file` tool whose execute reads the token file, over several
 * steps, through each adapter on a Claude, a GPT and a Gemini model.
 */
const ADAPTERS: Record<string, (baseURL: string, model: string) => LanguageModel> = {
  'openai-compatible (chat)': (baseURL, model) => createOpenAICompatible({ name: 'dbx', baseURL, apiKey: 'local' }).chatModel(model),
  'openai (responses)': (baseURL, model) => createOpenAI({ baseURL, apiKey: 'local' }).responses(model),
  'anthropic (messages)': (baseURL, model) => createAnthropic({ baseURL, apiKey: 'local' })(model),
};
const MODELS = ['databricks-claude-sonnet-4-6', 'databricks-gpt-5-2', 'databricks-gemini-3-pro'];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const cases = Object.keys(ADAPTERS).flatMap((adapter) => MODELS.map((model) => [adapter, model] as const));

describe.each(cases)('AI SDK %s on %s', (adapter, model) => {
  test('streamText calls read_file, then answers with the token', async () => {
    stack.emulator.clearTranscript();
    const task = tokenTask();
    try {
      const readFile = tool({
        description: 'Read a text file',
        inputSchema: jsonSchema<{ path: string }>({ type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }),
        execute: async ({ path }) => readFileSync(path, 'utf8'),
      });
      const result = streamText({
        model: ADAPTERS[adapter]!(stack.openaiBaseUrl, model),
        prompt: task.prompt,
        tools: { read_file: readFile },
        stopWhen: stepCountIs(3),
      });
      const text = await result.text;
      const steps = await result.steps;
      expect(steps).toHaveLength(2);
      expect(steps[0]?.toolCalls.map((call) => call.toolName)).toEqual(['read_file']);
      expect(steps[0]?.finishReason).toBe('tool-calls');
      expect(steps[1]?.finishReason).toBe('stop');
      expect(text).toContain(task.token);
      const calls = inferenceCalls(stack);
      expect(calls.length, describeCalls(calls)).toBe(2);
      expect(calls.every((call) => call.status === 200 && call.streamed)).toBe(true);
    } finally {
      task.box.remove();
    }
  });
});
