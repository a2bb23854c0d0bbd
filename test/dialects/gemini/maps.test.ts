import { describe, expect, it } from 'vitest';
import { functionCallingConfigOf, irUsageOf, stopReasonOf, THINKING_BUDGET, thinkingBudgetOf } from '../../../src/dialects/gemini/maps.js';

describe('gemini mapping tables', () => {
  it.each([
    ['STOP', false, 'end_turn'],
    ['STOP', true, 'tool_use'],
    ['MAX_TOKENS', false, 'max_tokens'],
    ['MAX_TOKENS', true, 'max_tokens'],
    ['SAFETY', false, 'refusal'],
    ['RECITATION', false, 'refusal'],
    ['BLOCKLIST', false, 'refusal'],
    ['PROHIBITED_CONTENT', false, 'refusal'],
    ['SPII', false, 'refusal'],
    ['IMAGE_SAFETY', false, 'refusal'],
    ['IMAGE_PROHIBITED_CONTENT', false, 'refusal'],
    ['MALFORMED_FUNCTION_CALL', false, 'error'],
    ['UNEXPECTED_TOOL_CALL', true, 'error'],
    ['TOO_MANY_TOOL_CALLS', true, 'error'],
    ['OTHER', false, 'end_turn'],
    ['LANGUAGE', false, 'end_turn'],
    ['FINISH_REASON_UNSPECIFIED', false, 'end_turn'],
    ['SOMETHING_NEW', false, 'end_turn'],
    ['SOMETHING_NEW', true, 'tool_use'],
    ['__proto__', false, 'end_turn'],
  ] as const)('finishReason %s (calls: %s) → %s', (finishReason, calls, expected) => {
    expect(stopReasonOf(finishReason, calls)).toBe(expected);
  });

  it('maps tool_choice to functionCallingConfig', () => {
    expect(functionCallingConfigOf({ type: 'auto' })).toEqual({ mode: 'AUTO' });
    expect(functionCallingConfigOf({ type: 'none' })).toEqual({ mode: 'NONE' });
    expect(functionCallingConfigOf({ type: 'required' })).toEqual({ mode: 'ANY' });
    expect(functionCallingConfigOf({ type: 'tool', name: 'grep' })).toEqual({ mode: 'ANY', allowedFunctionNames: ['grep'] });
  });

  it('maps efforts to budgets (the proxy\'s own table), a given budget winning', () => {
    expect(THINKING_BUDGET).toEqual({ minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 24576, max: 24576 });
    expect(thinkingBudgetOf({ effort: 'minimal' })).toBe(512);
    expect(thinkingBudgetOf({ budgetTokens: 5000, effort: 'minimal' })).toBe(5000);
    expect(thinkingBudgetOf({ summary: true })).toBeUndefined();
  });

  it('maps usageMetadata: prompt includes the cache, output includes the thoughts', () => {
    expect(
      irUsageOf({ promptTokenCount: 29, cachedContentTokenCount: 9, candidatesTokenCount: 15, thoughtsTokenCount: 804, totalTokenCount: 848 }),
    ).toEqual({ inputTokens: 20, outputTokens: 819, cacheReadTokens: 9, cacheWriteTokens: 0, reasoningTokens: 804 });
    expect(irUsageOf({ trafficType: 'ON_DEMAND' })).toEqual({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(irUsageOf({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 16 }).inputTokens).toBe(15);
  });
});
