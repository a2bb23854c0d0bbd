import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openaiChatUpstream } from '../../../src/dialects/openai-chat/codec.js';
import type { Family } from '../../../src/databricks/family.js';
import { ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { context, decodeSseBytes, fixture, irRequest } from './helpers.js';
import { comparableErrors, expectWellFormedIr } from '../../helpers/ir-stream-contract.js';

/** What an OpenAI-dialect decoder promises beyond the core contract: start first, only usage between. */
const OPENAI_CHECKS = { startFirst: true, onlyUsageBetween: true } as const;

const encoder = new TextEncoder();

function decode(name: string, family: Family = 'llama', cuts: readonly number[] = []): IrStreamEvent[] {
  const decoder = openaiChatUpstream.createStreamDecoder(irRequest(), context({ family }));
  return decodeSseBytes(decoder, encoder.encode(fixture(name)), cuts);
}

const FIXTURES: [string, Family][] = [
  ['text-usage-on-finish.sse', 'llama'],
  ['text-trailing-usage.sse', 'qwen'],
  ['claude-reasoning-tool.sse', 'claude'],
  ['claude-redacted.sse', 'claude'],
  ['parallel-tools.sse', 'other'],
  ['interleaved-tools.sse', 'llama'],
  ['minimal-chunks-no-done.sse', 'other'],
  ['whole-call-reasoning-outside.sse', 'other'],
  ['cut-before-finish.sse', 'gemma'],
  ['error-mid-stream.sse', 'claude'],
  ['tool-index-from-one.sse', 'claude'],
];

describe('openai-chat stream decoder', () => {
  it('reads text with usage on the finish chunk, holding finish until [DONE]', () => {
    expect(decode('text-usage-on-finish.sse')).toEqual([
      { type: 'start', id: 'chatcmpl-db1', model: 'databricks-meta-llama-3-3-70b-instruct' },
      { type: 'block_start', index: 0, block: { type: 'text' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: 'Héllo' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: ', world ✓' } },
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', stopReason: 'end_turn' },
    ]);
  });

  it('holds finish until the trailing usage chunk, and subtracts cached tokens from input', () => {
    const events = decode('text-trailing-usage.sse', 'qwen');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 8, outputTokens: 2, cacheReadTokens: 32, cacheWriteTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', stopReason: 'max_tokens' },
    ]);
  });

  it('turns Databricks list-content reasoning into a signed Anthropic reasoning block, then text and a tool call', () => {
    expect(decode('claude-reasoning-tool.sse', 'claude')).toEqual([
      { type: 'start', id: 'chatcmpl-cl3', model: 'databricks-claude-sonnet-4-6' },
      { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'anthropic' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'The user wants ' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'the weather.' } },
      { type: 'delta', index: 0, delta: { type: 'signature', signature: 'EqQBsig0001==' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'text' } },
      { type: 'delta', index: 1, delta: { type: 'text', text: 'Let me check.' } },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { type: 'tool_call', id: 'toolu_01A', name: 'get_weather' } },
      { type: 'delta', index: 2, delta: { type: 'tool_args', json: '{"city": "Pa' } },
      { type: 'delta', index: 2, delta: { type: 'tool_args', json: 'ris"}' } },
      { type: 'block_stop', index: 2 },
      { type: 'usage', usage: { inputTokens: 54, outputTokens: 58, cacheReadTokens: 256, cacheWriteTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', stopReason: 'tool_use' },
    ]);
  });

  it('reads summary_encrypted_text as a redacted block, and a new signed item as a new block', () => {
    const blocks = decode('claude-redacted.sse', 'claude').filter((event) => event.type === 'block_start');
    expect(blocks.map((event) => event.block)).toEqual([
      { type: 'redacted_reasoning', data: 'RED4CT3D-opaque', provider: 'anthropic' },
      { type: 'reasoning', provider: 'anthropic' },
      { type: 'text' },
    ]);
  });

  it('opens one tool block per upstream index, after reasoning_content', () => {
    const events = decode('parallel-tools.sse', 'other');
    const starts = events.flatMap((event) => (event.type === 'block_start' ? [event.block] : []));
    expect(starts).toEqual([
      { type: 'reasoning' },
      { type: 'tool_call', id: 'call_a', name: 'get_weather' },
      { type: 'tool_call', id: 'call_b', name: 'get_weather' },
    ]);
    expect(argumentsByBlock(events)).toEqual({ 1: '{"city":"Oslo"}', 2: '{"city":"Lima"}' });
    expect(events.at(-1)).toEqual({ type: 'finish', stopReason: 'tool_use' });
  });

  it('never interleaves blocks when upstream fragments of parallel calls interleave', () => {
    const events = decode('interleaved-tools.sse');
    expectWellFormedIr(events, OPENAI_CHECKS);
    const starts = events.flatMap((event) => (event.type === 'block_start' && event.block.type === 'tool_call' ? [event.block.name] : []));
    expect(starts).toEqual(['read', 'list', 'noop']);
    expect(argumentsByBlock(events)).toEqual({ 0: '{"path":"a.txt"}', 1: '{"dir":"src"}', 2: '{}' });
  });

  it('accepts chunks without id, object, created or model, and a missing [DONE]', () => {
    const events = decode('minimal-chunks-no-done.sse', 'other');
    expect(events[0]).toMatchObject({ type: 'start', model: 'databricks-meta-llama-3-3-70b-instruct' });
    expect((events[0] as { id: string }).id).toMatch(/^chatcmpl-/);
    expect(events.at(-1)).toEqual({ type: 'finish', stopReason: 'end_turn' });
  });

  it('takes a whole call in one chunk, and counts reasoning reported outside completion_tokens', () => {
    const events = decode('whole-call-reasoning-outside.sse', 'other');
    expect(argumentsByBlock(events)).toEqual({ 1: '{"location":"Quito"}' });
    expect(events.find((event) => event.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 1, outputTokens: 220, cacheReadTokens: 299, cacheWriteTokens: 0, reasoningTokens: 200 },
    });
  });

  it('gives an empty tool input as {} and keys calls by their index even when it starts at 1', () => {
    const events = decode('tool-index-from-one.sse', 'claude');
    expect(argumentsByBlock(events)).toEqual({ 1: '{}' });
  });

  it('reports an upstream that ends before any finish_reason as an error, closing the open block', () => {
    const events = decode('cut-before-finish.sse', 'gemma');
    expectWellFormedIr(events, OPENAI_CHECKS);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error.kind).toBe('upstream');
  });

  it('turns a Databricks error frame into an IR error, unwrapping its JSON message', () => {
    const last = decode('error-mid-stream.sse', 'claude').at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(ProxyError);
    expect(comparableErrors([last as IrStreamEvent])).toEqual([
      { type: 'error', kind: 'rate_limit', message: 'Output tokens per minute limit exceeded', code: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
  });

  it('turns an OpenAI-shaped error frame into an IR error', () => {
    const decoder = openaiChatUpstream.createStreamDecoder(irRequest(), context());
    const events = decoder.frame(undefined, '{"error":{"message":"slow down","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}');
    expect(comparableErrors(events)).toEqual([
      expect.objectContaining({ type: 'start' }),
      { type: 'error', kind: 'rate_limit', message: 'slow down', code: 'rate_limit_exceeded' },
    ]);
    expect(decoder.end()).toEqual([]);
  });

  it('infers the stop reason when [DONE] comes without a finish_reason', () => {
    const decoder = openaiChatUpstream.createStreamDecoder(irRequest(), context());
    decoder.frame(undefined, '{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]}}]}');
    expect(decoder.frame(undefined, '[DONE]').at(-1)).toEqual({ type: 'finish', stopReason: 'tool_use' });
  });

  it.each(FIXTURES)('%s decodes to a well-formed IR stream', (name, family) => {
    expectWellFormedIr(decode(name, family), OPENAI_CHECKS);
  });

  it.each(FIXTURES)('%s yields the same IR events however its bytes are split', (name, family) => {
    const bytes = encoder.encode(fixture(name));
    const whole = comparableErrors(withoutMintedIds(decode(name, family)));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), (cuts) => {
        const decoder = openaiChatUpstream.createStreamDecoder(irRequest(), context({ family }));
        expect(comparableErrors(withoutMintedIds(decodeSseBytes(decoder, bytes, cuts)))).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });
});

/** The concatenated tool arguments of each tool block, by IR index. */
function argumentsByBlock(events: IrStreamEvent[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const event of events) {
    if (event.type === 'block_start' && event.block.type === 'tool_call') out[event.index] = '';
    if (event.type === 'delta' && event.delta.type === 'tool_args') out[event.index] += event.delta.json;
  }
  return out;
}

/** Ids minted for chunks that carry none are random; the property compares everything else. */
function withoutMintedIds(events: IrStreamEvent[]): IrStreamEvent[] {
  return events.map((event) => (event.type === 'start' && event.id.startsWith('chatcmpl-') && event.id.length > 30 ? { ...event, id: 'minted' } : event));
}
