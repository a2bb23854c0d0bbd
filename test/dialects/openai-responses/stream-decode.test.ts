import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openaiResponsesUpstream } from '../../../src/dialects/openai-responses/codec.js';
import type { Family } from '../../../src/databricks/family.js';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { context, decodeSseBytes, fixture, irRequest } from './helpers.js';
import { comparableErrors, expectWellFormedIr } from '../../helpers/ir-stream-contract.js';

/** What an OpenAI-dialect decoder promises beyond the core contract: start first, only usage between. */
const OPENAI_CHECKS = { startFirst: true, onlyUsageBetween: true } as const;

const encoder = new TextEncoder();

function decode(name: string, family: Family = 'gpt', cuts: readonly number[] = []): IrStreamEvent[] {
  const decoder = openaiResponsesUpstream.createStreamDecoder(irRequest(), context({ family }));
  return decodeSseBytes(decoder, encoder.encode(fixture(name)), cuts);
}

const FIXTURES = [
  'reasoning-then-call.sse',
  'text-rotating-item-ids.sse',
  'arguments-only-on-done.sse',
  'call-seen-only-at-done.sse',
  'incomplete-during-reasoning.sse',
  'refusal.sse',
  'error-mid-stream.sse',
  'cut-before-terminal.sse',
  'databricks-error-frame.sse',
];

