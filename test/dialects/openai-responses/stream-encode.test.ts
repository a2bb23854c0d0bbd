import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { openaiResponsesInbound, openaiResponsesUpstream } from '../../../src/dialects/openai-responses/codec.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import { readSignature } from '../../../src/ir/signatures.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { context, decodeSseBytes, encodeAll, fixture, irRequest, openAiClientAnswering, sseEvents } from './helpers.js';
import { expectStrictResponsesStream } from './responses-assertions.js';

const USAGE = { inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheWriteTokens: 5, reasoningTokens: 7 };

function encode(events: IrStreamEvent[]): string {
  return encodeAll(openaiResponsesInbound.createStreamEncoder(irRequest(), context()), events);
}

async function finalResponse(sse: string) {
  return openAiClientAnswering(sse).responses.stream({ model: 'gpt-5.4', input: 'hi' }).finalResponse();
}

/** Claude-style answer: signed thinking, text, a Gemini-signed call (as another decoder would hand them over). */
const MIXED: IrStreamEvent[] = [
  { type: 'start', id: 'msg_01AbC', model: 'databricks-claude-sonnet-4-6' },
  { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'anthropic' } },
  { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'Let me ' } },
  { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'think.' } },
  { type: 'delta', index: 0, delta: { type: 'signature', signature: 'EqQBCkgIARABGAIiQ' } },
  { type: 'block_stop', index: 0 },
  { type: 'block_start', index: 1, block: { type: 'text' } },
  { type: 'delta', index: 1, delta: { type: 'text', text: 'Checking ' } },
  { type: 'delta', index: 1, delta: { type: 'text', text: 'the file.' } },
  { type: 'block_stop', index: 1 },
  { type: 'block_start', index: 2, block: { type: 'tool_call', id: 'toolu_01X', name: 'read_file', signature: { provider: 'gemini', value: 'CiQB0e2Kb' } } },
  { type: 'delta', index: 2, delta: { type: 'tool_args', json: '{"path":' } },
  { type: 'delta', index: 2, delta: { type: 'tool_args', json: '"a.ts"}' } },
  { type: 'block_stop', index: 2 },
  { type: 'usage', usage: USAGE },
  { type: 'finish', stopReason: 'tool_use' },
];

