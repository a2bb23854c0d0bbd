import { describe, expect, it } from 'vitest';
import {
  completedStopReason,
  effortForBudget,
  irUsage,
  RESPONSE_ENDING,
  stopReasonForIncomplete,
  wireToolChoice,
  wireUsage,
} from '../../../src/dialects/openai-responses/maps.js';
import { irEffortOf, irSimpleToolChoice } from '../../../src/dialects/common/openai-request.js';
import type { IrStopReason } from '../../../src/ir/response.js';

describe('openai-responses mapping tables', () => {
  it('ends each IR stop reason the Responses way (wire-formats §5.1)', () => {
    const endings: Record<IrStopReason, string> = {
      end_turn: 'completed',
      stop_sequence: 'completed',
      tool_use: 'completed',
      pause_turn: 'completed',
      max_tokens: 'incomplete/max_output_tokens',
      refusal: 'incomplete/content_filter',
      error: 'failed',
    };
    for (const [stop, expected] of Object.entries(endings)) {
      const ending = RESPONSE_ENDING[stop as IrStopReason];
      expect([ending.status, ending.incompleteReason].filter(Boolean).join('/')).toBe(expected);
    }
  });

  it('reads incomplete reasons and completed answers back into stop reasons', () => {
    expect(stopReasonForIncomplete('max_output_tokens')).toBe('max_tokens');
    expect(stopReasonForIncomplete('content_filter')).toBe('refusal');
    expect(stopReasonForIncomplete('something_new')).toBe('max_tokens');
    expect(stopReasonForIncomplete(undefined)).toBe('max_tokens');
    expect(completedStopReason({ toolCall: true, refusal: true })).toBe('tool_use');
    expect(completedStopReason({ toolCall: false, refusal: true })).toBe('refusal');
    expect(completedStopReason({ toolCall: false, refusal: false })).toBe('end_turn');
  });

  it('maps tool_choice both ways (§5.2)', () => {
    for (const word of ['auto', 'none', 'required'] as const) {
      const ir = irSimpleToolChoice(word);
      expect(ir).toEqual({ type: word });
      expect(wireToolChoice(ir!)).toBe(word);
    }
    expect(irSimpleToolChoice('any')).toBeUndefined();
    expect(wireToolChoice({ type: 'tool', name: 'grep' })).toEqual({ type: 'function', name: 'grep' });
  });

  it('reads efforts, "none" meaning no reasoning setting', () => {
    expect(irEffortOf('none')).toBeNull();
    expect(irEffortOf('xhigh')).toBe('xhigh');
    expect(irEffortOf('turbo')).toBeUndefined();
  });

  it('maps a thinking budget to an effort: ≤2048 low, ≤8192 medium, else high', () => {
    expect([1024, 2048, 2049, 8192, 8193, 64000].map(effortForBudget)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });

  it('counts cache reads and writes inside input_tokens, and takes them out again', () => {
    const ir = { inputTokens: 100, outputTokens: 50, cacheReadTokens: 1000, cacheWriteTokens: 20, reasoningTokens: 30 };
    const wire = wireUsage(ir);
    expect(wire).toEqual({
      input_tokens: 1120,
      input_tokens_details: { cached_tokens: 1000, cache_write_tokens: 20 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 30 },
      total_tokens: 1170,
    });
    expect(irUsage(wire as unknown as Record<string, unknown>)).toEqual(ir);
    // Real OpenAI usage has no cache-write count.
    expect(irUsage({ input_tokens: 7243, input_tokens_details: { cached_tokens: 3072 }, output_tokens: 423, output_tokens_details: { reasoning_tokens: 58 } })).toEqual({
      inputTokens: 4171,
      outputTokens: 423,
      cacheReadTokens: 3072,
      cacheWriteTokens: 0,
      reasoningTokens: 58,
    });
  });
});
