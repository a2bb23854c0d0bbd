import { APIError } from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessagesStreamDecoder } from '../../../src/dialects/anthropic-messages/stream-decode.js';
import { MessagesStreamEncoder } from '../../../src/dialects/anthropic-messages/stream-encode.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrUsage } from '../../../src/ir/response.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { CONTEXT, decodeSseBytes, expectWellFormedMessagesStream, fixture, sdkFinalMessage, sseEvents } from './helpers.js';

const USAGE: IrUsage = { inputTokens: 20, outputTokens: 7, cacheReadTokens: 100, cacheWriteTokens: 5, reasoningTokens: 0 };

function encodeAll(events: IrStreamEvent[]): string {
  const encoder = new MessagesStreamEncoder(CONTEXT);
  return events.map((event) => encoder.encode(event)).join('');
}

/** An IR stream around the given blocks' events. */
function stream(...body: IrStreamEvent[]): IrStreamEvent[] {
  return [{ type: 'start', id: 'chatcmpl-abc', model: 'gpt-5', usage: { ...USAGE, outputTokens: 0 } }, ...body, { type: 'usage', usage: USAGE }, { type: 'finish', stopReason: 'end_turn' }];
}

describe('Messages stream encoder: upstream Messages streams through the IR and back', () => {
  it.each(['text.sse', 'thinking-tools.sse', 'redacted-thinking.sse', 'omitted-thinking.sse', 'spliced-message-start.sse', 'refusal.sse', 'stop-sequence-crlf.sse', 'no-message-stop.sse'])(
    '%s reaches the Anthropic SDK well formed',
    async (name) => {
      const events = decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), new TextEncoder().encode(fixture(name)));
      const sse = encodeAll(events);
      expectWellFormedMessagesStream(sse);
      const message = await sdkFinalMessage(sse);
      expect(message.model).toBe(CONTEXT.clientModel);
      expect(message.stop_reason).not.toBeNull();
    },
  );

  it('keeps thinking, signatures, tool calls, stop reason and usage', async () => {
    const events = decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), new TextEncoder().encode(fixture('thinking-tools.sse')));
    const message = await sdkFinalMessage(encodeAll(events));
    expect(message.id).toBe('msg_01Think');
    expect(message.content).toMatchObject([
      { type: 'thinking', thinking: 'The user wants the weather and the time.', signature: 'EqQBCkYIBRgCKkBsig+/==' },
      { type: 'text', text: 'Checking both.' },
      { type: 'tool_use', id: 'toolu_01Weather', name: 'get_weather', input: { city: 'Paris', unit: '°C' } },
      { type: 'tool_use', id: 'toolu_01Clock', name: 'get_time', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 420, output_tokens: 96, cache_read_input_tokens: 2048, cache_creation_input_tokens: 128 });
  });

  it('sends a tool without arguments exactly one empty input_json_delta', () => {
    const events = decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), new TextEncoder().encode(fixture('thinking-tools.sse')));
    const deltas = sseEvents(encodeAll(events)).filter((e) => e.data.type === 'content_block_delta' && e.data.index === 3);
    expect(deltas.map((e) => e.data.delta)).toEqual([{ type: 'input_json_delta', partial_json: '' }]);
  });

  it('puts the signature right before the thinking block stops, and keeps the redacted block whole', () => {
    const events = decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), new TextEncoder().encode(fixture('thinking-tools.sse')));
    const types = sseEvents(encodeAll(events)).map((e) => (e.data.type === 'content_block_delta' ? (e.data.delta as { type: string }).type : e.data.type));
    expect(types.slice(0, 6)).toEqual(['message_start', 'content_block_start', 'thinking_delta', 'thinking_delta', 'signature_delta', 'content_block_stop']);
    const redacted = decodeSseBytes(new MessagesStreamDecoder(CONTEXT.endpoint), new TextEncoder().encode(fixture('redacted-thinking.sse')));
    const start = sseEvents(encodeAll(redacted))[1];
    expect(start?.data.content_block).toEqual({ type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj' });
  });
});

