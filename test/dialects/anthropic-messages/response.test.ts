import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { decodeMessagesResponse } from '../../../src/dialects/anthropic-messages/response-decode.js';
import { encodeMessagesResponse } from '../../../src/dialects/anthropic-messages/response-encode.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrResponse } from '../../../src/ir/response.js';
import { CONTEXT } from './helpers.js';

const UPSTREAM_MESSAGE = {
  id: 'msg_01Whole',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [
    { type: 'thinking', thinking: 'Think.', signature: 'EqA-sig' },
    { type: 'redacted_thinking', data: 'opaque==' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
    { type: 'text', text: 'Answer.' },
    { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { path: 'a.ts' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 10, service_tier: 'standard' },
};

describe('Messages response decoder', () => {
  it('decodes a whole Message, skipping server-tool blocks', () => {
    expect(decodeMessagesResponse(UPSTREAM_MESSAGE)).toEqual({
      id: 'msg_01Whole',
      model: 'claude-sonnet-4-6',
      content: [
        { type: 'reasoning', text: 'Think.', signature: 'EqA-sig', provider: 'anthropic' },
        { type: 'reasoning', text: '', redacted: 'opaque==', provider: 'anthropic' },
        { type: 'text', text: 'Answer.' },
        { type: 'tool_call', id: 'toolu_01', name: 'Read', arguments: '{"path":"a.ts"}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 1000, cacheWriteTokens: 10, reasoningTokens: 0 },
    });
  });

  it('keeps the stop sequence and maps model_context_window_exceeded to max_tokens', () => {
    expect(decodeMessagesResponse({ ...UPSTREAM_MESSAGE, stop_reason: 'stop_sequence', stop_sequence: '###' })).toMatchObject({ stopReason: 'stop_sequence', stopSequence: '###' });
    expect(decodeMessagesResponse({ ...UPSTREAM_MESSAGE, stop_reason: 'model_context_window_exceeded' }).stopReason).toBe('max_tokens');
  });

  it('raises an error body as a ProxyError of its kind', () => {
    expect(() => decodeMessagesResponse({ type: 'error', error: { type: 'rate_limit_error', message: 'slow' } })).toThrow(
      expect.objectContaining({ kind: 'rate_limit', message: 'slow' }),
    );
    expect(() => decodeMessagesResponse('nope')).toThrow(ProxyError);
  });
});

describe('Messages response encoder', () => {
  const ir: IrResponse = {
    id: 'resp_abc',
    model: 'gpt-5',
    content: [
      { type: 'reasoning', text: 'summary', signature: 'gAAAA', provider: 'openai' },
      { type: 'reasoning', text: 'unsigned' },
      { type: 'reasoning', text: '' },
      { type: 'reasoning', text: '', redacted: 'enc', provider: 'openai' },
      { type: 'text', text: '' },
      { type: 'text', text: 'Hello' },
      { type: 'tool_call', id: 'call_1', name: 'ls', arguments: '', signature: { provider: 'gemini', value: 'g' } },
    ],
    stopReason: 'error',
    usage: { inputTokens: 3, outputTokens: 4, cacheReadTokens: 5, cacheWriteTokens: 0, reasoningTokens: 2 },
  };

  it('writes the Message a Messages client expects', () => {
    const message = encodeMessagesResponse(ir, CONTEXT);
    expect(message).toEqual({
      id: 'msg_resp_abc',
      type: 'message',
      role: 'assistant',
      model: CONTEXT.clientModel,
      content: [
        { type: 'thinking', thinking: 'summary', signature: 'dbxsig.openai.gAAAA' },
        { type: 'thinking', thinking: 'unsigned', signature: '' },
        { type: 'redacted_thinking', data: 'dbxsig.openai.enc' },
        { type: 'text', text: 'Hello' },
        { type: 'tool_use', id: 'call_1', name: 'ls', input: {} },
      ],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: 5, cache_creation_input_tokens: 0 },
    });
  });

  it('is read back by the Anthropic SDK', async () => {
    const body = JSON.stringify(encodeMessagesResponse(ir, CONTEXT));
    const client = new Anthropic({ apiKey: 'x', baseURL: 'http://t.test', maxRetries: 0, fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) });
    const message = await client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'thinking', 'redacted_thinking', 'text', 'tool_use']);
  });

  it('survives a round trip through the upstream decoder', () => {
    const decoded = decodeMessagesResponse(UPSTREAM_MESSAGE);
    const { id, content, stop_reason, usage } = encodeMessagesResponse(decoded, CONTEXT);
    expect({ id, content, stop_reason, usage }).toEqual({
      id: UPSTREAM_MESSAGE.id,
      content: UPSTREAM_MESSAGE.content.filter((block) => block.type !== 'server_tool_use'),
      stop_reason: 'tool_use',
      usage: { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 10 },
    });
  });
});
