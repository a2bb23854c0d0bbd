import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { openaiChatInbound } from '../../../src/dialects/openai-chat/codec.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { expectChatStreamContract } from './chunk-assertions.js';
import { context, encodeAll, irRequest, openAiClientAnswering, payloads } from './helpers.js';

const USAGE = { inputTokens: 10, outputTokens: 30, cacheReadTokens: 100, cacheWriteTokens: 5, reasoningTokens: 12 };

/** Signed Claude reasoning, text, and two parallel calls, the second carrying a Gemini signature. */
const RICH: IrStreamEvent[] = [
  { type: 'start', id: 'msg_01XYZ', model: 'databricks-claude-sonnet-4-6' },
  { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'anthropic' } },
  { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'Think ' } },
  { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'hard.' } },
  { type: 'delta', index: 0, delta: { type: 'signature', signature: 'sig-A' } },
  { type: 'block_stop', index: 0 },
  { type: 'block_start', index: 1, block: { type: 'text' } },
  { type: 'delta', index: 1, delta: { type: 'text', text: 'Checking ' } },
  { type: 'delta', index: 1, delta: { type: 'text', text: 'both.' } },
  { type: 'block_stop', index: 1 },
  { type: 'block_start', index: 2, block: { type: 'tool_call', id: 'toolu_1', name: 'read' } },
  { type: 'delta', index: 2, delta: { type: 'tool_args', json: '{"path":' } },
  { type: 'delta', index: 2, delta: { type: 'tool_args', json: '"a"}' } },
  { type: 'block_stop', index: 2 },
  { type: 'block_start', index: 3, block: { type: 'tool_call', id: 'fc_2', name: 'list', signature: { provider: 'gemini', value: 'g-sig' } } },
  { type: 'delta', index: 3, delta: { type: 'tool_args', json: '{}' } },
  { type: 'block_stop', index: 3 },
  { type: 'usage', usage: USAGE },
  { type: 'finish', stopReason: 'tool_use' },
];

function encode(events: readonly IrStreamEvent[], includeUsage: boolean): string {
  const encoder = openaiChatInbound.createStreamEncoder(irRequest({ includeUsage }), context({ clientModel: 'my-model' }));
  return encodeAll(encoder, events);
}

