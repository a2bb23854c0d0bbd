import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatToolChoice, chatUsage, effortForBudget, FINISH_REASON, irUsage, stopReasonOf } from '../../../src/dialects/openai-chat/maps.js';
import { irEffortOf, irSimpleToolChoice } from '../../../src/dialects/common/openai-request.js';
import type { IrToolChoice } from '../../../src/ir/request.js';

describe('openai-chat mapping tables', () => {
  it('maps stop reasons per wire-formats §5.1, and every finish_reason back to a stop reason', () => {
    expect(FINISH_REASON).toEqual({
      end_turn: 'stop',
      stop_sequence: 'stop',
      tool_use: 'tool_calls',
      max_tokens: 'length',
      refusal: 'content_filter',
      pause_turn: 'stop',
      error: 'stop',
    });
    for (const finishReason of ['tool_calls', 'length', 'content_filter'] as const) {
      const stopReason = stopReasonOf(finishReason);
      expect(FINISH_REASON[stopReason]).toBe(finishReason);
    }
    expect(stopReasonOf('__proto__')).toBe('end_turn');
  });

  it('round-trips every tool choice', () => {
    const choices: IrToolChoice[] = [{ type: 'auto' }, { type: 'none' }, { type: 'required' }, { type: 'tool', name: 'read' }];
    for (const choice of choices) {
      const wire = chatToolChoice(choice);
      expect(typeof wire === 'string' ? irSimpleToolChoice(wire) : { type: 'tool', name: wire.type === 'function' ? wire.function.name : '' }).toEqual(choice);
    }
    expect(irSimpleToolChoice('any')).toBeUndefined();
  });

  it('reads every Chat reasoning effort, none meaning no reasoning', () => {
    expect(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'].map(irEffortOf)).toEqual([null, 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
    expect(irEffortOf('turbo')).toBeUndefined();
    expect([1024, 4095, 4096, 16383, 16384, 64000].map(effortForBudget)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });

  it('usage survives IR → Chat → IR unchanged', () => {
    const count = fc.nat({ max: 1_000_000 });
    fc.assert(
      fc.property(count, count, count, count, count, (inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoning) => {
        const usage = { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens: Math.min(reasoning, outputTokens) };
        expect(irUsage(chatUsage(usage) as unknown as Record<string, unknown>)).toEqual(usage);
      }),
    );
  });

  it('reads usage with cached prompt tokens and missing details', () => {
    expect(irUsage({ prompt_tokens: 50, completion_tokens: 9, total_tokens: 59 })).toEqual({ inputTokens: 50, outputTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(irUsage({ prompt_tokens: 50, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 40 }, completion_tokens_details: { reasoning_tokens: 4 } })).toMatchObject({
      inputTokens: 10,
      cacheReadTokens: 40,
      reasoningTokens: 4,
      outputTokens: 9,
    });
  });
});
