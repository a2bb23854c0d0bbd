import { describe, expect, it } from 'vitest';
import { openaiResponsesInbound } from '../../../src/dialects/openai-responses/codec.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import { tagSignature } from '../../../src/ir/signatures.js';
import { context } from './helpers.js';

const decode = (body: Record<string, unknown>) => openaiResponsesInbound.decodeRequest(body, context({ endpoint: 'databricks-claude-sonnet-4-6', family: 'claude' }));

/** A Codex-like turn: history with reasoning, a call and its output, then a new user message. */
const CODEX_BODY = {
  model: 'claude-sonnet',
  instructions: 'You are Codex.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Sandbox: read-only.' }] },
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'What is in these?' },
        { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
        { type: 'input_image', image_url: 'https://example.com/cat.jpg' },
      ],
    },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Look at both.' }, { type: 'summary_text', text: 'Then list.' }], encrypted_content: tagSignature('anthropic', 'EqQBsig') },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me list the files.' }] },
    { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'shell', arguments: '{"cmd":"ls"}' },
    { type: 'function_call', call_id: 'call_b', name: 'now', arguments: '' },
    { type: 'function_call_output', call_id: 'call_a', output: 'a.txt\nb.txt' },
    { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '12:00' }, { type: 'input_image', image_url: 'https://example.com/clock.png' }] },
    { role: 'user', content: 'Thanks, now summarise.' },
    { role: 'system', content: 'Be brief.' },
  ],
  tools: [
    { type: 'function', name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false },
    { type: 'function', name: 'now', parameters: null },
    { type: 'web_search' },
  ],
  tool_choice: { type: 'function', name: 'shell' },
  parallel_tool_calls: false,
  max_output_tokens: 4096,
  reasoning: { effort: 'high', summary: 'auto' },
  text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
  temperature: 0.2,
  top_p: 0.9,
  safety_identifier: 'user-42',
  stream: true,
  store: false,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'k',
  client_metadata: { a: 1 },
  truncation: 'auto',
  metadata: { b: '2' },
};

describe('openai-responses request decoder', () => {
  it('decodes a full Codex-style request into the IR', () => {
    expect(decode(CODEX_BODY)).toEqual({
      model: 'databricks-claude-sonnet-4-6',
      system: [
        { type: 'text', text: 'You are Codex.' },
        { type: 'text', text: 'Sandbox: read-only.' },
        { type: 'text', text: 'Be brief.' },
      ],
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Look at both.\n\nThen list.', signature: 'EqQBsig', provider: 'anthropic', id: 'rs_1' },
            { type: 'text', text: 'Let me list the files.' },
            { type: 'tool_call', id: 'call_a', name: 'shell', arguments: '{"cmd":"ls"}' },
            { type: 'tool_call', id: 'call_b', name: 'now', arguments: '{}' },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'tool_result', callId: 'call_a', name: 'shell', content: [{ type: 'text', text: 'a.txt\nb.txt' }] },
            { type: 'tool_result', callId: 'call_b', name: 'now', content: [{ type: 'text', text: '12:00' }, { type: 'image', source: { kind: 'url', url: 'https://example.com/clock.png' } }] },
            { type: 'text', text: 'Thanks, now summarise.' },
          ],
        },
      ],
      tools: [
        { name: 'shell', description: 'Run a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
      toolChoice: { type: 'tool', name: 'shell' },
      parallelToolCalls: false,
      maxOutputTokens: 4096,
      temperature: 0.2,
      topP: 0.9,
      reasoning: { effort: 'high', summary: true },
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      stream: true,
      user: 'user-42',
    });
  });

  it('reads a string input as one user message and untagged encrypted content as OpenAI reasoning', () => {
    expect(decode({ input: 'hello' }).messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }]);
    const replay = decode({ input: [{ type: 'reasoning', id: 'rs_9', summary: [], encrypted_content: 'gAAAAB' }, { role: 'user', content: 'go' }] });
    expect(replay.messages[0]).toEqual({ role: 'assistant', parts: [{ type: 'reasoning', text: '', signature: 'gAAAAB', provider: 'openai', id: 'rs_9' }] });
  });

  it('lets tool outputs with no user message after them form their own user turn, before the next assistant turn', () => {
    const messages = decode({
      input: [
        { role: 'user', content: 'go' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { type: 'function_call', call_id: 'c2', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c2', output: '' },
      ],
    }).messages;
    expect(messages.map((message) => `${message.role}:${message.parts.map((part) => part.type).join(',')}`)).toEqual([
      'user:text',
      'assistant:tool_call',
      'user:tool_result',
      'assistant:tool_call',
      'user:tool_result',
    ]);
    expect(messages[4]?.parts[0]).toEqual({ type: 'tool_result', callId: 'c2', name: 'f', content: [] });
  });

  it('maps effort none to no reasoning setting and json_object to responseFormat', () => {
    const request = decode({ input: 'x', reasoning: { effort: 'none' }, text: { format: { type: 'json_object' } } });
    expect(request.reasoning).toBeUndefined();
    expect(request.responseFormat).toEqual({ type: 'json_object' });
    expect(decode({ input: 'x', text: { format: { type: 'text' } } }).responseFormat).toBeUndefined();
  });

  it('skips a reasoning item replayed by reference only (the AI SDK with store unset), keeping the call and its output', () => {
    const { messages } = decode({
      input: [
        { role: 'user', content: 'read it' },
        { type: 'item_reference', id: 'rs_0123456789abcdef_0' },
        { type: 'function_call', call_id: 'c1', name: 'read_file', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'x' },
      ],
    });
    expect(messages.map((message) => message.parts.map((part) => part.type))).toEqual([['text'], ['tool_call'], ['tool_result']]);
  });

  it.each([
    [{ input: 'x', previous_response_id: 'resp_1' }, 'previous_response_id', /keeps no response state/],
    [{ input: 'x', conversation: 'conv_1' }, 'conversation', /keeps no response state/],
    [{}, 'input', /input is required/],
    [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type', /keeps no state/],
    [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }] }, 'input[0].content[0].type', /input_file/],
    [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] }, 'input[0].content[0].image_url', /file ids/],
    [{ input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input[0].type', /web_search_call/],
    [{ input: [{ role: 'tool', content: 'x' }] }, 'input[0].role', /role 'tool'/],
    [{ input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id', /call_id/],
    [{ input: 'x', tool_choice: 'any' }, 'tool_choice', /any/],
    [{ input: 'x', reasoning: { effort: 'extreme' } }, 'reasoning.effort', /extreme/],
    [{ input: 'x', max_output_tokens: 0 }, 'max_output_tokens', /positive integer/],
    [{ input: 'x', text: { format: { type: 'json_schema', schema: {} } } }, 'text.format.name', /name/],
  ])('refuses %j naming %s', (body, param, message) => {
    try {
      decode(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProxyError);
      expect((error as ProxyError).kind).toBe('invalid_request');
      expect((error as ProxyError).param).toBe(param);
      expect((error as ProxyError).message).toMatch(message);
    }
  });
});
