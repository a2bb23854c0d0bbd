import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { lastFrames, outcome, recordingFetch, stackWith, variants } from './support.js';

/**
 * responses-terminal, against `responses-completed-empty-output`,
 * `responses-usage-without-total-tokens` and `responses-no-terminal-event`.
 */
const MODEL = 'databricks-gpt-5-2';

describe.each(variants('responses-terminal'))('$name', (variant) => {
  let stack: Stack;
  let openai: OpenAI;
  const recorder = recordingFetch();

  beforeAll(async () => {
    stack = await stackWith([], variant);
    openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0, fetch: recorder.fetch });
  });
  afterAll(() => stack.close());

  it('response.completed with an empty output: the final output lists the streamed items', async () => {
    stack.emulator.setQuirks(['responses-completed-empty-output']);
    const response = await openai.responses.stream({ model: MODEL, input: 'hello output' }).finalResponse();
    if (variant.repaired) {
      expect(response.output_text).toBe('You said: hello output');
      expect(response.output).toEqual([expect.objectContaining({ type: 'message', status: 'completed' })]);
    } else {
      expect(response.output).toEqual([]);
    }
  });

  it('usage without total_tokens: filled with input + output, streamed and whole', async () => {
    stack.emulator.setQuirks(['responses-usage-without-total-tokens']);
    const streamed = await openai.responses.stream({ model: MODEL, input: 'hello usage' }).finalResponse();
    const whole = await openai.responses.create({ model: MODEL, input: 'hello usage' });
    for (const usage of [streamed.usage, whole.usage]) {
      expect(usage?.input_tokens).toBeGreaterThan(0);
      if (variant.repaired) expect(usage?.total_tokens).toBe((usage?.input_tokens ?? 0) + (usage?.output_tokens ?? 0));
      else expect(usage?.total_tokens).toBeUndefined();
    }
  });

  it('no terminal event after the last item: the client gets response.completed', async () => {
    stack.emulator.setQuirks(['responses-no-terminal-event']);
    const run = await outcome(() => openai.responses.stream({ model: MODEL, input: 'hello end' }).finalResponse());
    const last = (await lastFrames(recorder)).at(-1)?.json;
    if (variant.repaired) {
      expect(run.value?.status).toBe('completed');
      expect(run.value?.output_text).toBe('You said: hello end');
      expect(last).toMatchObject({ type: 'response.completed', response: { status: 'completed' } });
    } else {
      // The proxy's stream tracker ends the cut stream as failed.
      expect(run.error).toBeInstanceOf(OpenAI.APIError);
      expect(last).toMatchObject({ type: 'response.failed' });
    }
  });

  it('translated (Anthropic client → Responses upstream): no terminal event still ends as a complete message', async () => {
    stack.emulator.setQuirks(['responses-no-terminal-event']);
    const anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
    const run = await outcome(() => anthropic.messages.stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'hello translated end' }] }).finalMessage());
    if (variant.repaired) {
      expect(run.value?.stop_reason).toBe('end_turn');
      expect(run.value?.content).toEqual([expect.objectContaining({ type: 'text', text: 'You said: hello translated end' })]);
    } else {
      expect(run.error).toBeInstanceOf(Anthropic.APIError);
    }
  });
});
