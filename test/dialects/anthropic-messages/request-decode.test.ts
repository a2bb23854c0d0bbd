import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from '../../../src/dialects/anthropic-messages/request-decode.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import { tagSignature } from '../../../src/ir/signatures.js';
import { CONTEXT } from './helpers.js';

/** Shaped like what Claude Code sends (clients.md §3): cached system blocks, adaptive thinking, effort, context management. */
const CLAUDE_CODE_BODY = {
  model: 'claude-sonnet-4-6',
  max_tokens: 32000,
  stream: true,
  system: [
    { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
    { type: 'text', text: '' },
    { type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
  ],
  metadata: { user_id: '{"device":"abc"}' },
  thinking: { type: 'adaptive' },
  output_config: { effort: 'high' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  tools: [
    { name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } }, cache_control: { type: 'ephemeral' } },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
    { type: 'custom', name: 'Bash', input_schema: { type: 'object' }, strict: true },
  ],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  messages: [
    { role: 'user', content: 'Read the file' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should read it.', signature: 'EqA-native' },
        { type: 'redacted_thinking', data: 'opaque==' },
        { type: 'text', text: '' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'toolu_01A', name: 'Read', input: { path: 'a.ts' } },
        { type: 'tool_use', id: 'call_g', name: 'Bash', input: {} },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'file body' },
        {
          type: 'tool_result',
          tool_use_id: 'call_g',
          is_error: true,
          content: [
            { type: 'text', text: 'failed' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'document', source: { type: 'text', data: 'x' } },
          ],
        },
        { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        { type: 'text', text: 'Go on' },
      ],
    },
  ],
};

describe('Messages request decoder', () => {
  const ir = decodeMessagesRequest(CLAUDE_CODE_BODY, CONTEXT);

  it('addresses the endpoint and keeps the scalar settings', () => {
    expect(ir).toMatchObject({ model: CONTEXT.endpoint, stream: true, maxOutputTokens: 32000, user: '{"device":"abc"}', parallelToolCalls: false });
    expect(ir.toolChoice).toEqual({ type: 'auto' });
    expect(ir.reasoning).toEqual({ effort: 'high', summary: true });
  });

  it('keeps system blocks with their cache hints and drops the empty one', () => {
    expect(ir.system).toEqual([
      { type: 'text', text: 'You are Claude Code.', cacheControl: { type: 'ephemeral' } },
      { type: 'text', text: 'Project rules.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
    ]);
  });

  it('keeps custom tools and drops server tools', () => {
    expect(ir.tools).toEqual([
      { name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } }, cacheControl: { type: 'ephemeral' } },
      { name: 'Bash', parameters: { type: 'object' }, strict: true },
    ]);
  });

  it('decodes assistant history: signed and redacted thinking, text, calls; drops empty text and server blocks', () => {
    expect(ir.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'I should read it.', signature: 'EqA-native', provider: 'anthropic' },
        { type: 'reasoning', text: '', redacted: 'opaque==', provider: 'anthropic' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_call', id: 'toolu_01A', name: 'Read', arguments: '{"path":"a.ts"}' },
        { type: 'tool_call', id: 'call_g', name: 'Bash', arguments: '{}' },
      ],
    });
  });

  it('decodes tool results with their tool names, content and error flag', () => {
    expect(ir.messages[2]).toEqual({
      role: 'user',
      parts: [
        { type: 'tool_result', callId: 'toolu_01A', name: 'Read', content: [{ type: 'text', text: 'file body' }] },
        {
          type: 'tool_result',
          callId: 'call_g',
          name: 'Bash',
          isError: true,
          content: [
            { type: 'text', text: 'failed' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
          ],
        },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
        { type: 'text', text: 'Go on' },
      ],
    });
  });

  it('reads tagged signatures back to their provider, and an empty signature as unsigned reasoning', () => {
    const { messages } = decodeMessagesRequest(
      {
        model: 'x',
        max_tokens: 10,
        messages: [
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'a', signature: tagSignature('openai', 'gAAAA') },
              { type: 'thinking', thinking: 'b', signature: '' },
            ],
          },
        ],
      },
      CONTEXT,
    );
    expect(messages[0]?.parts).toEqual([
      { type: 'reasoning', text: 'a', signature: 'gAAAA', provider: 'openai' },
      { type: 'reasoning', text: 'b' },
    ]);
  });

  it.each([
    [{ type: 'enabled', budget_tokens: 2048 }, undefined, { budgetTokens: 2048, summary: true }],
    [{ type: 'enabled', budget_tokens: 2048, display: 'omitted' }, undefined, { budgetTokens: 2048, summary: false }],
    [{ type: 'adaptive' }, undefined, { effort: 'medium', summary: true }],
    [{ type: 'adaptive' }, { effort: 'max' }, { effort: 'max', summary: true }],
    [{ type: 'disabled' }, undefined, undefined],
  ])('thinking %j with output_config %j → %j', (thinking, outputConfig, expected) => {
    const body = { model: 'x', max_tokens: 10, messages: [], thinking, ...(outputConfig ? { output_config: outputConfig } : {}) };
    expect(decodeMessagesRequest(body, CONTEXT).reasoning).toEqual(expected);
  });

  it('hoists system-role messages, maps sampling, stops, tool choice and structured output', () => {
    const ir2 = decodeMessagesRequest(
      {
        model: 'x',
        max_tokens: 10,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        tool_choice: { type: 'tool', name: 'Read' },
        output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
        system: 'Top',
        messages: [
          { role: 'system', content: 'Mid' },
          { role: 'user', content: '' },
          { role: 'user', content: 'hi' },
        ],
      },
      CONTEXT,
    );
    expect(ir2).toMatchObject({ temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['END'], toolChoice: { type: 'tool', name: 'Read' }, stream: false });
    expect(ir2.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema: { type: 'object' } });
    expect(ir2.system.map((part) => part.text)).toEqual(['Top', 'Mid']);
    expect(ir2.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
  });

  it.each([
    [{ messages: 'hi' }, 'messages'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages.0.content'],
    [{ messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'x', input: {} }] }] }, 'messages.0.content.0'],
    [{ messages: [], tool_choice: { type: 'sometimes' } }, 'tool_choice.type'],
    [{ messages: [], tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    [{ messages: [], tools: [{ input_schema: {} }] }, 'tools.0.name'],
  ])('refuses %j naming %s', (body, param) => {
    let caught: unknown;
    try {
      decodeMessagesRequest({ model: 'x', max_tokens: 1, ...body }, CONTEXT);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProxyError);
    expect(caught).toMatchObject({ kind: 'invalid_request', param });
  });
});
