import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessagesStreamDecoder } from '../../../src/dialects/anthropic-messages/stream-decode.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { CONTEXT, decodeSseBytes, fixture } from './helpers.js';
import { expectWellFormedIr } from '../../helpers/ir-stream-contract.js';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
  reasoningTokens: 0,
});

function decode(name: string, cuts: number[] = []): IrStreamEvent[] {
  return decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), new TextEncoder().encode(fixture(name)), cuts);
}

const EXPECTED: Record<string, IrStreamEvent[]> = {
  'text.sse': [
    { type: 'start', id: 'msg_01TextAbc', model: 'claude-sonnet-4-6', usage: usage(12, 1) },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'delta', index: 0, delta: { type: 'text', text: 'Héllo' } },
    { type: 'delta', index: 0, delta: { type: 'text', text: ', wörld ✓' } },
    { type: 'delta', index: 0, delta: { type: 'text', text: '!' } },
    { type: 'block_stop', index: 0 },
    { type: 'usage', usage: usage(12, 9) },
    { type: 'finish', stopReason: 'end_turn' },
  ],
  'thinking-tools.sse': [
    { type: 'start', id: 'msg_01Think', model: 'claude-sonnet-4-6', usage: usage(420, 3, 2048, 128) },
    { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'anthropic' } },
    { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'The user wants the weather' } },
    { type: 'delta', index: 0, delta: { type: 'reasoning', text: ' and the time.' } },
    { type: 'delta', index: 0, delta: { type: 'signature', signature: 'EqQBCkYIBRgCKkBsig+/==' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'delta', index: 1, delta: { type: 'text', text: 'Checking both.' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_call', id: 'toolu_01Weather', name: 'get_weather' } },
    { type: 'delta', index: 2, delta: { type: 'tool_args', json: '{"city": "Par' } },
    { type: 'delta', index: 2, delta: { type: 'tool_args', json: 'is", "unit": "°C"}' } },
    { type: 'block_stop', index: 2 },
    // A tool without arguments: its single `partial_json: ""` carries nothing.
    { type: 'block_start', index: 3, block: { type: 'tool_call', id: 'toolu_01Clock', name: 'get_time' } },
    { type: 'block_stop', index: 3 },
    { type: 'usage', usage: usage(420, 96, 2048, 128) },
    { type: 'finish', stopReason: 'tool_use' },
  ],
  'redacted-thinking.sse': [
    { type: 'start', id: 'msg_01Redacted', model: 'claude-sonnet-4-6', usage: usage(30, 1) },
    {
      type: 'block_start',
      index: 0,
      block: { type: 'redacted_reasoning', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj', provider: 'anthropic' },
    },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'delta', index: 1, delta: { type: 'text', text: 'Done.' } },
    { type: 'block_stop', index: 1 },
    // message_delta repeats only output_tokens here: the rest is kept from message_start.
    { type: 'usage', usage: usage(30, 40) },
    { type: 'finish', stopReason: 'end_turn' },
  ],
  'spliced-message-start.sse': [
    { type: 'start', id: 'msg_01First', model: 'claude-sonnet-4-6', usage: usage(17, 1) },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'delta', index: 0, delta: { type: 'text', text: 'Let me' } },
    // The relay restarted the message: the open block is closed, the second start is ignored, indexes go on.
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'delta', index: 1, delta: { type: 'text', text: 'Let me check.' } },
    { type: 'block_stop', index: 1 },
    { type: 'block_start', index: 2, block: { type: 'tool_call', id: 'toolu_01Second', name: 'lookup' } },
    { type: 'delta', index: 2, delta: { type: 'tool_args', json: '{"q":"x"}' } },
    { type: 'block_stop', index: 2 },
    { type: 'usage', usage: usage(17, 33) },
    { type: 'finish', stopReason: 'tool_use' },
  ],
  'refusal.sse': [
    { type: 'start', id: 'msg_01Refuse', model: 'claude-sonnet-4-6', usage: usage(18, 1) },
    { type: 'usage', usage: usage(18, 5) },
    { type: 'finish', stopReason: 'refusal' },
  ],
  'stop-sequence-crlf.sse': [
    { type: 'start', id: 'msg_01Seq', model: 'claude-sonnet-4-6', usage: usage(7, 1) },
    { type: 'block_start', index: 0, block: { type: 'text' } },
    // The citations_delta and the unknown event in between carry nothing the IR holds.
    { type: 'delta', index: 0, delta: { type: 'text', text: 'one, two, ' } },
    { type: 'block_stop', index: 0 },
    { type: 'usage', usage: usage(7, 6) },
    { type: 'finish', stopReason: 'stop_sequence', stopSequence: 'three' },
  ],
  'context-window.sse': [
    { type: 'start', id: 'msg_01Ctx', model: 'claude-sonnet-4-6', usage: usage(190000, 1) },
    // The server_tool_use block and its delta are skipped; the text block becomes IR block 0.
    { type: 'block_start', index: 0, block: { type: 'text' } },
    { type: 'delta', index: 0, delta: { type: 'text', text: 'Out of room' } },
    { type: 'block_stop', index: 0 },
    { type: 'usage', usage: usage(190000, 3) },
    { type: 'finish', stopReason: 'max_tokens' },
  ],
  'omitted-thinking.sse': [
    { type: 'start', id: 'msg_01Omitted', model: 'claude-sonnet-4-6', usage: usage(30, 1) },
    { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'anthropic' } },
    { type: 'delta', index: 0, delta: { type: 'signature', signature: 'EpoBsigOnly' } },
    { type: 'block_stop', index: 0 },
    { type: 'block_start', index: 1, block: { type: 'text' } },
    { type: 'delta', index: 1, delta: { type: 'text', text: '42' } },
    { type: 'block_stop', index: 1 },
    { type: 'usage', usage: usage(30, 12) },
    { type: 'finish', stopReason: 'end_turn' },
  ],
};

