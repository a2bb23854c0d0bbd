import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { lastFrames, outcome, recordingFetch, stackWith, variants, type RawFrame } from './support.js';

/**
 * anthropic-stream, against `anthropic-duplicate-message-start`,
 * `anthropic-spliced-message-start` and `anthropic-no-message-stop`.
 */
const MODEL = 'databricks-claude-sonnet-4-6';
const TOOLS: Anthropic.Tool[] = [{ name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }];
const typeOf = (frame: RawFrame) => frame.json?.type;

/** Block indexes are contiguous from 0 and each block runs start → deltas → stop (wire-formats §6.5). */
function blocksWellFormed(frames: RawFrame[]): boolean {
  let next = 0;
  let open: number | undefined;
  for (const { json } of frames) {
    const index = json?.index;
    if (json?.type === 'content_block_start') {
      if (open !== undefined || index !== next) return false;
      open = next++;
    } else if (json?.type === 'content_block_delta' && index !== open) return false;
    else if (json?.type === 'content_block_stop') {
      if (index !== open) return false;
      open = undefined;
    }
  }
  return open === undefined;
}

describe.each(variants('anthropic-stream'))('$name', (variant) => {
  let stack: Stack;
  let anthropic: Anthropic;
  const recorder = recordingFetch();

  beforeAll(async () => {
    stack = await stackWith([], variant);
    anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0, fetch: recorder.fetch });
  });
  afterAll(() => stack.close());

  const ask = (content: string, tools?: Anthropic.Tool[]) =>
    outcome(() => anthropic.messages.stream({ model: MODEL, max_tokens: 512, messages: [{ role: 'user', content }], ...(tools ? { tools } : {}) }).finalMessage());

  it('a duplicate message_start: one message', async () => {
    stack.emulator.setQuirks(['anthropic-duplicate-message-start']);
    const run = await ask('hello twice');
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/Unexpected event order, got message_start/);
      return;
    }
    expect(run.value?.content).toEqual([expect.objectContaining({ type: 'text', text: 'You said: hello twice' })]);
    expect((await lastFrames(recorder)).filter((frame) => typeOf(frame) === 'message_start')).toHaveLength(1);
  });

  it('a spliced message_start inside a text block: one message, the restarted answer after what was already sent', async () => {
    stack.emulator.setQuirks(['anthropic-spliced-message-start']);
    const run = await ask('hello spliced');
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/Unexpected event order, got message_start/);
      return;
    }
    const frames = await lastFrames(recorder);
    const texts = run.value?.content.map((block) => (block.type === 'text' ? block.text : block.type)) ?? [];
    expect(texts.at(-1)).toBe('You said: hello spliced');
    expect(texts).toHaveLength(2);
    expect('You said: hello spliced'.startsWith(String(texts[0]))).toBe(true);
    expect(run.value?.stop_reason).toBe('end_turn');
    expect(frames.filter((frame) => typeOf(frame) === 'message_start')).toHaveLength(1);
    expect(blocksWellFormed(frames)).toBe(true);
  });

  it('a spliced message_start inside a tool call: an error, never a tool_use with cut arguments', async () => {
    stack.emulator.setQuirks(['anthropic-spliced-message-start']);
    const run = await ask('read /tmp/a.txt', TOOLS);
    expect(run.error).toBeDefined();
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/Unexpected event order, got message_start/);
      return;
    }
    expect(run.error).toBeInstanceOf(Anthropic.APIError);
    expect(run.error?.message).toMatch(/restarted its answer/);
    const frames = await lastFrames(recorder);
    expect(frames.slice(-2).map(typeOf)).toEqual(['error', 'message_stop']);
    expect(frames.filter((frame) => typeOf(frame) === 'content_block_stop' && frame.json?.index === 0)).toHaveLength(0);
  });

  it('no message_stop after a complete message_delta: a successful answer ending with message_stop', async () => {
    stack.emulator.setQuirks(['anthropic-no-message-stop']);
    const run = await ask('hello stop');
    const frames = await lastFrames(recorder);
    expect(typeOf(frames.at(-1) as RawFrame)).toBe('message_stop');
    if (variant.repaired) {
      expect(run.value?.stop_reason).toBe('end_turn');
      expect(frames.some((frame) => typeOf(frame) === 'error')).toBe(false);
    } else {
      // The proxy's stream tracker ends it as a failure: an error event first.
      expect(run.error).toBeInstanceOf(Anthropic.APIError);
      expect(frames.at(-2)?.json?.type).toBe('error');
    }
  });

  it('translated (OpenAI chat client → Anthropic upstream): a duplicate message_start still gives one answer', async () => {
    stack.emulator.setQuirks(['anthropic-duplicate-message-start', 'anthropic-no-message-stop']);
    const openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    const run = await outcome(() => openai.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'hello translated' }] }).finalChatCompletion());
    // The Messages stream decoder skips a repeated message_start and accepts a
    // complete answer without message_stop on its own: this holds with the
    // repair disabled too.
    expect(run.value?.choices[0]?.message.content).toBe('You said: hello translated');
    expect(run.value?.choices[0]?.finish_reason).toBe('stop');
  });
});
