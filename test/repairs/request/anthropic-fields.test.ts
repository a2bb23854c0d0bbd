import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { anthropic, applyRepair, MODELS, outcome, postToEmulator, startPair, upstreamBody, type Pair } from './support.js';

/**
 * Fields the Databricks Anthropic path refuses, sent the way Claude Code and
 * opencode send them: `tools[].eager_input_streaming`, `context_management`,
 * and blank assistant text next to a tool call. Repair on: the call succeeds
 * and the field is gone upstream; disabled: the 400 reaches the Anthropic SDK.
 */
type ApiError = InstanceType<typeof Anthropic.APIError>;

async function expectRefused(run: () => Promise<unknown>, message: string): Promise<void> {
  const refused = await outcome(run);
  expect(refused.error).toBeInstanceOf(Anthropic.BadRequestError);
  expect((refused.error as ApiError).status).toBe(400);
  expect((refused.error as ApiError).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  expect(refused.error?.message).toContain(message);
}

const readTool = { name: 'Read', description: 'Read a file', input_schema: { type: 'object' as const, properties: { file_path: { type: 'string' } }, required: ['file_path'] } };

describe('eager-input-streaming', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('eager-input-streaming');
  });
  afterAll(() => pair.close());

  it('`@ai-sdk/anthropic`-style tools lose `eager_input_streaming`, streamed', async () => {
    const ask = (stack: Stack) =>
      anthropic(stack)
        .messages.stream({ model: MODELS.claude, max_tokens: 512, messages: [{ role: 'user', content: 'read /tmp/a.txt' }], tools: [{ ...readTool, eager_input_streaming: true }] })
        .finalMessage();
    const done = await ask(pair.on);
    expect(done.stop_reason).toBe('tool_use');
    expect(done.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'Read', input: { file_path: '/tmp/a.txt' } });
    const tools = upstreamBody(pair.on).tools as Record<string, unknown>[];
    expect(tools).toEqual([readTool]);
    await expectRefused(() => ask(pair.off), 'tools.0.eager_input_streaming: Extra inputs are not permitted');
  });
});

describe('context-management', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('context-management');
  });
  afterAll(() => pair.close());

  it("Claude Code's `context_management` (beta messages API) is removed", async () => {
    const ask = (stack: Stack) =>
      anthropic(stack).beta.messages.create({
        model: MODELS.claude,
        max_tokens: 512,
        betas: ['context-management-2025-06-27'],
        context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
        messages: [{ role: 'user', content: 'hello claude' }],
      });
    const done = await ask(pair.on);
    expect(done.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('hello claude') });
    expect(upstreamBody(pair.on)).not.toHaveProperty('context_management');
    await expectRefused(() => ask(pair.off), 'context_management: Extra inputs are not permitted');
  });
});

describe('empty-assistant-text', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('empty-assistant-text');
  });
  afterAll(() => pair.close());

  it('a replayed whitespace-only text block before a tool call is dropped, streamed', async () => {
    const first = await anthropic(pair.on).messages.create({ model: MODELS.claude, max_tokens: 512, tools: [readTool], messages: [{ role: 'user', content: 'read /tmp/a.txt' }] });
    const use = first.content.find((block) => block.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('no tool_use');
    // Claude sometimes streams a blank text block ahead of its tool call; clients replay the turn as they got it.
    const assistant: Anthropic.ContentBlockParam[] = [{ type: 'text', text: '\n\n' }, { type: 'tool_use', id: use.id, name: use.name, input: use.input }];
    const ask = (stack: Stack) =>
      anthropic(stack)
        .messages.stream({
          model: MODELS.claude,
          max_tokens: 512,
          tools: [readTool],
          messages: [
            { role: 'user', content: 'read /tmp/a.txt' },
            { role: 'assistant', content: assistant },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'token-XYZ-42' }] },
          ],
        })
        .finalMessage();
    const done = await ask(pair.on);
    expect(done.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringContaining('token-XYZ-42') });
    const sent = (upstreamBody(pair.on).messages as { role: string; content: unknown }[])[1];
    expect(sent).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: use.id, name: use.name, input: use.input }] });
    await expectRefused(() => ask(pair.off), 'text content blocks must be non-empty');
  });

  it('chat shape (Claude on chat): blank content next to tool_calls becomes null; the emulator accepts it and refuses the original', async () => {
    const body = {
      model: MODELS.claude,
      messages: [
        { role: 'user', content: 'read /tmp/a.txt' },
        { role: 'assistant', content: ' ', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/tmp/a.txt"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'token-XYZ-42' },
      ],
    };
    const { body: repaired } = applyRepair('empty-assistant-text', body, { upstream: 'openai-chat', family: 'claude', endpoint: MODELS.claude });
    expect((repaired.messages as Record<string, unknown>[])[1]?.content).toBeNull();
    const accepted = await postToEmulator(pair.on, '/serving-endpoints/chat/completions', repaired);
    expect(accepted.status).toBe(200);
    expect(JSON.stringify(accepted.json)).toContain('token-XYZ-42');
    const refused = await postToEmulator(pair.on, '/serving-endpoints/chat/completions', body);
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('text content blocks must be non-empty');
  });

  it('keeps non-blank text and turns without tool calls as they are', () => {
    const body = {
      messages: [
        { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 't1', name: 'Read', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ],
    };
    expect(applyRepair('empty-assistant-text', body, { upstream: 'anthropic-messages', family: 'claude', endpoint: MODELS.claude }).body).toEqual(body);
  });
});
