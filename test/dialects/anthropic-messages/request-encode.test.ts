import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from '../../../src/dialects/anthropic-messages/request-decode.js';
import { DEFAULT_MAX_TOKENS, encodeMessagesRequest } from '../../../src/dialects/anthropic-messages/request-encode.js';
import type { IrMessage, IrToolChoice } from '../../../src/ir/request.js';
import { CONTEXT, request } from './helpers.js';

const TOOL = { name: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } } } };

/** A Messages request whose every field the IR carries: decoding then encoding it gives it back. */
const NATIVE_BODY = {
  model: CONTEXT.endpoint,
  max_tokens: 8192,
  stream: true,
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
  metadata: { user_id: 'u-1' },
  thinking: { type: 'enabled', budget_tokens: 2048 },
  stop_sequences: ['END'],
  tools: [{ name: 'Read', description: 'Read a file', input_schema: TOOL.parameters, cache_control: { type: 'ephemeral' }, strict: true }],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Read a.ts', cache_control: { type: 'ephemeral' } }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Read it.', signature: 'EqA-sig' },
        { type: 'redacted_thinking', data: 'opaque==' },
        { type: 'text', text: 'Reading.' },
        { type: 'tool_use', id: 'toolu_01A', name: 'Read', input: { path: 'a.ts' } },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01A',
          is_error: true,
          content: [
            { type: 'text', text: 'no such file' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          ],
        },
        { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        { type: 'text', text: 'Try b.ts' },
      ],
    },
  ],
};