describe('openai-responses stream decoder', () => {
  it('reads reasoning (two summary parts joined, final encrypted content as the signature) and a streamed call', () => {
    expect(decode('reasoning-then-call.sse')).toEqual([
      { type: 'start', id: 'resp_0a1b2c3d4e5f60718293a4b5c6d7e8f9', model: 'gpt-5-4-2026-03-05' },
      { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'openai', id: 'rs_0a1b2c3d4e5f60718293a4b5c6d7e8f9aa' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: '**Weighing the request**' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: '\n\nThe user wants' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: ' the café’s' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: ' opening hours.' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: '\n\n' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'I should call' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: ' the lookup tool' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: ' — 🕘 first.' } },
      { type: 'delta', index: 0, delta: { type: 'signature', signature: 'gAAAAABfinalEncryptedContentDoneStage0002==' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'tool_call', id: 'call_Hours01', name: 'lookup_hours' } },
      { type: 'delta', index: 1, delta: { type: 'tool_args', json: '{"place":' } },
      { type: 'delta', index: 1, delta: { type: 'tool_args', json: '"Café Mü' } },
      { type: 'delta', index: 1, delta: { type: 'tool_args', json: 'ller","day"' } },
      { type: 'delta', index: 1, delta: { type: 'tool_args', json: ':"mon"}' } },
      { type: 'block_stop', index: 1 },
      { type: 'usage', usage: { inputTokens: 176, outputTokens: 310, cacheReadTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 256 } },
      { type: 'finish', stopReason: 'tool_use' },
    ]);
  });

  it('follows items by output_index, whatever item ids the events carry (CRLF framing)', () => {
    const events = decode('text-rotating-item-ids.sse');
    const text = events.flatMap((event) => (event.type === 'delta' && event.delta.type === 'text' ? [event.delta.text] : [])).join('');
    expect(text).toBe('Bonjour ! Voilà la réponse: 42 ✅');
    expect(events.filter((event) => event.type === 'block_start')).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'finish', stopReason: 'end_turn' });
  });

  it('sends arguments that arrive only on function_call_arguments.done or output_item.done, and "{}" for none', () => {
    const args = new Map<number, string>();
    for (const event of decode('arguments-only-on-done.sse')) {
      if (event.type === 'delta' && event.delta.type === 'tool_args') args.set(event.index, (args.get(event.index) ?? '') + event.delta.json);
    }
    expect([...args.values()]).toEqual(['{"path":"README.md"}', '{"dir":"src"}', '{}']);
  });

  it('makes a call first seen at output_item.done a whole block, and ignores the same call_id emitted again', () => {
    expect(decode('call-seen-only-at-done.sse')).toEqual([
      { type: 'start', id: 'resp_done_only_0002', model: 'gpt-5-4-2026-03-05' },
      { type: 'block_start', index: 0, block: { type: 'tool_call', id: 'call_Once', name: 'search' } },
      { type: 'delta', index: 0, delta: { type: 'tool_args', json: '{"q":"databricks"}' } },
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { inputTokens: 90, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
      { type: 'finish', stopReason: 'tool_use' },
    ]);
  });

  it('takes the signature from the terminal output when the item .done had none, and maps incomplete to max_tokens', () => {
    const events = decode('incomplete-during-reasoning.sse');
    expect(events.slice(1)).toEqual([
      { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'openai', id: 'rs_cut' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: 'Thinking about the proof' } },
      { type: 'delta', index: 0, delta: { type: 'reasoning', text: '…' } },
      { type: 'delta', index: 0, delta: { type: 'signature', signature: 'gAAAAABterminalOnlyEncrypted' } },
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { inputTokens: 50, outputTokens: 64, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 64 } },
      { type: 'finish', stopReason: 'max_tokens' },
    ]);
  });

  it('shows a refusal as text and stops with refusal', () => {
    const events = decode('refusal.sse');
    expect(events.filter((event) => event.type === 'delta')).toEqual([
      { type: 'delta', index: 0, delta: { type: 'text', text: 'I can’t help' } },
      { type: 'delta', index: 0, delta: { type: 'text', text: ' with that.' } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', stopReason: 'refusal' });
  });

  it('turns a nested error event into one IR error (the response.failed after it adds nothing)', () => {
    const events = decode('error-mid-stream.sse');
    expect(comparableErrors(events.slice(-2))).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', kind: 'rate_limit', message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' },
    ]);
  });

  it('ends a stream cut before its terminal event with an IR error, closing the open call', () => {
    const events = decode('cut-before-terminal.sse');
    expect(comparableErrors(events.slice(-2))).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', kind: 'upstream', message: 'The upstream stream ended before the response was completed', code: undefined },
    ]);
  });

  it("reads Databricks' error frame (no type, message wrapped as JSON)", () => {
    expect(comparableErrors(decode('databricks-error-frame.sse').slice(-1))).toEqual([
      { type: 'error', kind: 'rate_limit', message: 'Exceeded workspace output tokens per minute', code: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
  });

  it('gives no provider to reasoning of a family without a known signer', () => {
    const start = decode('reasoning-then-call.sse', 'other').find((event) => event.type === 'block_start');
    expect(start).toEqual({ type: 'block_start', index: 0, block: { type: 'reasoning', id: 'rs_0a1b2c3d4e5f60718293a4b5c6d7e8f9aa' } });
  });

  it('settles reasoning without encrypted content when the next item starts, keeping output order', () => {
    const decoder = openaiResponsesUpstream.createStreamDecoder(irRequest(), context());
    const feed = (data: object): IrStreamEvent[] => decoder.frame(undefined, JSON.stringify(data));
    feed({ type: 'response.created', response: { id: 'resp_x', model: 'm' } });
    feed({ type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', encrypted_content: 'gAAAA_early', summary: [] } });
    feed({ type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } });
    const next = feed({ type: 'response.output_text.delta', output_index: 1, content_index: 0, delta: 'Hi' });
    expect(next).toEqual([
      { type: 'block_start', index: 0, block: { type: 'reasoning', provider: 'openai', id: 'rs_1' } },
      { type: 'delta', index: 0, delta: { type: 'signature', signature: 'gAAAA_early' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { type: 'text' } },
      { type: 'delta', index: 1, delta: { type: 'text', text: 'Hi' } },
    ]);
    expect(feed({ type: 'response.completed', response: { output: [], usage: null } }).at(-1)).toEqual({ type: 'finish', stopReason: 'end_turn' });
    expect(decoder.end()).toEqual([]);
    expect(feed({ type: 'response.output_text.delta', output_index: 1, content_index: 0, delta: 'late' })).toEqual([]);
  });

  it.each(FIXTURES)('%s decodes to a well-formed IR stream', (name) => {
    expectWellFormedIr(decode(name), OPENAI_CHECKS);
  });

  it.each(FIXTURES)('%s decodes the same however its bytes are split', (name) => {
    const bytes = encoder.encode(fixture(name));
    const whole = comparableErrors(decode(name));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const decoder = openaiResponsesUpstream.createStreamDecoder(irRequest(), context());
        expect(comparableErrors(decodeSseBytes(decoder, bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });
});
