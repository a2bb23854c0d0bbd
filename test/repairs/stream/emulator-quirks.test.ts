import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { emulatorText, parseSse, type RawFrame } from './support.js';

/**
 * The stream quirks reproduce the documented shapes (lengths included), so
 * the repair tests run against the defect as Databricks shows it.
 */
const QUIRKS_HEADER = 'x-dbx-emulator-quirks';
const TOOLS = [{ type: 'function', name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const typeOf = (frame: RawFrame) => frame.json?.type;

async function responses(quirks: string, body: Record<string, unknown> = {}): Promise<RawFrame[]> {
  const request = { model: 'databricks-gpt-5-2', input: 'hello there', stream: true, ...body };
  return parseSse(await emulatorText(emulator.url, '/serving-endpoints/responses', request, quirks ? { [QUIRKS_HEADER]: quirks } : {}));
}

async function chat(quirks: string): Promise<RawFrame[]> {
  const request = { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'hello there' }], stream: true };
  return parseSse(await emulatorText(emulator.url, '/serving-endpoints/chat/completions', request, { [QUIRKS_HEADER]: quirks }));
}

async function messages(quirks: string, body: Record<string, unknown> = {}): Promise<RawFrame[]> {
  const request = { model: 'databricks-claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'hello there' }], stream: true, ...body };
  return parseSse(
    await emulatorText(emulator.url, '/serving-endpoints/anthropic/v1/messages', request, { [QUIRKS_HEADER]: quirks, 'anthropic-version': '2023-06-01' }),
  );
}

describe('Responses quirks', () => {
  it('responses-long-ids: a 193-character response id, 192-character message ids sharing its stem, a 53-character reasoning id', async () => {
    const frames = await responses('responses-long-ids', { reasoning: { effort: 'low', summary: 'auto' } });
    const created = frames.find((frame) => typeOf(frame) === 'response.created')?.json?.response as { id: string };
    expect(created.id).toHaveLength(193);
    const items = frames.filter((frame) => typeOf(frame) === 'response.output_item.added').map((frame) => frame.json?.item as { id: string; type: string });
    const message = items.find((item) => item.type === 'message');
    const reasoning = items.find((item) => item.type === 'reasoning');
    expect(message?.id).toHaveLength(192);
    expect(reasoning?.id).toHaveLength(53);
    expect(created.id.slice('resp_'.length, 40)).toBe(message?.id.slice('msg_'.length, 39));
    const deltas = frames.filter((frame) => typeOf(frame) === 'response.output_text.delta');
    expect(deltas.every((frame) => frame.json?.item_id === message?.id)).toBe(true);
  });

  it('responses-long-ids: two calls of one response collide when cut to 64 characters', async () => {
    const frames = await responses('responses-long-ids', { input: 'read a.txt and b.txt in parallel', tools: TOOLS });
    const calls = frames.filter((frame) => typeOf(frame) === 'response.output_item.added').map((frame) => (frame.json?.item as { id: string }).id);
    expect(calls).toHaveLength(2);
    expect(calls[0]).not.toBe(calls[1]);
    expect(calls[0]?.slice(0, 64)).toBe(calls[1]?.slice(0, 64));
  });

  it('responses-item-id-drift: added/done carry a 54-character id, content events a 192-character one with another prefix', async () => {
    const frames = await responses('responses-item-id-drift');
    const added = (frames.find((frame) => typeOf(frame) === 'response.output_item.added')?.json?.item as { id: string }).id;
    const done = (frames.find((frame) => typeOf(frame) === 'response.output_item.done')?.json?.item as { id: string }).id;
    const content = frames.filter((frame) => /^response\.(content_part|output_text)\./.test(String(typeOf(frame))));
    expect(added).toHaveLength(54);
    expect(added).toMatch(/^msg_00/);
    expect(done).toBe(added);
    expect(content.length).toBeGreaterThan(2);
    for (const frame of content) {
      expect(frame.json?.item_id).toHaveLength(192);
      expect(frame.json?.item_id).toMatch(/^msg_01/);
    }
  });

  it('function-call quirks remove or repeat the documented events', async () => {
    const count = (frames: RawFrame[], type: string) => frames.filter((frame) => typeOf(frame) === type).length;
    const body = { input: 'read notes.txt', tools: TOOLS };
    const noAdded = await responses('responses-function-call-no-added', body);
    expect(count(noAdded, 'response.output_item.added')).toBe(0);
    expect(count(noAdded, 'response.function_call_arguments.delta')).toBeGreaterThan(0);
    const atDone = await responses('responses-function-call-arguments-at-done', body);
    expect(count(atDone, 'response.function_call_arguments.delta')).toBe(0);
    expect(count(atDone, 'response.function_call_arguments.done')).toBe(1);
    const doneOnly = await responses('responses-function-call-done-only', body);
    expect(doneOnly.map(typeOf).filter((type) => String(type).includes('function_call') || String(type).startsWith('response.output_item'))).toEqual([
      'response.output_item.done',
    ]);
    const repeated = await responses('responses-function-call-repeated', body);
    const done = repeated.filter((frame) => typeOf(frame) === 'response.output_item.done').map((frame) => frame.json?.item as { call_id: string });
    expect(done).toHaveLength(2);
    expect(done[0]?.call_id).toBe(done[1]?.call_id);
    expect(typeOf(repeated.at(-1) as RawFrame)).toBe('response.completed');
    // Renumbered like a real stream: 0, 1, 2, ...
    expect(repeated.map((frame) => frame.json?.sequence_number)).toEqual(repeated.map((_, index) => index));
  });

  it('terminal quirks: empty final output, usage without total_tokens, no terminal event', async () => {
    const bare = await responses('responses-completed-empty-output,responses-usage-without-total-tokens');
    const completed = bare.at(-1)?.json?.response as { output: unknown[]; usage: Record<string, unknown> };
    expect(completed.output).toEqual([]);
    expect(completed.usage.total_tokens).toBeUndefined();
    expect(completed.usage.input_tokens).toBeGreaterThan(0);
    const cut = await responses('responses-no-terminal-event');
    expect(typeOf(cut.at(-1) as RawFrame)).toBe('response.output_item.done');
  });
});

describe('chat quirks', () => {
  it('minimal chunks have no id, object, created or choice index', async () => {
    const chunks = (await chat('chat-minimal-chunks')).filter((frame) => frame.json);
    for (const { json } of chunks) {
      expect(json).not.toHaveProperty('id');
      expect(json).not.toHaveProperty('object');
      expect(json).not.toHaveProperty('created');
      expect((json?.choices as Record<string, unknown>[])[0]).not.toHaveProperty('index');
    }
  });

  it('list content, usage after finish and no [DONE]', async () => {
    const frames = await chat('chat-list-content,chat-usage-after-finish,chat-no-done');
    expect(frames.some((frame) => frame.data === '[DONE]')).toBe(false);
    const contents = frames.map((frame) => (frame.json?.choices as { delta?: { content?: unknown } }[] | undefined)?.[0]?.delta?.content);
    expect(contents.some((content) => Array.isArray(content) && content[0]?.type === 'text')).toBe(true);
    const finishAt = frames.findIndex((frame) => (frame.json?.choices as { finish_reason?: unknown }[] | undefined)?.[0]?.finish_reason);
    expect(frames[finishAt]?.json?.usage).toBeUndefined();
    expect(frames[finishAt + 1]?.json).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });
});

describe('Messages quirks', () => {
  it('a duplicate message_start, the same message twice', async () => {
    const frames = await messages('anthropic-duplicate-message-start');
    expect(frames.slice(0, 2).map(typeOf)).toEqual(['message_start', 'message_start']);
    expect(frames[0]?.data).toBe(frames[1]?.data);
  });

  it('a spliced message_start: a first attempt cut inside its last block, then another message id', async () => {
    const frames = await messages('anthropic-spliced-message-start');
    const starts = frames.filter((frame) => typeOf(frame) === 'message_start').map((frame) => (frame.json?.message as { id: string }).id);
    expect(starts).toHaveLength(2);
    expect(starts[0]).not.toBe(starts[1]);
    const secondStart = frames.findIndex((frame, index) => index > 0 && typeOf(frame) === 'message_start');
    const firstAttempt = frames.slice(0, secondStart).map(typeOf);
    expect(firstAttempt).toContain('content_block_delta');
    expect(firstAttempt).not.toContain('content_block_stop');
  });

  it('no message_stop after a complete message_delta', async () => {
    const frames = await messages('anthropic-no-message-stop');
    expect(typeOf(frames.at(-1) as RawFrame)).toBe('message_delta');
    expect((frames.at(-1)?.json?.delta as { stop_reason: unknown }).stop_reason).toBe('end_turn');
  });
});
