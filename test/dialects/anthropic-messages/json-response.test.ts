import { describe, expect, it } from 'vitest';
import { anthropicMessagesUpstream } from '../../../src/dialects/anthropic-messages/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { CONTEXT, request } from './helpers.js';

/**
 * Structured output toward Claude as a `json_response` tool: what the encoder
 * sends, and how answers and streams come back (the call becomes JSON text).
 */
const SCHEMA = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
const READ_FILE = { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } };
const structured = (overrides: Partial<IrRequest> = {}): IrRequest =>
  request({ responseFormat: { type: 'json_schema', name: 'count', schema: SCHEMA }, ...overrides });

const usage = { input_tokens: 3, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

/** An Anthropic SSE stream of the given events, each with its type as the event name. */
function decodeStream(ir: IrRequest, events: Record<string, unknown>[]): IrStreamEvent[] {
  const decoder = anthropicMessagesUpstream.createStreamDecoder(ir, CONTEXT);
  const out = events.flatMap((event) => decoder.frame(event.type as string, JSON.stringify(event)));
  return [...out, ...decoder.end()];
}

const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage } };
const toolStart = (index: number, name: string) => ({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: `toolu_${index}`, name, input: {} } });
const args = (index: number, json: string) => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json } });
const stop = (index: number) => ({ type: 'content_block_stop', index });
const end = [{ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 5 } }, { type: 'message_stop' }];

describe('encoding', () => {
  it('without client tools: one forced tool with the schema as input_schema, thinking off', () => {
    const body = anthropicMessagesUpstream.encodeRequest(structured({ reasoning: { effort: 'high' } }), CONTEXT);
    expect(body.tools).toEqual([{ name: 'json_response', description: expect.stringContaining("'count'"), input_schema: SCHEMA }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_response', disable_parallel_tool_use: true });
    expect(body).not.toHaveProperty('thinking');
  });

  it('json_object: an open object schema; a schema without a type gets `type: object`', () => {
    const open = anthropicMessagesUpstream.encodeRequest(request({ responseFormat: { type: 'json_object' } }), CONTEXT);
    expect((open.tools as { input_schema: unknown }[])[0]?.input_schema).toEqual({ type: 'object' });
    const untyped = anthropicMessagesUpstream.encodeRequest(structured({ responseFormat: { type: 'json_schema', name: 'x', schema: { properties: {} } } }), CONTEXT);
    expect((untyped.tools as { input_schema: unknown }[])[0]?.input_schema).toEqual({ properties: {}, type: 'object' });
  });

  it("with client tools: offered alongside, the client's choice and thinking kept", () => {
    const body = anthropicMessagesUpstream.encodeRequest(
      structured({ tools: [READ_FILE], toolChoice: { type: 'auto' }, reasoning: { effort: 'low' }, maxOutputTokens: 8000 }),
      CONTEXT,
    );
    expect((body.tools as { name: string }[]).map((tool) => tool.name)).toEqual(['read_file', 'json_response']);
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(body).toHaveProperty('thinking');
  });

  it('with client tools and tool_choice none: the JSON tool is forced (no client tool may be called anyway)', () => {
    const body = anthropicMessagesUpstream.encodeRequest(structured({ tools: [READ_FILE], toolChoice: { type: 'none' } }), CONTEXT);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_response', disable_parallel_tool_use: true });
  });

  it('no response format: no extra tool', () => {
    const body = anthropicMessagesUpstream.encodeRequest(request(), CONTEXT);
    expect(body).not.toHaveProperty('tools');
  });
});

describe('whole answers', () => {
  const answer = (content: unknown[], stop_reason = 'tool_use') => ({
    id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content, stop_reason, stop_sequence: null, usage,
  });
  const call = (name: string, input: unknown, id = 'toolu_1') => ({ type: 'tool_use', id, name, input });

  it('the JSON call becomes text and the stop reason end_turn', () => {
    const decoded = anthropicMessagesUpstream.decodeResponse(answer([call('json_response', { n: 3 })]), CONTEXT, structured());
    expect(decoded.content).toEqual([{ type: 'text', text: '{"n":3}' }]);
    expect(decoded.stopReason).toBe('end_turn');
  });

  it('a client tool call is kept (with its stop reason), a second JSON call dropped', () => {
    const decoded = anthropicMessagesUpstream.decodeResponse(
      answer([call('json_response', { n: 1 }), call('read_file', { path: 'a' }, 'toolu_2'), call('json_response', { n: 2 }, 'toolu_3')]),
      CONTEXT,
      structured({ tools: [READ_FILE] }),
    );
    expect(decoded.content.map((part) => part.type)).toEqual(['text', 'tool_call']);
    expect(decoded.stopReason).toBe('tool_use');
  });

  it('without a response format (or without the request) nothing is unwrapped', () => {
    const body = answer([call('json_response', { n: 3 })]);
    expect(anthropicMessagesUpstream.decodeResponse(body, CONTEXT, request()).content[0]?.type).toBe('tool_call');
    expect(anthropicMessagesUpstream.decodeResponse(body, CONTEXT).content[0]?.type).toBe('tool_call');
  });
});

describe('streams', () => {
  it('argument fragments become text deltas; the stop reason end_turn', () => {
    const events = decodeStream(structured(), [start, toolStart(0, 'json_response'), args(0, '{"n":'), args(0, '3}'), stop(0), ...end]);
    expect(events.filter((event) => event.type !== 'usage')).toEqual([
      { type: 'start', id: expect.any(String), model: 'm', usage: expect.any(Object) },
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: '{"n":' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: '3}' } },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
  });

  it('a call without argument fragments reads as `{}`, as its whole answer would', () => {
    const events = decodeStream(request({ responseFormat: { type: 'json_object' } }), [start, toolStart(0, 'json_response'), stop(0), ...end]);
    expect(events.filter((event) => event.type === 'delta')).toEqual([{ type: 'delta', index: 0, delta: { type: 'text', text: '{}' } }]);
  });

  it('a second JSON call is dropped and the blocks after it renumbered; a client call keeps tool_use', () => {
    const events = decodeStream(structured({ tools: [READ_FILE] }), [
      start,
      toolStart(0, 'json_response'), args(0, '{"n":1}'), stop(0),
      toolStart(1, 'json_response'), args(1, '{"n":2}'), stop(1),
      toolStart(2, 'read_file'), args(2, '{"path":"a"}'), stop(2),
      ...end,
    ]);
    const starts = events.filter((event) => event.type === 'block_start');
    expect(starts).toEqual([
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'block_start', index: 1, block: { type: 'tool_call', id: 'toolu_2', name: 'read_file' } },
    ]);
    expect(events).toContainEqual({ type: 'delta', index: 1, delta: { type: 'tool_args', json: '{"path":"a"}' } });
    expect(events.some((event) => event.type === 'delta' && event.delta.type === 'text' && event.delta.text.includes('2'))).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'finish', stopReason: 'tool_use' });
  });
});