async function finalCompletion(sse: string) {
  const client = openAiClientAnswering(sse, 'text/event-stream');
  return client.chat.completions.stream({ model: 'my-model', messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion();
}

describe('openai-chat stream encoder', () => {
  it('writes a stream the OpenAI SDK finalises, with reasoning kept out of content', async () => {
    const sse = encode(RICH, true);
    const completion = await finalCompletion(sse);
    const choice = completion.choices[0];
    expect(completion.id).toBe('chatcmpl-msg_01XYZ');
    expect(completion.model).toBe('my-model');
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Checking both.');
    expect(choice?.message.tool_calls?.map((call) => call.type === 'function' && [call.function.name, call.function.arguments])).toEqual([
      ['read', '{"path":"a"}'],
      ['list', '{}'],
    ]);
    expect(completion.usage).toEqual({
      prompt_tokens: 115,
      completion_tokens: 30,
      total_tokens: 145,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 5 },
      completion_tokens_details: { reasoning_tokens: 12 },
    });
  });

  it('keeps the chat stream contract the SDK does not check', () => {
    expectChatStreamContract(encode(RICH, true), { model: 'my-model', includeUsage: true });
    expectChatStreamContract(encode(RICH, false), { model: 'my-model', includeUsage: false });
  });

  it('streams reasoning as reasoning_content and repeats the signed block once, at its end, in thinking_blocks', () => {
    const deltas = (payloads(encode(RICH, false)).slice(0, -1) as { choices: { delta: Record<string, unknown> }[] }[]).map((chunk) => chunk.choices[0]?.delta ?? {});
    expect(deltas.flatMap((delta) => (delta.reasoning_content === undefined ? [] : [delta.reasoning_content]))).toEqual(['Think ', 'hard.']);
    const blocks = deltas.flatMap((delta, at) => (delta.thinking_blocks === undefined ? [] : [{ at, blocks: delta.thinking_blocks }]));
    expect(blocks).toEqual([{ at: 3, blocks: [{ type: 'thinking', thinking: 'Think hard.', signature: 'sig-A' }] }]);
    expect(deltas.some((delta) => typeof delta.content === 'string' && delta.content.includes('Think'))).toBe(false);
  });

  it('numbers tool calls 0, 1, … with the calls\' own ids', () => {
    const calls = (payloads(encode(RICH, false)).slice(0, -1) as { choices: { delta: { tool_calls?: { index: number; id?: string }[] } }[] }[])
      .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
      .filter((call) => call.id !== undefined);
    expect(calls.map((call) => call.index)).toEqual([0, 1]);
    expect(calls[0]?.id).toBe('toolu_1');
    expect(calls[1]?.id).toBe('fc_2');
  });

  it('tags a non-Anthropic signature and passes redacted reasoning as a redacted_thinking block', () => {
    const sse = encode(
      [
        { type: 'start', id: 'resp_1', model: 'm' },
        { type: 'block_start', index: 0, block: { type: 'redacted_reasoning', data: 'opaque', provider: 'anthropic' } },
        { type: 'block_stop', index: 0 },
        { type: 'block_start', index: 1, block: { type: 'reasoning', provider: 'openai' } },
        { type: 'delta', index: 1, delta: { type: 'signature', signature: 'enc' } },
        { type: 'block_stop', index: 1 },
        { type: 'finish', stopReason: 'end_turn' },
      ],
      false,
    );
    const blocks = (payloads(sse).slice(0, -1) as { choices: { delta: { thinking_blocks?: unknown[] } }[] }[]).flatMap(
      (chunk) => chunk.choices[0]?.delta.thinking_blocks ?? [],
    );
    expect(blocks).toEqual([
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'thinking', thinking: '', signature: 'dbxsig.openai.enc' },
    ]);
  });

  it('still sends the usage chunk when the client asked for it and no usage came', () => {
    const chunks = expectChatStreamContract(encode([{ type: 'start', id: 'x', model: 'm' }, { type: 'finish', stopReason: 'max_tokens' }], true), {
      model: 'my-model',
      includeUsage: true,
    });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('length');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('ends a failed stream with one error frame that the SDK raises, and writes nothing after it', async () => {
    const error = new ProxyError('overloaded', 'Databricks is busy', { upstreamCode: 'TEMPORARILY_UNAVAILABLE' });
    const sse = encode(
      [
        { type: 'start', id: 'x', model: 'm' },
        { type: 'block_start', index: 0, block: { type: 'text' } },
        { type: 'delta', index: 0, delta: { type: 'text', text: 'Part' } },
        { type: 'error', error },
        { type: 'finish', stopReason: 'end_turn' },
      ],
      true,
    );
    const all = payloads(sse);
    expect(all.at(-1)).toEqual({ error: { message: 'Databricks is busy', type: 'server_error', param: null, code: 'TEMPORARILY_UNAVAILABLE' } });
    expect(all).not.toContain('[DONE]');
    const failure = await finalCompletion(sse).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain('Databricks is busy');
  });

  it('sends an error that comes first as the only frame', () => {
    const sse = encode([{ type: 'error', error: new ProxyError('upstream', 'boom') }], false);
    expect(payloads(sse)).toEqual([{ error: { message: 'boom', type: 'server_error', param: null, code: 'upstream' } }]);
  });

  it('writes nothing after [DONE]', () => {
    const encoder = openaiChatInbound.createStreamEncoder(irRequest(), context());
    encodeAll(encoder, [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
    expect(encoder.encode({ type: 'error', error: new ProxyError('upstream', 'late') })).toBe('');
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['error', 'stop'],
  ] as const)('maps stop reason %s to finish_reason %s', (stopReason, finishReason) => {
    const chunks = payloads(encode([{ type: 'start', id: 'x', model: 'm' }, { type: 'finish', stopReason }], false)) as { choices: { finish_reason: string | null }[] }[];
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe(finishReason);
  });
});
