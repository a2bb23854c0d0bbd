import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { lastFrames, outcome, recordingFetch, stackWith, variants, type RawFrame } from './support.js';

/**
 * tool-call-lifecycle, against the four function-call quirks: no
 * `output_item.added`, arguments only at `.done`, a call only as
 * `output_item.done`, and a call re-emitted with the same call id.
 */
const TOOLS: OpenAI.Responses.FunctionTool[] = [
  { type: 'function', name: 'read_file', strict: false, parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
];
const MODEL = 'databricks-gpt-5-1-codex-max';
const typed = (frames: RawFrame[], type: string) => frames.filter((frame) => frame.json?.type === type);

/** The client-side lifecycle a strict client relies on (clients.md §7): added → deltas → arguments.done → done, once per call. */
function lifecycleOf(frames: RawFrame[]) {
  const events = frames.map((frame) => String(frame.json?.type)).filter((type) => /function_call|output_item/.test(type));
  const deltas = typed(frames, 'response.function_call_arguments.delta').map((frame) => String(frame.json?.delta)).join('');
  const done = typed(frames, 'response.function_call_arguments.done')[0]?.json?.arguments;
  return { events, deltas, done };
}

describe.each(variants('tool-call-lifecycle'))('$name', (variant) => {
  let stack: Stack;
  let openai: OpenAI;
  const recorder = recordingFetch();

  beforeAll(async () => {
    stack = await stackWith([], variant);
    openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0, fetch: recorder.fetch });
  });
  afterAll(() => stack.close());

  const call = (input = 'read notes.txt') => outcome(() => openai.responses.stream({ model: MODEL, input, tools: TOOLS }).finalResponse());

  it('no output_item.added: the call is announced before its deltas', async () => {
    stack.emulator.setQuirks(['responses-function-call-no-added']);
    const run = await call();
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/missing output at index/);
      return;
    }
    const fc = run.value?.output.find((item) => item.type === 'function_call');
    expect(fc).toMatchObject({ name: 'read_file', arguments: JSON.stringify({ path: 'notes.txt' }) });
    const { events, deltas, done } = lifecycleOf(await lastFrames(recorder));
    expect(events[0]).toBe('response.output_item.added');
    expect(events.at(-1)).toBe('response.output_item.done');
    expect(deltas).toBe(done);
  });

  it('arguments only at .done: the missing text goes out as a delta first', async () => {
    stack.emulator.setQuirks(['responses-function-call-arguments-at-done']);
    const run = await call();
    // The openai SDK takes the arguments from `.done` either way; clients that
    // build the input from deltas (wire-formats §7) see the difference.
    expect(run.value?.output.find((item) => item.type === 'function_call')).toMatchObject({ arguments: JSON.stringify({ path: 'notes.txt' }) });
    const { deltas, done } = lifecycleOf(await lastFrames(recorder));
    if (variant.repaired) expect(deltas).toBe(done);
    else expect(deltas).toBe('');
  });

  it('a call only as output_item.done: expanded into the full sequence', async () => {
    stack.emulator.setQuirks(['responses-function-call-done-only']);
    const run = await call();
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/missing output at index/);
      return;
    }
    expect(run.value?.output.filter((item) => item.type === 'function_call')).toHaveLength(1);
    const { events, deltas, done } = lifecycleOf(await lastFrames(recorder));
    expect(events).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
    ]);
    expect(deltas).toBe(done);
    const numbers = (await lastFrames(recorder)).map((frame) => frame.json?.sequence_number);
    expect(numbers).toEqual(numbers.map((_, index) => index));
  });

  it('a re-emitted call: dropped, each call reaches the client once', async () => {
    stack.emulator.setQuirks(['responses-function-call-repeated']);
    const run = await call('read a.txt and b.txt in parallel');
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/duplicate output item identity/i);
      return;
    }
    const calls = run.value?.output.filter((item) => item.type === 'function_call') ?? [];
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((item) => item.type === 'function_call' && item.call_id)).size).toBe(2);
    expect(typed(await lastFrames(recorder), 'response.output_item.added')).toHaveLength(2);
  });

  it('translated (Anthropic client → Responses upstream): a call only as output_item.done becomes one complete tool_use', async () => {
    stack.emulator.setQuirks(['responses-function-call-done-only', 'responses-function-call-repeated']);
    const anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
    const tools: Anthropic.Tool[] = [{ name: 'read_file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }];
    const run = await outcome(() => anthropic.messages.stream({ model: MODEL, max_tokens: 512, tools, messages: [{ role: 'user', content: 'read notes.txt' }] }).finalMessage());
    // The Responses stream decoder also expands whole calls and drops repeats
    // on its own, so this holds with the repair disabled too.
    const uses = run.value?.content.filter((block) => block.type === 'tool_use') ?? [];
    expect(uses).toEqual([expect.objectContaining({ name: 'read_file', input: { path: 'notes.txt' } })]);
    expect(run.value?.stop_reason).toBe('tool_use');
  });
});
