import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { lastFrames, outcome, recordingFetch, stackWith, variants } from './support.js';

/**
 * item-id-drift, against the AI Gateway stream as captured in
 * databricks/unity-gateway #99: `responses-item-id-drift` (added/done carry a
 * 54-character id, content events a 192-character one) together with
 * `responses-long-ids` (the 193-character response id of the same capture).
 */
const MODEL = 'databricks-gpt-5-2';

describe.each(variants('item-id-drift'))('$name', (variant) => {
  let stack: Stack;
  let openai: OpenAI;
  const recorder = recordingFetch();

  beforeAll(async () => {
    stack = await stackWith(['responses-long-ids', 'responses-item-id-drift'], variant);
    openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0, fetch: recorder.fetch });
  });
  afterAll(() => stack.close());

  it('passthrough: the openai SDK accepts the stream, every content event naming the item output_item.added announced', async () => {
    const run = await outcome(() => openai.responses.stream({ model: MODEL, input: 'hello drift' }).finalResponse());
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/expected item_id/);
      return;
    }
    expect(run.value?.output_text).toContain('hello drift');
    const frames = await lastFrames(recorder);
    const added = frames.find((frame) => frame.json?.type === 'response.output_item.added')?.json?.item as { id: string };
    const content = frames.filter((frame) => /^response\.(content_part|output_text)\./.test(String(frame.json?.type)));
    expect(content.length).toBeGreaterThan(2);
    expect(new Set(content.map((frame) => frame.json?.item_id))).toEqual(new Set([added.id]));
  });

  it('translated (Anthropic client → Responses upstream): the text arrives whole', async () => {
    // The Responses stream decoder realigns rotating ids on its own too, so
    // this one holds with the repair disabled as well.
    const anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: MODEL, max_tokens: 512, messages: [{ role: 'user', content: 'hello translated drift' }] }).finalMessage();
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining('hello translated drift') })]);
  });
});