describe('Messages stream encoder: IR from other upstreams', () => {
  it('echoes the client model, prefixes a foreign id with msg_, and reports usage at start and cumulatively at the end', async () => {
    const sse = encodeAll(stream({ type: 'block_start', index: 0, block: { type: 'text' } }, { type: 'delta', index: 0, delta: { type: 'text', text: 'hi' } }, { type: 'block_stop', index: 0 }));
    expectWellFormedMessagesStream(sse);
    const [start, , , , delta] = sseEvents(sse);
    expect(start?.data.message).toMatchObject({ id: 'msg_chatcmpl-abc', model: CONTEXT.clientModel, usage: { input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 0 } });
    expect(delta?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 20, cache_creation_input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 7 },
    });
  });

  it('shows reasoning nobody signed as thinking with an empty signature, and tags another provider’s signature', async () => {
    const sse = encodeAll(
      stream(
        { type: 'block_start', index: 0, block: { type: 'reasoning' } },
        { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'plain thoughts' } },
        { type: 'block_stop', index: 0 },
        { type: 'block_start', index: 1, block: { type: 'reasoning', provider: 'openai', id: 'rs_1' } },
        { type: 'delta', index: 1, delta: { type: 'reasoning', text: 'summary' } },
        { type: 'delta', index: 1, delta: { type: 'signature', signature: 'gAAAAold' } },
        { type: 'delta', index: 1, delta: { type: 'signature', signature: 'gAAAAnew' } },
        { type: 'block_stop', index: 1 },
      ),
    );
    expectWellFormedMessagesStream(sse);
    const message = await sdkFinalMessage(sse);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'plain thoughts', signature: '' },
      { type: 'thinking', thinking: 'summary', signature: 'dbxsig.openai.gAAAAnew' },
    ]);
  });

  it('carries a Gemini call signature inside the tool_use id', async () => {
    const signature = { provider: 'gemini' as const, value: 'CiQBsig' };
    const sse = encodeAll(
      stream(
        { type: 'block_start', index: 0, block: { type: 'tool_call', id: 'call_1', name: 'ls', signature } },
        { type: 'delta', index: 0, delta: { type: 'tool_args', json: '{"path":"."}' } },
        { type: 'block_stop', index: 0 },
      ),
    );
    const message = await sdkFinalMessage(sse);
    const block = message.content[0];
    expect(block?.type === 'tool_use' && block.id).toBe('call_1');
    expect(block?.type === 'tool_use' && block.input).toEqual({ path: '.' });
  });

  it('leaves out blocks with nothing in them, keeping indexes contiguous', async () => {
    const sse = encodeAll(
      stream(
        { type: 'block_start', index: 0, block: { type: 'text' } },
        { type: 'delta', index: 0, delta: { type: 'text', text: '' } },
        { type: 'block_stop', index: 0 },
        { type: 'block_start', index: 1, block: { type: 'reasoning', provider: 'gemini' } },
        { type: 'block_stop', index: 1 },
        { type: 'block_start', index: 2, block: { type: 'text' } },
        { type: 'delta', index: 2, delta: { type: 'text', text: 'kept' } },
        { type: 'block_stop', index: 2 },
      ),
    );
    expectWellFormedMessagesStream(sse);
    expect((await sdkFinalMessage(sse)).content).toEqual([{ type: 'text', text: 'kept' }]);
  });

  it('writes overlapping IR blocks one after the other', async () => {
    const sse = encodeAll(
      stream(
        { type: 'block_start', index: 0, block: { type: 'tool_call', id: 'call_a', name: 'a' } },
        { type: 'block_start', index: 1, block: { type: 'tool_call', id: 'call_b', name: 'b' } },
        { type: 'delta', index: 1, delta: { type: 'tool_args', json: '{"b":' } },
        { type: 'delta', index: 0, delta: { type: 'tool_args', json: '{"a":1}' } },
        { type: 'delta', index: 1, delta: { type: 'tool_args', json: '2}' } },
        { type: 'block_stop', index: 1 },
        { type: 'block_stop', index: 0 },
      ),
    );
    expectWellFormedMessagesStream(sse);
    expect((await sdkFinalMessage(sse)).content).toMatchObject([
      { type: 'tool_use', id: 'call_a', input: { a: 1 } },
      { type: 'tool_use', id: 'call_b', input: { b: 2 } },
    ]);
  });

  it('closes the open block, then sends the error and message_stop; the SDK raises the error type', async () => {
    const sse = encodeAll([
      { type: 'start', id: 'resp_1', model: 'gpt-5' },
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'Sta' } },
      { type: 'error', error: new ProxyError('overloaded', 'Overloaded') },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
    expectWellFormedMessagesStream(sse);
    expect(sseEvents(sse).map((e) => e.data.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'error', 'message_stop']);
    const failure = await sdkFinalMessage(sse).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).type).toBe('overloaded_error');
  });

  it('answers an error before anything else with the error and message_stop only', () => {
    const sse = encodeAll([{ type: 'error', error: new ProxyError('rate_limit', 'Slow down') }]);
    expect(sseEvents(sse).map((e) => [e.event, e.data.type])).toEqual([
      ['error', 'error'],
      ['message_stop', 'message_stop'],
    ]);
  });

  it('writes nothing after the terminal event', () => {
    const encoder = new MessagesStreamEncoder(CONTEXT);
    for (const event of stream()) encoder.encode(event);
    expect(encoder.encode({ type: 'error', error: new ProxyError('upstream', 'late') })).toBe('');
  });
});

