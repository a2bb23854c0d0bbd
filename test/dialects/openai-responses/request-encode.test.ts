import { describe, expect, it } from 'vitest';
import { openaiResponsesInbound, openaiResponsesUpstream } from '../../../src/dialects/openai-responses/codec.js';
import { openaiResponses as emulatedResponses } from '../../../src/emulator/dialects/openai-responses/index.js';
import type { RenderContext } from '../../../src/emulator/types.js';
import type { IrRequest } from '../../../src/ir/request.js';
import { context, irRequest } from './helpers.js';

const encode = (request: IrRequest) => openaiResponsesUpstream.encodeRequest(request, context());

/** The emulated workspace's Responses validator (databricks.md §5 rules): throws on anything Databricks would refuse. */
function expectDatabricksAccepts(body: Record<string, unknown>): void {
  const render: RenderContext = { endpoint: { name: 'databricks-gpt-5-4', task: 'llm/v1/responses', family: 'gpt', kind: 'foundation', onAiGateway: true }, quirks: new Set() };
  expect(() => emulatedResponses.parse(body, render)).not.toThrow();
}

const LONG_CALL_ID = `call_${'x'.repeat(120)}`;

const MIXED: IrRequest = irRequest({
  system: [
    { type: 'text', text: 'Be helpful.', cacheControl: { type: 'ephemeral' } },
    { type: 'text', text: 'Answer in English.' },
  ],
  messages: [
    { role: 'user', parts: [{ type: 'text', text: 'Look:' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } }] },
    {
      role: 'assistant',
      parts: [
        { type: 'reasoning', text: 'Claude thought', signature: 'EqQB', provider: 'anthropic' },
        { type: 'reasoning', text: '', redacted: 'EmwK', provider: 'anthropic' },
        { type: 'reasoning', text: 'GPT thought', signature: 'gAAAA_one', provider: 'openai', id: 'rs_kept' },
        { type: 'reasoning', text: '', signature: 'gAAAA_two', provider: 'openai' },
        { type: 'reasoning', text: 'unsigned', provider: 'openai' },
        { type: 'text', text: 'First.' },
        { type: 'text', text: 'Second.' },
        { type: 'tool_call', id: LONG_CALL_ID, name: 'shell', arguments: '{"cmd":"ls"}', signature: { provider: 'gemini', value: 'sig' } },
        { type: 'tool_call', id: 'call_2', name: 'now', arguments: '' },
      ],
    },
    {
      role: 'user',
      parts: [
        { type: 'tool_result', callId: LONG_CALL_ID, content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], isError: true },
        { type: 'tool_result', callId: 'call_2', content: [{ type: 'text', text: 'noon' }, { type: 'image', source: { kind: 'url', url: 'https://e.com/c.png' } }] },
        { type: 'text', text: 'Go on.' },
      ],
    },
  ],
  tools: [{ name: 'shell', description: 'Run', parameters: { type: 'object', properties: {} }, cacheControl: { type: 'ephemeral' } }],
  toolChoice: { type: 'required' },
  parallelToolCalls: false,
  maxOutputTokens: 2000,
  temperature: 1,
  topK: 40,
  stopSequences: ['END'],
  reasoning: { budgetTokens: 4000, summary: true },
  responseFormat: { type: 'json_object' },
  user: '{"device_id":"0123456789abcdef0123456789abcdef0123456789abcdef","session":"s"}',
  stream: true,
});

describe('openai-responses request encoder', () => {
  it('writes a Databricks Responses request, replaying only OpenAI reasoning', () => {
    const body = encode(MIXED);
    const shortCallId = (body.input as { call_id?: string }[]).find((item) => item.call_id?.startsWith('call_') && item.call_id !== 'call_2')?.call_id;
    expect(shortCallId?.length).toBeLessThanOrEqual(64);
    expect(body).toEqual({
      model: 'databricks-gpt-5-4',
      instructions: 'Be helpful.\n\nAnswer in English.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Look:' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }] },
        { type: 'reasoning', id: 'rs_kept', summary: [{ type: 'summary_text', text: 'GPT thought' }], encrypted_content: 'gAAAA_one' },
        { type: 'reasoning', id: expect.stringMatching(/^rs_[0-9a-f]{48}$/), summary: [], encrypted_content: 'gAAAA_two' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'First.' }, { type: 'output_text', text: 'Second.' }] },
        { type: 'function_call', call_id: shortCallId, name: 'shell', arguments: '{"cmd":"ls"}' },
        { type: 'function_call', call_id: 'call_2', name: 'now', arguments: '{}' },
        { type: 'function_call_output', call_id: shortCallId, output: 'a\nb' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'noon' }, { type: 'input_image', image_url: 'https://e.com/c.png', detail: 'auto' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Go on.' }] },
      ],
      tools: [{ type: 'function', name: 'shell', description: 'Run', parameters: { type: 'object', properties: {} }, strict: false }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_output_tokens: 2000,
      reasoning: { effort: 'medium', summary: 'auto' },
      text: { format: { type: 'json_object' } },
      temperature: 1,
      include: ['reasoning.encrypted_content'],
      store: false,
      stream: true,
    });
    expectDatabricksAccepts(body);
  });

  it('asks for nothing stored or encrypted when there is no reasoning to replay or request, and lifts max_output_tokens to 16', () => {
    const body = encode(irRequest({ stream: false, maxOutputTokens: 1, user: 'u-1', toolChoice: { type: 'tool', name: 'f' }, responseFormat: { type: 'json_schema', name: 'n', schema: { type: 'object' }, strict: true } }));
    expect(body).toEqual({
      model: 'databricks-gpt-5-4',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      tool_choice: { type: 'function', name: 'f' },
      // OpenAI's floor: Claude Code's max_tokens:1 probe must not fail the request.
      max_output_tokens: 16,
      text: { format: { type: 'json_schema', name: 'n', schema: { type: 'object' }, strict: true } },
      user: 'u-1',
      stream: false,
    });
  });

  it('round-trips: IR → upstream request → read back as a client request → the same IR', () => {
    const original: IrRequest = irRequest({
      system: [{ type: 'text', text: 'System prompt.' }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }, { type: 'image', source: { kind: 'url', url: 'https://e.com/a.png' } }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Plan.\n\nAct.', signature: 'gAAAA_sig', provider: 'openai', id: 'rs_1' },
            { type: 'text', text: 'Calling.' },
            { type: 'tool_call', id: 'call_1', name: 'grep', arguments: '{"q":"x"}' },
          ],
        },
        {
          role: 'user',
          parts: [
            { type: 'tool_result', callId: 'call_1', name: 'grep', content: [{ type: 'text', text: 'found' }] },
            { type: 'text', text: 'And now?' },
          ],
        },
      ],
      tools: [{ name: 'grep', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: true }],
      toolChoice: { type: 'auto' },
      parallelToolCalls: true,
      maxOutputTokens: 100,
      temperature: 0.5,
      topP: 0.8,
      reasoning: { effort: 'low', summary: true },
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: false },
      user: 'someone',
      stream: true,
    });
    const wire = encode(original);
    expectDatabricksAccepts(wire);
    expect(openaiResponsesInbound.decodeRequest(wire, context())).toEqual(original);
  });
});