describe('openai-responses stream encoder', () => {
  it('writes a stream the OpenAI SDK finalises, with every strict-client guarantee', async () => {
    const sse = encode(MIXED);
    const events = expectStrictResponsesStream(sse);
    const response = await finalResponse(sse);
    expect(response.status).toBe('completed');
    expect(response.model).toBe('gpt-5.4');
    expect(response.id).toBe('resp_msg_01AbC');
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output_text).toBe('Checking the file.');
    const [reasoning, , call] = response.output;
    if (reasoning?.type !== 'reasoning' || call?.type !== 'function_call') throw new Error('unexpected output');
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: 'Let me think.' }]);
    // An Anthropic signature shown through Responses is tagged with its provider.
    expect(readSignature(reasoning.encrypted_content ?? '', 'openai')).toEqual({ provider: 'anthropic', value: 'EqQBCkgIARABGAIiQ' });
    expect(call.call_id).toBe('toolu_01X');
    expect(call.arguments).toBe('{"path":"a.ts"}');
    expect(response.usage).toEqual({
      input_tokens: 45,
      input_tokens_details: { cached_tokens: 30, cache_write_tokens: 5 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 7 },
      total_tokens: 65,
    });
    // Order within items: content_part.added before the first text delta; a summary part before the first summary delta.
    const types = events.map(({ data }) => data.type);
    expect(types.indexOf('response.content_part.added')).toBeLessThan(types.indexOf('response.output_text.delta'));
    expect(types.indexOf('response.reasoning_summary_part.added')).toBeLessThan(types.indexOf('response.reasoning_summary_text.delta'));
    expect(events.find(({ data }) => data.type === 'response.output_text.delta')?.data.logprobs).toEqual([]);
    expect(events.find(({ data }) => data.type === 'response.function_call_arguments.done')?.data).toMatchObject({ name: 'read_file', arguments: '{"path":"a.ts"}' });
  });

  it('keeps OpenAI encrypted content as is and gives encrypted-only reasoning an empty summary', async () => {
    const sse = encode([
      { type: 'start', id: 'resp_1', model: 'm' },
      { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'openai', id: 'rs_upstream' } },
      { type: 'delta', index: 0, delta: { type: 'signature', signature: 'gAAAAB_enc' } },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
    const events = expectStrictResponsesStream(sse);
    expect(events.some(({ data }) => String(data.type).startsWith('response.reasoning_summary'))).toBe(false);
    const response = await finalResponse(sse);
    expect(response.output).toEqual([{ type: 'reasoning', id: expect.stringMatching(/^rs_/), summary: [], encrypted_content: 'gAAAAB_enc' }]);
  });

  it('carries redacted thinking as tagged, marked encrypted content that reads back as redacted', () => {
    const sse = encode([
      { type: 'start', id: 'msg_2', model: 'm' },
      { type: 'block_start', index: 0, block: { type: 'redacted_reasoning', data: 'EmwKAhgB', provider: 'anthropic' } },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
    const events = expectStrictResponsesStream(sse);
    const item = events.at(-1)?.data.response as { output: { encrypted_content: string }[] };
    const decoded = openaiResponsesInbound.decodeRequest(
      { input: [{ type: 'reasoning', id: 'rs_x', summary: [], encrypted_content: item.output[0]?.encrypted_content }, { role: 'user', content: 'go on' }] },
      context(),
    );
    expect(decoded.messages[0]).toEqual({ role: 'assistant', parts: [{ type: 'reasoning', text: '', redacted: 'EmwKAhgB', provider: 'anthropic', id: 'rs_x' }] });
  });

  it('ends a max_tokens answer with response.incomplete (max_output_tokens) and a refusal with content_filter', async () => {
    for (const [stopReason, reason] of [
      ['max_tokens', 'max_output_tokens'],
      ['refusal', 'content_filter'],
    ] as const) {
      const sse = encode([
        { type: 'start', id: 'x', model: 'm' },
        { type: 'block_start', index: 0, block: { type: 'text' } },
        { type: 'delta', index: 0, delta: { type: 'text', text: 'partial' } },
        { type: 'block_stop', index: 0 },
        { type: 'usage', usage: USAGE },
        { type: 'finish', stopReason },
      ]);
      const events = expectStrictResponsesStream(sse);
      expect(events.at(-1)?.data.type).toBe('response.incomplete');
      const response = await finalResponse(sse);
      expect(response.status).toBe('incomplete');
      expect(response.incomplete_details).toEqual({ reason });
    }
  });

  it('on an IR error closes nothing more: the nested error event, then response.failed with the output so far', async () => {
    const sse = encode([
      { type: 'start', id: 'resp_err', model: 'm' },
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'done part' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'tool_call', id: 'call_1', name: 'f' } },
      { type: 'delta', index: 1, delta: { type: 'tool_args', json: '{"a":' } },
      { type: 'error', error: new ProxyError('overloaded', 'The model is overloaded') },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
    const events = expectStrictResponsesStream(sse);
    const [error, failed] = events.slice(-2).map(({ data }) => data);
    expect(error).toEqual({
      type: 'error',
      error: { type: 'server_error', code: 'overloaded', message: 'The model is overloaded', param: null },
      sequence_number: events.length - 2,
    });
    expect(failed).toMatchObject({ type: 'response.failed', response: { id: 'resp_err', status: 'failed', error: { code: 'overloaded', message: 'The model is overloaded' } } });
    expect((failed?.response as { output: unknown[] }).output).toHaveLength(1);
    expect(events.some(({ data }) => data.type === 'response.function_call_arguments.done')).toBe(false);
    await expect(finalResponse(sse)).rejects.toBeInstanceOf(APIError);
  });

  it('opens the response itself when given no start, and writes nothing after the terminal event', () => {
    const encoder = openaiResponsesInbound.createStreamEncoder(irRequest(), context());
    const sse = encodeAll(encoder, [{ type: 'error', error: new ProxyError('timeout', 'Upstream timed out') }]);
    expect(sseEvents(sse).map(({ data }) => data.type)).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed']);
    expectStrictResponsesStream(sse);
    expect(encoder.encode({ type: 'finish', stopReason: 'end_turn' })).toBe('');
  });

  it('gives a call without arguments "{}", sent as a delta so that done equals the deltas', async () => {
    const sse = encode([
      { type: 'start', id: 'r', model: 'm' },
      { type: 'block_start', index: 0, block: { type: 'tool_call', id: 'call_now', name: 'now' } },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'tool_use' },
    ]);
    expectStrictResponsesStream(sse);
    const response = await finalResponse(sse);
    expect(response.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_now', name: 'now', arguments: '{}', status: 'completed' });
  });

  it('closes blocks left open at finish, and makes each text block its own message item', async () => {
    const sse = encode([
      { type: 'start', id: 'r2', model: 'm' },
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'one' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'text' } },
      { type: 'delta', index: 1, delta: { type: 'text', text: 'two' } },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
    expectStrictResponsesStream(sse);
    const response = await finalResponse(sse);
    expect(response.output.map((item) => item.type)).toEqual(['message', 'message']);
    expect(response.output_text).toBe('onetwo');
  });

  it('ends an answer the model stopped with an error as response.failed, and shows no item for reasoning nothing can carry', async () => {
    const sse = encode([
      { type: 'start', id: 'r3', model: 'm' },
      { type: 'block_start', index: 0, block: { type: 'redacted_reasoning', data: 'opaque' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'text' } },
      { type: 'delta', index: 1, delta: { type: 'text', text: 'Half' } },
      { type: 'block_stop', index: 1 },
      { type: 'finish', stopReason: 'error' },
    ]);
    const events = expectStrictResponsesStream(sse);
    expect(events.filter(({ data }) => data.type === 'response.output_item.added')).toHaveLength(1);
    expect(events.at(-1)?.data).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'upstream' } } });
    const response = await finalResponse(sse);
    expect(response.status).toBe('failed');
    expect(response.output_text).toBe('Half');
  });

  it('passes a decoded Databricks stream to the SDK intact (decoder → encoder)', async () => {
    const decoder = openaiResponsesUpstream.createStreamDecoder(irRequest(), context());
    const ir = decodeSseBytes(decoder, new TextEncoder().encode(fixture('reasoning-then-call.sse')));
    const sse = encode(ir);
    expectStrictResponsesStream(sse);
    const response = await finalResponse(sse);
    expect(response.output[0]).toMatchObject({
      type: 'reasoning',
      encrypted_content: 'gAAAAABfinalEncryptedContentDoneStage0002==',
      summary: [{ type: 'summary_text', text: '**Weighing the request**\n\nThe user wants the café’s opening hours.\n\nI should call the lookup tool — 🕘 first.' }],
    });
    expect(response.output[1]).toMatchObject({ type: 'function_call', call_id: 'call_Hours01', arguments: '{"place":"Café Müller","day":"mon"}' });
  });
});