type BlockSpec =
  | { kind: 'text'; chunks: string[] }
  | { kind: 'reasoning'; chunks: string[]; signature: string | undefined }
  | { kind: 'tool'; id: string; args: Record<string, string>; cuts: number[] };

const blockSpec: fc.Arbitrary<BlockSpec> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), chunks: fc.array(fc.string(), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('reasoning' as const), chunks: fc.array(fc.string(), { maxLength: 4 }), signature: fc.option(fc.string({ minLength: 1 }), { nil: undefined }) }),
  fc.record({
    kind: fc.constant('tool' as const),
    id: fc.stringMatching(/^call_[a-z0-9]{1,8}$/),
    args: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  }),
);

/** One block's IR events, in order. */
function blockEvents(spec: BlockSpec, index: number): IrStreamEvent[] {
  const body = (): IrStreamEvent[] => {
    switch (spec.kind) {
      case 'text':
        return spec.chunks.map((text) => ({ type: 'delta', index, delta: { type: 'text', text } }));
      case 'reasoning':
        return [
          ...spec.chunks.map((text): IrStreamEvent => ({ type: 'delta', index, delta: { type: 'reasoning', text } })),
          ...(spec.signature ? [{ type: 'delta', index, delta: { type: 'signature', signature: spec.signature } } as const] : []),
        ];
      case 'tool': {
        const json = Object.keys(spec.args).length === 0 ? '' : JSON.stringify(spec.args);
        const points = [0, ...spec.cuts.map((cut) => cut % (json.length + 1)).sort((a, b) => a - b), json.length];
        return points.slice(1).map((end, i) => ({ type: 'delta', index, delta: { type: 'tool_args', json: json.slice(points[i], end) } }));
      }
    }
  };
  const start = spec.kind === 'tool' ? ({ type: 'tool_call', id: spec.id, name: 'fn' } as const) : ({ type: spec.kind } as const);
  return [{ type: 'block_start', index, block: start }, ...body(), { type: 'block_stop', index }];
}

