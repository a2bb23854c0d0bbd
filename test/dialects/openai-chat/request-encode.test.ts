import { describe, expect, it } from 'vitest';
import { openaiChatInbound, openaiChatUpstream } from '../../../src/dialects/openai-chat/codec.js';
import type { IrMessage } from '../../../src/ir/request.js';
import { context, irRequest } from './helpers.js';

/** A conversation with everything an upstream Chat request can carry, and reasoning from two providers. */
const CONVERSATION: IrMessage[] = [
  {
    role: 'user',
    parts: [
      { type: 'text', text: 'Look at this', cacheControl: { type: 'ephemeral' } },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
    ],
  },
  {
    role: 'assistant',
    parts: [
      { type: 'reasoning', text: 'Claude thought', signature: 'sig-c', provider: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'red-c', provider: 'anthropic' },
      { type: 'reasoning', text: 'GPT thought', signature: 'enc-o', provider: 'openai' },
      { type: 'text', text: 'Reading it.' },
      { type: 'tool_call', id: 'call_1', name: 'read', arguments: '{"path":"a"}', signature: { provider: 'gemini', value: 'g-sig' } },
    ],
  },
  {
    role: 'user',
    parts: [
      { type: 'tool_result', callId: 'call_1', name: 'read', content: [{ type: 'text', text: 'contents' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] },
      { type: 'text', text: 'Now summarise' },
    ],
  },
];

describe('openai-chat upstream request encoding', () => {
  it('writes a Databricks chat request for an open model, dropping signed reasoning and signatures', () => {
    const body = openaiChatUpstream.encodeRequest(
      irRequest({
        system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use French.' }],
        messages: CONVERSATION,
        tools: [{ name: 'read', description: 'Read a file', parameters: { type: 'object', properties: {} } }],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
        maxOutputTokens: 800,
        temperature: 0.1,
        topP: 0.5,
        topK: 40,
        stopSequences: ['END'],
        reasoning: { effort: 'low' },
        user: 'u-1',
        stream: true,
      }),
      context(),
    );
    expect(body).toEqual({
      model: 'databricks-meta-llama-3-3-70b-instruct',
      messages: [
        { role: 'system', content: 'Be brief.\n\nUse French.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look at this' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        { role: 'assistant', content: 'Reading it.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'contents\n[image omitted: tool results cannot carry images on this model]' },
        { role: 'user', content: 'Now summarise' },
      ],
      tools: [{ type: 'function', function: { name: 'read', description: 'Read a file', parameters: { type: 'object', properties: {} } } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_tokens: 800,
      temperature: 0.1,
      top_p: 0.5,
      stop: ['END'],
      reasoning_effort: 'low',
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('replays only Anthropic reasoning toward Claude, in Databricks list content, and keeps cache breakpoints', () => {
    const body = openaiChatUpstream.encodeRequest(irRequest({ messages: CONVERSATION, stream: false }), context({ family: 'claude', endpoint: 'databricks-claude-sonnet-4-6' }));
    const messages = body.messages as Record<string, unknown>[];
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'Look at this', cache_control: { type: 'ephemeral' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
    ]);
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Claude thought', signature: 'sig-c' }] },
        { type: 'reasoning', summary: [{ type: 'summary_encrypted_text', data: 'red-c' }] },
        { type: 'text', text: 'Reading it.' },
      ],
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }],
    });
    expect(body.stream).toBe(false);
    expect(body).not.toHaveProperty('stream_options');
    expect(JSON.stringify(body)).not.toContain('GPT thought');
  });

  it('sends a Gemini call signature back only to Gemini', () => {
    const body = openaiChatUpstream.encodeRequest(irRequest({ messages: CONVERSATION }), context({ family: 'gemini', endpoint: 'databricks-gemini-3-pro' }));
    const assistant = (body.messages as Record<string, unknown>[])[1];
    expect(assistant?.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' }, extra_content: { google: { thought_signature: 'g-sig' } } },
    ]);
    expect(JSON.stringify(body)).not.toContain('Claude thought');
  });

  it('leaves out tool settings without tools, and maps a thinking budget to an effort', () => {
    const body = openaiChatUpstream.encodeRequest(irRequest({ toolChoice: { type: 'auto' }, parallelToolCalls: true, reasoning: { budgetTokens: 10000 } }), context());
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
    expect(body.reasoning_effort).toBe('medium');
  });

  it('writes named tool choice and both response formats', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    const named = openaiChatUpstream.encodeRequest(irRequest({ tools, toolChoice: { type: 'tool', name: 'f' }, responseFormat: { type: 'json_object' } }), context());
    expect(named.tool_choice).toEqual({ type: 'function', function: { name: 'f' } });
    expect(named.response_format).toEqual({ type: 'json_object' });
    const schema = openaiChatUpstream.encodeRequest(irRequest({ responseFormat: { type: 'json_schema', name: 'a', schema: { type: 'object' }, strict: true } }), context());
    expect(schema.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object' }, strict: true } });
  });

  it('round-trips a client chat request through the IR to the same upstream request', () => {
    const client = {
      model: 'my-llama',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'cold' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'auto',
      max_tokens: 100,
      stop: ['X'],
      reasoning_effort: 'medium',
      response_format: { type: 'json_object' },
      stream: false,
    };
    const ir = openaiChatInbound.decodeRequest(client, context());
    expect(openaiChatUpstream.encodeRequest(ir, context())).toEqual({ ...client, model: 'databricks-meta-llama-3-3-70b-instruct' });
  });

  it('round-trips replayable Claude reasoning: what the upstream encoder writes, the inbound decoder reads back', () => {
    const ir = irRequest({ messages: CONVERSATION.slice(0, 2) });
    const body = openaiChatUpstream.encodeRequest(ir, context({ family: 'claude' }));
    const back = openaiChatInbound.decodeRequest(body, context({ family: 'claude' }));
    const anthropicOnly = (CONVERSATION[1]?.parts ?? []).filter((part) => part.type !== 'reasoning' || part.provider === 'anthropic');
    expect(back.messages[1]?.parts).toEqual(anthropicOnly.map((part) => (part.type === 'tool_call' ? { ...part, signature: undefined } : part)).map(stripUndefined));
  });
});

function stripUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
