import { describe, expect, it } from 'vitest';
import { openaiChatInbound } from '../../../src/dialects/openai-chat/codec.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import { tagSignature } from '../../../src/ir/signatures.js';
import { context } from './helpers.js';

function decode(body: Record<string, unknown>) {
  return openaiChatInbound.decodeRequest({ model: 'my-llama', ...body }, context());
}

function rejection(body: Record<string, unknown>): { kind: string; param: string | undefined } {
  try {
    decode(body);
  } catch (error) {
    if (error instanceof ProxyError) return { kind: error.kind, param: error.param };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('openai-chat request decoding', () => {
  it('hoists system and developer messages, in order, from anywhere', () => {
    const request = decode({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Use French.', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'Salut' },
      ],
    });
    expect(request.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use French.', cacheControl: { type: 'ephemeral' } },
    ]);
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Salut' }] },
    ]);
    expect(request.model).toBe('databricks-meta-llama-3-3-70b-instruct');
  });

  it('reads data-URL images as base64 and http images as URLs', () => {
    const request = decode({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          ],
        },
      ],
    });
    expect(request.messages[0]?.parts).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('reads assistant tool calls and groups consecutive tool messages into one user turn', () => {
    const packed = 'fc_1';
    const request = decode({
      messages: [
        { role: 'user', content: 'Weather in Oslo and Lima?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: packed, type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: packed, content: 'cold' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'warm' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo and Lima?' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'fc_1', name: 'weather', arguments: '{"city":"Oslo"}' },
          { type: 'tool_call', id: 'call_2', name: 'weather', arguments: '{}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', callId: 'fc_1', name: 'weather', content: [{ type: 'text', text: 'cold' }] },
          { type: 'tool_result', callId: 'call_2', name: 'weather', content: [{ type: 'text', text: 'warm' }] },
        ],
      },
      { role: 'user', parts: [{ type: 'text', text: 'Thanks' }] },
    ]);
  });

  it('replays thinking_blocks and Databricks reasoning items, dropping reasoning that has no signature', () => {
    const request = decode({
      messages: [
        { role: 'user', content: 'Go' },
        {
          role: 'assistant',
          thinking_blocks: [
            { type: 'thinking', thinking: 'Plan A', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'thinking', thinking: 'unsigned, cannot replay', signature: '' },
          ],
          content: 'Done A',
        },
        { role: 'user', content: 'Again' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan B', signature: tagSignature('openai', 'enc-b') }] },
            { type: 'reasoning', summary: [{ type: 'summary_text', text: 'no signature' }] },
            { type: 'reasoning', summary: [{ type: 'summary_encrypted_text', data: 'opaque-b' }] },
            { type: 'text', text: 'Done B' },
          ],
        },
      ],
    });
    expect(request.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'Plan A', signature: 'sig-1', provider: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'opaque', provider: 'anthropic' },
      { type: 'text', text: 'Done A' },
    ]);
    expect(request.messages[3]?.parts).toEqual([
      { type: 'reasoning', text: 'Plan B', signature: 'enc-b', provider: 'openai' },
      { type: 'reasoning', text: '', redacted: 'opaque-b', provider: 'anthropic' },
      { type: 'text', text: 'Done B' },
    ]);
  });

  it('reads tools, tool_choice and the generation settings', () => {
    const request = decode({
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        { type: 'function', function: { name: 'now' } },
        { type: 'function', function: { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } }, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'read' } },
      parallel_tool_calls: false,
      max_completion_tokens: 500,
      max_tokens: 99,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      reasoning_effort: 'high',
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request).toMatchObject({
      tools: [
        { name: 'now', parameters: { type: 'object', properties: {} } },
        { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } }, strict: true },
      ],
      toolChoice: { type: 'tool', name: 'read' },
      parallelToolCalls: false,
      maxOutputTokens: 500,
      temperature: 0.2,
      topP: 0.9,
      stopSequences: ['END'],
      reasoning: { effort: 'high' },
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      user: 'u-1',
      stream: true,
      includeUsage: true,
    });
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'required' }],
  ])('maps tool_choice %s', (choice, expected) => {
    expect(decode({ messages: [{ role: 'user', content: 'x' }], tool_choice: choice }).toolChoice).toEqual(expected);
  });

  it('falls back to max_tokens, takes stop arrays, and reads reasoning_effort none as no reasoning', () => {
    const request = decode({ messages: [{ role: 'user', content: 'x' }], max_tokens: 64, stop: ['a', 'b'], reasoning_effort: 'none', response_format: { type: 'json_object' } });
    expect(request.maxOutputTokens).toBe(64);
    expect(request.stopSequences).toEqual(['a', 'b']);
    expect(request.reasoning).toBeUndefined();
    expect(request.responseFormat).toEqual({ type: 'json_object' });
    expect(request.stream).toBe(false);
    expect(request.includeUsage).toBeUndefined();
  });

  it.each([
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }, 'messages[0].content[0].type'],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,raw' } }] }] }, 'messages[0].content[0].image_url'],
    [{ messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }] }, 'messages[0].tool_calls[0].function.arguments'],
    [{ messages: [{ role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[0].tool_calls[0].id'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] }, 'messages[0].content[0]'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'custom', custom: { name: 'c' } }] }, 'tools[0].type'],
    [{ messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } }, 'tool_choice'],
    [{ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'extreme' }, 'reasoning_effort'],
    [{ messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    [{ messages: [{ role: 'user', content: 'x' }], stop: [1] }, 'stop'],
    [{ messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
    [{ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: {} } }, 'response_format.json_schema.name'],
  ])('rejects a bad shape (%#) naming %s', (body, param) => {
    expect(rejection(body)).toEqual({ kind: 'invalid_request', param });
  });
});