/** Interleaves the blocks' events, keeping each block's order and starting blocks in index order. */
function interleave(blocks: IrStreamEvent[][], picks: number[]): IrStreamEvent[] {
  const queues = blocks.map((events) => [...events]);
  const out: IrStreamEvent[] = [];
  let started = 0;
  let pick = 0;
  while (queues.some((queue) => queue.length > 0)) {
    const ready = queues.map((queue, i) => ({ queue, i })).filter(({ queue, i }) => queue.length > 0 && (i < started || i === started));
    const chosen = ready[(picks[pick++ % Math.max(1, picks.length)] ?? 0) % ready.length];
    if (!chosen) break;
    if (chosen.i === started) started += 1;
    out.push(chosen.queue.shift() as IrStreamEvent);
  }
  return out;
}

/** The blocks of the whole message: a bare signature (no thinking text) after answer text is not written (Claude Code takes the last block as its result). */
function expectedMessage(specs: readonly BlockSpec[]): unknown[] {
  const afterText = (i: number) => specs.slice(0, i).some((spec) => spec.kind === 'text' && spec.chunks.join('') !== '');
  return specs.flatMap((spec, i) => (spec.kind === 'reasoning' && spec.chunks.join('') === '' && afterText(i) ? [] : expectedContent(spec)));
}

function expectedContent(spec: BlockSpec): unknown[] {
  switch (spec.kind) {
    case 'text': {
      const text = spec.chunks.join('');
      return text === '' ? [] : [{ type: 'text', text }];
    }
    case 'reasoning': {
      const thinking = spec.chunks.join('');
      return thinking === '' && !spec.signature ? [] : [{ type: 'thinking', thinking, signature: spec.signature ?? '' }];
    }
    case 'tool':
      return [{ type: 'tool_use', id: spec.id, name: 'fn', input: spec.args }];
  }
}

describe('Messages stream encoder: any IR stream', () => {
  it('is well formed for the SDK and the client, and loses no content', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(blockSpec, { maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.constantFrom('end_turn', 'tool_use', 'max_tokens', 'refusal', 'stop_sequence', 'pause_turn', 'error') as fc.Arbitrary<'end_turn'>,
        async (specs, picks, stopReason) => {
          const events: IrStreamEvent[] = [
            { type: 'start', id: 'x', model: 'm' },
            ...interleave(specs.map(blockEvents), picks),
            { type: 'usage', usage: USAGE },
            { type: 'finish', stopReason },
          ];
          const sse = encodeAll(events);
          expectWellFormedMessagesStream(sse);
          const message = await sdkFinalMessage(sse);
          expect(message.content).toMatchObject(expectedMessage(specs));
          expect(message.content).toHaveLength(expectedMessage(specs).length);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("Gemini's closing signature part", () => {
  it('a bare signature after the answer text is not written, so the text stays the last block; before any text it is', async () => {
    const events = (blocks: IrStreamEvent[]): IrStreamEvent[] => [{ type: 'start', id: 'x', model: 'm' }, ...blocks, { type: 'usage', usage: USAGE }, { type: 'finish', stopReason: 'end_turn' }];
    const text: IrStreamEvent[] = [
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'TOKEN-1' } },
      { type: 'block_stop', index: 0 },
    ];
    const signature = (index: number): IrStreamEvent[] => [
      { type: 'block_start', index, block: { type: 'reasoning', provider: 'gemini' } },
      { type: 'delta', index, delta: { type: 'signature', signature: 'c2ln' } },
      { type: 'block_stop', index },
    ];
    const trailing = await sdkFinalMessage(encodeAll(events([...text, ...signature(1)])));
    expect(trailing.content).toEqual([{ type: 'text', text: 'TOKEN-1' }]);
    const leading = await sdkFinalMessage(encodeAll(events([...signature(0), ...text.map((event) => ({ ...event, index: 1 }))])));
    expect(leading.content.map((block) => block.type)).toEqual(['thinking', 'text']);
  });
});
