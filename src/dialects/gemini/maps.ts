/**
 * The Gemini mapping tables (reference wire-formats.md §5): finish reasons,
 * tool_choice, reasoning effort and usage.
 */
import type { IrEffort, IrReasoningSettings, IrToolChoice } from '../../ir/request.js';
import type { IrStopReason, IrUsage } from '../../ir/response.js';
import { countOr0, type JsonObject } from '../common/json.js';
import type { CallingMode, FinishReasonName } from './wire.js';

/**
 * `finishReason` → IR stop reason (§5.1). STOP also ends tool-calling turns
 * and stop sequences; `stopReasonOf` tells tool calls apart by the parts.
 */
const STOP_REASON: Record<FinishReasonName, IrStopReason> = {
  STOP: 'end_turn',
  MAX_TOKENS: 'max_tokens',
  // The per-request token limit was reached before the answer was complete.
  CONTINUATION: 'max_tokens',
  SAFETY: 'refusal',
  RECITATION: 'refusal',
  BLOCKLIST: 'refusal',
  PROHIBITED_CONTENT: 'refusal',
  SPII: 'refusal',
  IMAGE_SAFETY: 'refusal',
  IMAGE_PROHIBITED_CONTENT: 'refusal',
  IMAGE_RECITATION: 'refusal',
  IMAGE_OTHER: 'refusal',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  MALFORMED_RESPONSE: 'error',
  // "Expected an image, none was generated": nothing was withheld.
  NO_IMAGE: 'end_turn',
  LANGUAGE: 'end_turn',
  OTHER: 'end_turn',
  FINISH_REASON_UNSPECIFIED: 'end_turn',
};

/** A finish reason (or a prompt block) → IR stop reason; unknown values read as a natural end (§5.1 "unknown" row). */
export function stopReasonOf(finishReason: string, madeToolCalls: boolean): IrStopReason {
  const reason = Object.hasOwn(STOP_REASON, finishReason) ? STOP_REASON[finishReason as FinishReasonName] : 'end_turn';
  // A tool-calling turn still ends with STOP (§4): the parts say it was a tool call.
  return reason === 'end_turn' && madeToolCalls ? 'tool_use' : reason;
}

/** IR tool_choice → `functionCallingConfig` (§5.2); a named tool is ANY restricted to that one name. */
const CALLING_MODE: Record<IrToolChoice['type'], CallingMode> = {
  auto: 'AUTO',
  none: 'NONE',
  required: 'ANY',
  tool: 'ANY',
};

export function functionCallingConfigOf(choice: IrToolChoice): { mode: CallingMode; allowedFunctionNames?: string[] } {
  const mode = CALLING_MODE[choice.type];
  return choice.type === 'tool' ? { mode, allowedFunctionNames: [choice.name] } : { mode };
}

/**
 * Effort → `thinkingBudget` tokens. The proxy's own table (Google documents
 * budgets, not efforts): 24576 is the largest budget every Gemini 2.5/3 model
 * accepts (Flash's ceiling), so xhigh and max stop there rather than risk a
 * 400 on a smaller model.
 */
export const THINKING_BUDGET: Record<IrEffort, number> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 24576,
  max: 24576,
};

/** The budget to ask for: the client's own token budget when it gave one, else its effort's. */
export function thinkingBudgetOf(reasoning: IrReasoningSettings): number | undefined {
  if (reasoning.budgetTokens !== undefined) return reasoning.budgetTokens;
  return reasoning.effort === undefined ? undefined : THINKING_BUDGET[reasoning.effort];
}

/**
 * `usageMetadata` → IR usage (§5.3). `promptTokenCount` includes the cached
 * tokens; `candidatesTokenCount` excludes the thoughts. Tokens of server-side
 * tool results (`toolUsePromptTokenCount`) are input the model read, counted
 * with the input so that the IR total matches `totalTokenCount`.
 */
export function irUsageOf(usage: JsonObject): IrUsage {
  const prompt = countOr0(usage.promptTokenCount);
  const cached = countOr0(usage.cachedContentTokenCount);
  const thoughts = countOr0(usage.thoughtsTokenCount);
  return {
    inputTokens: Math.max(0, prompt - cached) + countOr0(usage.toolUsePromptTokenCount),
    outputTokens: countOr0(usage.candidatesTokenCount) + thoughts,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

const COUNT_FIELDS = ['promptTokenCount', 'candidatesTokenCount', 'thoughtsTokenCount', 'cachedContentTokenCount', 'toolUsePromptTokenCount', 'totalTokenCount'];

/** True when a `usageMetadata` has any count (early stream chunks may carry only `trafficType`). */
export function hasTokenCounts(usage: JsonObject): boolean {
  return COUNT_FIELDS.some((field) => typeof usage[field] === 'number');
}