describe('Messages request encoder', () => {
  it('gives back a native request decoded into the IR', () => {
    expect(encodeMessagesRequest(decodeMessagesRequest(NATIVE_BODY, CONTEXT), CONTEXT)).toEqual(NATIVE_BODY);
  });

  it('builds alternating turns: same-role messages merged, tool results first, signed thinking first', () => {
    const messages: IrMessage[] = [
      { role: 'user', parts: [{ type: 'text', text: 'weather and time?' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'Checking.' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'openai thoughts', signature: 'gAAAA', provider: 'openai' },
          { type: 'tool_call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'reasoning', text: 'claude thoughts', signature: 'EqA', provider: 'anthropic' },
          { type: 'reasoning', text: 'unsigned thoughts' },
          { type: 'tool_call', id: 'call.2', name: 'time', arguments: 'not json' },
        ],
      },
      { role: 'user', parts: [{ type: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'sunny' }] }] },
      { role: 'user', parts: [{ type: 'text', text: '  ' }, { type: 'tool_result', callId: 'call.2', content: [{ type: 'text', text: '' }] }] },
      { role: 'user', parts: [{ type: 'text', text: 'thanks' }, { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AA=' } }] },
    ];
    expect(encodeMessagesRequest(request({ messages }), CONTEXT).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather and time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'claude thoughts', signature: 'EqA' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] },
          { type: 'tool_result', tool_use_id: 'call_2' },
          { type: 'text', text: 'thanks' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AA=' } },
        ],
      },
    ]);
  });

  it('never sends a Gemini call signature to Anthropic', () => {
    const messages: IrMessage[] = [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_g', name: 'ls', arguments: '', signature: { provider: 'gemini', value: 'CiQB' } }] },
      { role: 'user', parts: [{ type: 'tool_result', callId: 'call_g', content: [{ type: 'text', text: 'a b' }] }] },
    ];
    const body = encodeMessagesRequest(request({ messages }), CONTEXT);
    expect(JSON.stringify(body)).not.toContain('CiQB');
    expect(body.messages[0]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'call_g', name: 'ls', input: {} }] });
  });

  it('defaults max_tokens, leaves out what was not asked, and requires type object on tool schemas', () => {
    const body = encodeMessagesRequest(request({ stream: false, tools: [{ name: 'x', parameters: { properties: {} } }] }), CONTEXT);
    expect(body).toEqual({
      model: CONTEXT.endpoint,
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [],
      tools: [{ name: 'x', input_schema: { properties: {}, type: 'object' } }],
      stream: false,
    });
  });

  it.each([
    [{ type: 'auto' }, true, { type: 'auto' }],
    [{ type: 'required' }, true, { type: 'any' }],
    [{ type: 'tool', name: 'Read' }, true, { type: 'tool', name: 'Read' }],
    [{ type: 'none' }, false, { type: 'none' }],
    [{ type: 'required' }, false, { type: 'any', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [undefined, true, undefined],
  ] as [IrToolChoice | undefined, boolean, unknown][])('tool choice %j (parallel %s) → %j', (toolChoice, parallel, expected) => {
    const body = encodeMessagesRequest(request({ tools: [TOOL], ...(toolChoice ? { toolChoice } : {}), ...(parallel ? {} : { parallelToolCalls: false }) }), CONTEXT);
    expect(body.tool_choice).toEqual(expected);
  });

  it('sends no tool_choice without tools', () => {
    expect(encodeMessagesRequest(request({ toolChoice: { type: 'required' } }), CONTEXT).tool_choice).toBeUndefined();
  });

  it.each([
    ['minimal', 1024],
    ['low', 1024],
    ['medium', 4096],
    ['high', 16384],
    ['xhigh', 32768],
    ['max', 32768],
  ] as const)('effort %s → a thinking budget of %i, with max_tokens raised above it', (effort, budget) => {
    const body = encodeMessagesRequest(request({ maxOutputTokens: 2000, reasoning: { effort } }), CONTEXT);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBe(budget < 2000 ? 2000 : budget + 2000);
  });

  it('uses a client budget (at least 1024), and turns thinking off for a budget of 0', () => {
    expect(encodeMessagesRequest(request({ reasoning: { budgetTokens: 500, effort: 'high' } }), CONTEXT).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(encodeMessagesRequest(request({ reasoning: { budgetTokens: 0 } }), CONTEXT).thinking).toBeUndefined();
    expect(encodeMessagesRequest(request({ reasoning: { summary: true } }), CONTEXT).thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(encodeMessagesRequest(request({ reasoning: {} }), CONTEXT).thinking).toBeUndefined();
  });

  it('with thinking on, leaves out the sampling settings Anthropic refuses', () => {
    const on = encodeMessagesRequest(request({ reasoning: { effort: 'low' }, temperature: 0.2, topP: 0.5, topK: 5 }), CONTEXT);
    expect([on.temperature, on.top_p, on.top_k]).toEqual([undefined, undefined, undefined]);
    const tolerated = encodeMessagesRequest(request({ reasoning: { effort: 'low' }, temperature: 1, topP: 0.97 }), CONTEXT);
    expect([tolerated.temperature, tolerated.top_p]).toEqual([1, 0.97]);
    const off = encodeMessagesRequest(request({ temperature: 0.2, topP: 0.5, topK: 5 }), CONTEXT);
    expect([off.temperature, off.top_p, off.top_k]).toEqual([0.2, 0.5, 5]);
  });

  it('turns thinking off when the tool choice forces a tool', () => {
    const body = encodeMessagesRequest(request({ tools: [TOOL], toolChoice: { type: 'required' }, reasoning: { effort: 'high' } }), CONTEXT);
    expect(body.thinking).toBeUndefined();
    expect(body.max_tokens).toBe(DEFAULT_MAX_TOKENS);
  });

  it('turns thinking off when the last tool turn has no signed thinking to replay, and keeps it when it has', () => {
    const loop = (reasoning: IrMessage['parts']): IrMessage[] => [
      { role: 'user', parts: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', parts: [...reasoning, { type: 'tool_call', id: 'call_1', name: 'Read', arguments: '{}' }] },
      { role: 'user', parts: [{ type: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'ok' }] }] },
    ];
    const foreign = encodeMessagesRequest(request({ tools: [TOOL], reasoning: { effort: 'high' }, messages: loop([{ type: 'reasoning', text: 'x', signature: 'gAAAA', provider: 'openai' }]) }), CONTEXT);
    expect(foreign.thinking).toBeUndefined();
    const signed = encodeMessagesRequest(request({ tools: [TOOL], reasoning: { effort: 'high' }, messages: loop([{ type: 'reasoning', text: 'x', signature: 'EqA', provider: 'anthropic' }]) }), CONTEXT);
    expect(signed.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
  });
});
