import { INBOUND_CODECS } from '../../../src/dialects/codecs.js';
import { describe, expect, it } from 'vitest';
import { openaiChatInbound, openaiChatUpstream } from '../../../src/dialects/openai-chat/codec.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrResponse } from '../../../src/ir/response.js';
import { context, irRequest, openAiClientAnswering } from './helpers.js';

const CLAUDE_ANSWER = {
  id: 'chatcmpl-77',
  object: 'chat.completion',
  created: 1770000000,
  model: 'databricks-claude-sonnet-4-6',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: [
          { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Need the file.', signature: 'sig-77' }] },
          { type: 'reasoning', summary: [{ type: 'summary_encrypted_text', data: 'opaque-77' }] },
          { type: 'text', text: 'Reading.' },
        ],
        tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'read', arguments: '{"path":"a"}' } }],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 } },
};

describe('openai-chat upstream response decoding', () => {
  it('reads Databricks list content: signed reasoning (Anthropic), redacted reasoning, text and calls', () => {
    expect(openaiChatUpstream.decodeResponse(CLAUDE_ANSWER, context({ family: 'claude' }))).toEqual({
      id: 'chatcmpl-77',
      model: 'databricks-claude-sonnet-4-6',
      content: [
        { type: 'reasoning', text: 'Need the file.', signature: 'sig-77', provider: 'anthropic' },
        { type: 'reasoning', text: '', redacted: 'opaque-77', provider: 'anthropic' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_call', id: 'toolu_9', name: 'read', arguments: '{"path":"a"}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 20, outputTokens: 30, cacheReadTokens: 100, cacheWriteTokens: 0, reasoningTokens: 0 },
    });
  });

  it('reads string content, reasoning_content and a Gemini call signature; a call ends a turn as tool_use', () => {
    const response = openaiChatUpstream.decodeResponse(
      {
        choices: [
          {
            message: {
              role: 'assistant',
              content: '',
              reasoning_content: 'unsigned musing',
              tool_calls: [{ id: 'fc_1', type: 'function', function: { name: 'ls', arguments: '' }, extra_content: { google: { thought_signature: 'g' } } }],
            },
            finish_reason: 'stop',
          },
        ],
      },
      context({ family: 'gemini', endpoint: 'databricks-gemini-2-5-pro' }),
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'unsigned musing' },
      { type: 'tool_call', id: 'fc_1', name: 'ls', arguments: '{}', signature: { provider: 'gemini', value: 'g' } },
    ]);
    expect(response.stopReason).toBe('tool_use');
    expect(response.model).toBe('databricks-gemini-2-5-pro');
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'refusal'],
    ['something_new', 'end_turn'],
  ])('maps finish_reason %s to %s', (finishReason, stopReason) => {
    const response = openaiChatUpstream.decodeResponse({ choices: [{ message: { content: 'x' }, finish_reason: finishReason }] }, context());
    expect(response.stopReason).toBe(stopReason);
  });

  it('throws the error an answer body carries', () => {
    const decode = () => openaiChatUpstream.decodeResponse({ error_code: 'BAD_REQUEST', message: '{"message":"messages.1.thinking_blocks: Extra inputs are not permitted"}' }, context());
    expect(decode).toThrow(ProxyError);
    expect(decode).toThrow('messages.1.thinking_blocks: Extra inputs are not permitted');
  });
});

describe('openai-chat client response encoding', () => {
  const response: IrResponse = {
    id: 'msg_01',
    model: 'databricks-claude-sonnet-4-6',
    content: [
      { type: 'reasoning', text: 'Think.', signature: 'sig-1', provider: 'anthropic' },
      { type: 'reasoning', text: 'Summary only.' },
      { type: 'reasoning', text: '', redacted: 'opaque', provider: 'anthropic' },
      { type: 'text', text: 'Answer.' },
      { type: 'tool_call', id: 'fc_1', name: 'ls', arguments: '{}', signature: { provider: 'gemini', value: 'g' } },
    ],
    stopReason: 'refusal',
    usage: { inputTokens: 5, outputTokens: 7, cacheReadTokens: 3, cacheWriteTokens: 0, reasoningTokens: 2 },
  };

  it('writes a chat.completion with reasoning beside the content, never in it', async () => {
    const body = openaiChatInbound.encodeResponse(response, irRequest({ stream: false }), context({ clientModel: 'claude-via-proxy' }));
    const completion = await openAiClientAnswering(JSON.stringify(body), 'application/json').chat.completions.create({ model: 'claude-via-proxy', messages: [] });
    expect(completion).toMatchObject({ id: 'chatcmpl-msg_01', object: 'chat.completion', model: 'claude-via-proxy' });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('content_filter');
    expect(choice?.message).toMatchObject({
      role: 'assistant',
      content: 'Answer.',
      reasoning_content: 'Think.Summary only.',
      thinking_blocks: [
        { type: 'thinking', thinking: 'Think.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
      ],
    });
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function).toEqual({ name: 'ls', arguments: '{}' });
    expect(call?.id).toBe('fc_1');
    expect(completion.usage).toEqual({
      prompt_tokens: 8,
      completion_tokens: 7,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it('writes null content for a turn of only tool calls', () => {
    const body = openaiChatInbound.encodeResponse({ ...response, content: [response.content[4]!], stopReason: 'tool_use' }, irRequest(), context()) as {
      choices: { message: { content: unknown } }[];
    };
    expect(body.choices[0]?.message.content).toBeNull();
  });

  it('round-trips: a client replaying the answer gives the upstream back the same reasoning, the call signature on its call', () => {
    const chat = INBOUND_CODECS['openai-chat'];
    const body = chat.encodeResponse(response, irRequest(), context()) as { choices: { message: Record<string, unknown> }[] };
    expect(JSON.stringify(body.choices[0]?.message.tool_calls)).not.toContain('"g"');
    const replay = chat.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'q' }, body.choices[0]?.message] }, context());
    expect(replay.messages[1]?.parts).toEqual([
      { type: 'reasoning', text: 'Think.', signature: 'sig-1', provider: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'opaque', provider: 'anthropic' },
      { type: 'text', text: 'Answer.' },
      { type: 'tool_call', id: 'fc_1', name: 'ls', arguments: '{}', signature: { provider: 'gemini', value: 'g' } },
    ]);
  });
});
