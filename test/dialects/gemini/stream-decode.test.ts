import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { geminiUpstream } from '../../../src/dialects/gemini/codec.js';
import { blockStarts, CONTEXT, decodeFixture, expectWellFormed, REQUEST } from './support.js';

function finishOf(events: IrStreamEvent[]): Extract<IrStreamEvent, { type: 'finish' }> | undefined {
  return events.find((event): event is Extract<IrStreamEvent, { type: 'finish' }> => event.type === 'finish');
}

function errorOf(events: IrStreamEvent[]): ProxyError | undefined {
  const event = events.find((item) => item.type === 'error');
  return event?.type === 'error' ? event.error : undefined;
}

function lastUsage(events: IrStreamEvent[]) {
  return events.findLast((event) => event.type === 'usage');
}

describe('gemini stream decoder', () => {
  it('reads plain text, keeps the trailing signature out of the visible text, and ends with end_turn', () => {
    const events = decodeFixture('text');
    expectWellFormed(events);
    expect(events).toEqual([
      { type: 'start', id: 'Xk2pQm7rT1ab', model: 'gemini-3-pro-preview', usage: { inputTokens: 12, outputTokens: 34, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 30 } },
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'Paris is the capital' } },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 34, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 30 } },
      { type: 'delta', index: 0, delta: { type: 'text', text: ' of France.' } },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 37, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 30 } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'reasoning', provider: 'gemini' } },
      { type: 'delta', index: 1, delta: { type: 'signature', signature: 'SIGtextTurnAAA1' } },
      { type: 'block_stop', index: 1 },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 37, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 30 } },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
  });

  it('turns thought parts into one gemini reasoning block before the text, and maps cached usage', () => {
    const events = decodeFixture('reasoning');
    expectWellFormed(events);
    expect(blockStarts(events)).toEqual([{ type: 'reasoning', provider: 'gemini' }, { type: 'text' }, { type: 'reasoning', provider: 'gemini' }]);
    const reasoning = events.flatMap((event) => (event.type === 'delta' && event.delta.type === 'reasoning' ? [event.delta.text] : []));
    expect(reasoning.join('')).toBe('**Weighing the options**\n\nThe user asks for a haiku about rain.');
    const text = events.flatMap((event) => (event.type === 'delta' && event.delta.type === 'text' ? [event.delta.text] : []));
    expect(text.join('')).toBe('Soft rain on tin roofs\nwhispers to the sleeping town\nmorning smells of earth');
    // No visible text block is empty: the signature-only part did not become one.
    expect(events.some((event) => event.type === 'delta' && event.delta.type === 'text' && event.delta.text === '')).toBe(false);
    expect(lastUsage(events)).toEqual({
      type: 'usage',
      usage: { inputTokens: 24, outputTokens: 139, cacheReadTokens: 16, cacheWriteTokens: 0, reasoningTokens: 120 },
    });
    expect(finishOf(events)?.stopReason).toBe('end_turn');
  });

  it('makes each functionCall one complete tool_call block with a minted id and its signature, and STOP with calls a tool_use', () => {
    const events = decodeFixture('tool-calls');
    expectWellFormed(events);
    expect(blockStarts(events)).toEqual([
      { type: 'reasoning', provider: 'gemini' },
      { type: 'tool_call', id: 'call_gemini_Tc5yHw9eK0ef_0', name: 'get_weather', signature: { provider: 'gemini', value: 'SIGcallCCC3' } },
      { type: 'tool_call', id: 'call_gemini_Tc5yHw9eK0ef_1', name: 'get_weather' },
    ]);
    const args = events.flatMap((event) => (event.type === 'delta' && event.delta.type === 'tool_args' ? [{ index: event.index, json: event.delta.json }] : []));
    expect(args).toEqual([
      { index: 1, json: '{"city":"Oslo","unit":"C"}' },
      { index: 2, json: '{"city":"Lima"}' },
    ]);
    // The first chunk's usage (only a trafficType) is not a snapshot: start carries none.
    expect(events[0]).toEqual({ type: 'start', id: 'Tc5yHw9eK0ef', model: 'gemini-3-pro-preview' });
    expect(finishOf(events)?.stopReason).toBe('tool_use');
  });

  it('assembles arguments that stream as partialArgs into one call', () => {
    const events = decodeFixture('streamed-args');
    expectWellFormed(events);
    expect(blockStarts(events)).toEqual([
      { type: 'tool_call', id: 'call_gemini_Pa3zNb6uJ8gh_0', name: 'search_docs', signature: { provider: 'gemini', value: 'SIGpartialDDD4' } },
      { type: 'tool_call', id: 'call_gemini_Pa3zNb6uJ8gh_1', name: 'list_tables' },
    ]);
    const args = events.flatMap((event) => (event.type === 'delta' && event.delta.type === 'tool_args' ? [JSON.parse(event.delta.json) as unknown] : []));
    expect(args).toEqual([{ query: 'vector search', filters: { limit: 5, exact: false }, tags: ['db'] }, {}]);
    expect(finishOf(events)?.stopReason).toBe('tool_use');
  });

  it.each([
    ['max-tokens', 'max_tokens'],
    ['safety', 'refusal'],
    ['blocked-prompt', 'refusal'],
    ['malformed-call', 'error'],
  ] as const)('%s ends with stop reason %s', (name, stopReason) => {
    const events = decodeFixture(name);
    expectWellFormed(events);
    expect(finishOf(events)?.stopReason).toBe(stopReason);
  });

  it('reports a mid-stream Google error as an IR error, after closing the open block', () => {
    const events = decodeFixture('midstream-error');
    expectWellFormed(events);
    const error = errorOf(events);
    expect(error).toBeInstanceOf(ProxyError);
    expect(error?.kind).toBe('overloaded');
    expect(error?.status).toBe(503);
    expect(error?.message).toBe('The model is overloaded. Please try again later.');
    expect(events.at(-2)).toEqual({ type: 'block_stop', index: 0 });
  });

  it("reports a Databricks error body as an IR error, unwrapping its JSON message", () => {
    const events = decodeFixture('databricks-error');
    expectWellFormed(events);
    const error = errorOf(events);
    expect(error?.kind).toBe('rate_limit');
    expect(error?.upstreamCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(error?.message).toBe('Exceeded workspace output tokens per minute rate limit');
  });

  it('ends a stream cut before any finishReason with an IR error', () => {
    const events = decodeFixture('cut-short');
    expectWellFormed(events);
    expect(errorOf(events)?.kind).toBe('upstream');
    expect(finishOf(events)).toBeUndefined();
  });

  it('ends an empty upstream with start and an error', () => {
    const decoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT);
    const events = decoder.end();
    expectWellFormed(events);
    expect(events[0]).toMatchObject({ type: 'start', model: CONTEXT.endpoint });
  });

  it('fails on a frame that is not JSON and ignores everything after its terminal event', () => {
    const decoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT);
    const events = [...decoder.frame(undefined, 'not json'), ...decoder.frame(undefined, '{"candidates":[]}'), ...decoder.end()];
    expectWellFormed(events);
    expect(errorOf(events)?.kind).toBe('upstream');
  });

  it('ignores content after the finishReason but still reads usage sent after it', () => {
    const decoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT);
    const events = [
      ...decoder.frame(undefined, JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Done.' }] }, finishReason: 'STOP' }], responseId: 'r1' })),
      ...decoder.frame(undefined, JSON.stringify({ candidates: [{ content: { parts: [{ text: 'stray' }] } }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } })),
      ...decoder.end(),
    ];
    expectWellFormed(events);
    expect(events.filter((event) => event.type === 'delta')).toEqual([{ type: 'delta', index: 0, delta: { type: 'text', text: 'Done.' } }]);
    expect(events.at(-2)).toEqual({ type: 'usage', usage: { inputTokens: 3, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } });
  });

  it('starts a new reasoning block for thoughts after a signature, and signs an open unsigned one in place', () => {
    const decoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT);
    const chunk = (parts: unknown[]) => decoder.frame(undefined, JSON.stringify({ candidates: [{ content: { parts } }], responseId: 'r2' }));
    const events = [
      ...chunk([{ text: 'first thought', thought: true }]),
      ...chunk([{ text: '', thought: true, thoughtSignature: 'S1' }]),
      ...chunk([{ text: 'second thought', thought: true, thoughtSignature: 'S2' }]),
      ...chunk([{ text: 'visible', thoughtSignature: 'S3' }]),
      ...decoder.frame(undefined, JSON.stringify({ candidates: [{ content: { parts: [] }, finishReason: 'STOP' }] })),
      ...decoder.end(),
    ];
    expectWellFormed(events);
    expect(events.filter((event) => event.type !== 'start')).toEqual([
      { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'gemini' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'first thought' } },
      { type: 'delta', index: 0, delta: { type: 'signature', signature: 'S1' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'reasoning', provider: 'gemini' } },
      { type: 'delta', index: 1, delta: { type: 'reasoning', text: 'second thought' } },
      { type: 'delta', index: 1, delta: { type: 'signature', signature: 'S2' } },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { type: 'text' } },
      { type: 'delta', index: 2, delta: { type: 'text', text: 'visible' } },
      { type: 'block_stop', index: 2 },
      { type: 'block_start', index: 3, block: { type: 'reasoning', provider: 'gemini' } },
      { type: 'delta', index: 3, delta: { type: 'signature', signature: 'S3' } },
      { type: 'block_stop', index: 3 },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
  });

  it('keeps a call id Gemini gave, and mints unique ids per answer when there is no responseId', () => {
    const ids = (responseId?: string) => {
      const decoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT);
      const parts = [{ functionCall: { name: 'a', args: {} } }, { functionCall: { name: 'b', id: 'given-7', args: { x: 1 } } }];
      const events = [...decoder.frame(undefined, JSON.stringify({ candidates: [{ content: { parts }, finishReason: 'STOP' }], ...(responseId ? { responseId } : {}) })), ...decoder.end()];
      return events.flatMap((event) => (event.type === 'block_start' && event.block.type === 'tool_call' ? [event.block.id] : []));
    };
    expect(ids('resp9')).toEqual(['call_gemini_resp9_0', 'given-7']);
    const [first] = ids();
    const [second] = ids();
    expect(first).toMatch(/^call_gemini_[0-9a-f]{32}_0$/);
    expect(first).not.toBe(second);
  });
});
