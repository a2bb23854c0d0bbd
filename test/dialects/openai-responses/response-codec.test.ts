import { describe, expect, it } from 'vitest';
import { openaiResponsesInbound, openaiResponsesUpstream } from '../../../src/dialects/openai-responses/codec.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrResponse } from '../../../src/ir/response.js';
import { readSignature } from '../../../src/ir/signatures.js';
import { context, irRequest, openAiClientAnswering } from './helpers.js';

const USAGE = { inputTokens: 12, outputTokens: 34, cacheReadTokens: 100, cacheWriteTokens: 0, reasoningTokens: 20 };

const CLAUDE_ANSWER: IrResponse = {
  id: 'msg_01Xyz',
  model: 'databricks-claude-sonnet-4-6',
  content: [
    { type: 'reasoning', text: 'Think.', signature: 'EqQB', provider: 'anthropic' },
    { type: 'reasoning', text: '', redacted: 'EmwK', provider: 'anthropic' },
    { type: 'reasoning', text: '' },
    { type: 'text', text: 'Reading it.' },
    { type: 'tool_call', id: 'toolu_1', name: 'read', arguments: '{"p":1}', signature: { provider: 'gemini', value: 'g-sig' } },
  ],
  stopReason: 'tool_use',
  usage: USAGE,
};

describe('openai-responses non-stream answers', () => {
  it('encodes an IR answer as a Response the OpenAI SDK reads', async () => {
    const body = openaiResponsesInbound.encodeResponse(CLAUDE_ANSWER, irRequest({ parallelToolCalls: false }), context({ clientModel: 'sonnet' }));
    const response = await openAiClientAnswering(JSON.stringify(body), 'application/json').responses.create({ model: 'sonnet', input: 'hi' });
    expect(response).toMatchObject({ id: 'resp_msg_01Xyz', object: 'response', status: 'completed', model: 'sonnet', parallel_tool_calls: false, error: null, incomplete_details: null });
    expect(response.output_text).toBe('Reading it.');
    // Reasoning with nothing to show or carry is no item; every item id is unique.
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'reasoning', 'message', 'function_call']);
    expect(new Set(response.output.map((item) => item.id)).size).toBe(4);
    const [signed, redacted, , call] = response.output;
    if (signed?.type !== 'reasoning' || redacted?.type !== 'reasoning' || call?.type !== 'function_call') throw new Error('unexpected output');
    expect(readSignature(signed.encrypted_content ?? '', 'openai')).toEqual({ provider: 'anthropic', value: 'EqQB' });
    expect(redacted.summary).toEqual([]);
    expect(call.call_id).toBe('toolu_1');
    expect(response.usage).toEqual({
      input_tokens: 112,
      input_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 },
      output_tokens: 34,
      output_tokens_details: { reasoning_tokens: 20 },
      total_tokens: 146,
    });
  });

  it.each([
    ['max_tokens', 'incomplete', { reason: 'max_output_tokens' }, null],
    ['refusal', 'incomplete', { reason: 'content_filter' }, null],
    ['error', 'failed', null, { code: 'upstream', message: expect.any(String) }],
    ['stop_sequence', 'completed', null, null],
  ] as const)('ends a %s answer as status %s', (stopReason, status, incomplete, error) => {
    const body = openaiResponsesInbound.encodeResponse({ ...CLAUDE_ANSWER, content: [{ type: 'text', text: 'x' }], stopReason }, irRequest(), context());
    expect(body).toMatchObject({ status, incomplete_details: incomplete, error });
  });

  it('decodes a Databricks Response: reasoning signed by the family, messages, one call however often listed', () => {
    const body = {
      id: 'resp_01',
      object: 'response',
      status: 'completed',
      model: 'gpt-5-4',
      output: [
        { id: 'rs_1', type: 'reasoning', encrypted_content: 'gAAAA_x', summary: [{ type: 'summary_text', text: 'A' }, { type: 'summary_text', text: 'B' }] },
        { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', phase: 'commentary', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { id: 'ws_1', type: 'web_search_call', status: 'completed' },
        { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'grep', arguments: '' },
        { id: 'fc_2', type: 'function_call', call_id: 'call_1', name: 'grep', arguments: '' },
      ],
      usage: { input_tokens: 7243, input_tokens_details: { cached_tokens: 3072 }, output_tokens: 423, output_tokens_details: { reasoning_tokens: 58 }, total_tokens: 7666 },
    };
    expect(openaiResponsesUpstream.decodeResponse(body, context())).toEqual({
      id: 'resp_01',
      model: 'gpt-5-4',
      content: [
        { type: 'reasoning', text: 'A\n\nB', signature: 'gAAAA_x', provider: 'openai', id: 'rs_1' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_call', id: 'call_1', name: 'grep', arguments: '{}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 4171, outputTokens: 423, cacheReadTokens: 3072, cacheWriteTokens: 0, reasoningTokens: 58 },
    });
  });

  it('reads refusals, incomplete answers, failures and error bodies', () => {
    const decode = (body: unknown) => openaiResponsesUpstream.decodeResponse(body, context());
    const refusal = decode({ id: 'r', status: 'completed', output: [{ type: 'message', content: [{ type: 'refusal', refusal: 'No.' }] }] });
    expect(refusal.content).toEqual([{ type: 'text', text: 'No.' }]);
    expect(refusal.stopReason).toBe('refusal');
    expect(decode({ id: 'r', status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] }).stopReason).toBe('refusal');
    expect(decode({ id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }).stopReason).toBe('max_tokens');
    expect(() => decode({ id: 'r', status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] })).toThrow(expect.objectContaining({ kind: 'upstream', message: 'boom' }));
    expect(() => decode({ error_code: 'BAD_REQUEST', message: '{"message":"input.0: Extra inputs are not permitted"}' })).toThrow(
      expect.objectContaining({ kind: 'invalid_request', message: 'input.0: Extra inputs are not permitted', upstreamCode: 'BAD_REQUEST' }),
    );
    expect(() => decode('nope')).toThrow(ProxyError);
  });

  it('round-trips an OpenAI answer: IR → client Response → read as an upstream Response → the same IR', () => {
    const answer: IrResponse = {
      id: 'resp_abc',
      model: 'gpt-5.4',
      content: [
        { type: 'reasoning', text: 'Plan.', signature: 'gAAAA_enc', provider: 'openai' },
        { type: 'text', text: 'Answer.' },
        { type: 'tool_call', id: 'call_9', name: 'f', arguments: '{"a":1}' },
      ],
      stopReason: 'tool_use',
      usage: USAGE,
    };
    const client = openaiResponsesInbound.encodeResponse(answer, irRequest(), context({ clientModel: 'gpt-5.4' }));
    const back = openaiResponsesUpstream.decodeResponse(client, context());
    const withoutIds = { ...back, content: back.content.map((part) => (part.type === 'reasoning' ? { ...part, id: undefined } : part)) };
    expect(JSON.parse(JSON.stringify(withoutIds))).toEqual(answer);
  });
});