describe('Messages stream decoder', () => {
  it.each(Object.keys(EXPECTED))('decodes %s into the expected IR events', (name) => {
    const events = decode(name);
    expect(events).toEqual(EXPECTED[name]);
    expectWellFormedIr(events);
  });

  it('finishes a stream that ends without message_stop once a stop reason was seen', () => {
    const events = decode('no-message-stop.sse');
    expectWellFormedIr(events);
    expect(events.at(-1)).toEqual({ type: 'finish', stopReason: 'max_tokens' });
  });

  it('closes the open block and fails a stream cut before any stop reason', () => {
    const events = decode('cut-mid-block.sse');
    expectWellFormedIr(events);
    expect(events.at(-2)).toEqual({ type: 'block_stop', index: 0 });
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(ProxyError);
    expect(last?.type === 'error' && last.error.kind).toBe('upstream');
  });

  it('turns an error event into an IR error of the matching kind, after closing the open block', () => {
    const events = decode('overloaded.sse');
    expectWellFormedIr(events);
    expect(events.at(-2)).toEqual({ type: 'block_stop', index: 0 });
    const last = events.at(-1);
    expect(last?.type === 'error' && [last.error.kind, last.error.message]).toEqual(['overloaded', 'Overloaded']);
  });

  it('ignores everything after the terminal event, and end() adds nothing', () => {
    const decoder = new MessagesStreamDecoder(CONTEXT.endpoint);
    decodeSseBytes(decoder, new TextEncoder().encode(fixture('text.sse')));
    expect(decoder.frame('message_start', '{"type":"message_start","message":{}}')).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('starts a stream that skipped message_start before its first block', () => {
    const decoder = new MessagesStreamDecoder(CONTEXT.endpoint);
    const events = decoder.frame('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"hi"}}');
    expect(events[0]).toMatchObject({ type: 'start', model: CONTEXT.endpoint });
    expect(events.slice(1)).toEqual([
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'hi' } },
    ]);
  });

  it('drops deltas that do not fit their block or name no open block', () => {
    const decoder = new MessagesStreamDecoder(CONTEXT.endpoint);
    decoder.frame(undefined, '{"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":1,"output_tokens":1}}}');
    decoder.frame(undefined, '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}');
    expect(decoder.frame(undefined, '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}')).toEqual([]);
    expect(decoder.frame(undefined, '{"type":"content_block_delta","index":5,"delta":{"type":"text_delta","text":"x"}}')).toEqual([]);
    expect(decoder.frame(undefined, 'not json')).toEqual([]);
  });

  it.each(['text.sse', 'thinking-tools.sse', 'spliced-message-start.sse', 'stop-sequence-crlf.sse', 'overloaded.sse', 'cut-mid-block.sse'])(
    'yields the same IR events for %s however its bytes are split',
    (name) => {
      const bytes = new TextEncoder().encode(fixture(name));
      const whole = decode(name);
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
          expect(decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 200 },
      );
    },
  );
});
