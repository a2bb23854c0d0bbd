import type { IrReasoningSettings, IrToolChoice } from '../../ir/request.js';
import { EFFORT_BUDGET } from './maps.js';

/** Anthropic's smallest thinking budget. */
const MIN_BUDGET = 1024;

/**
 * The thinking budget the IR asks for, or undefined for no thinking. A
 * client budget wins over an effort; a budget of 0 or less means off (as
 * Gemini's `thinkingBudget: 0`). With neither, a client that asked to see
 * reasoning summaries gets the medium budget; otherwise thinking stays off.
 */
export function thinkingBudget(reasoning: IrReasoningSettings | undefined): number | undefined {
  if (!reasoning) return undefined;
  if (reasoning.budgetTokens !== undefined) return reasoning.budgetTokens > 0 ? Math.max(MIN_BUDGET, reasoning.budgetTokens) : undefined;
  const effort = reasoning.effort ?? (reasoning.summary ? 'medium' : undefined);
  return effort ? EFFORT_BUDGET[effort] : undefined;
}

/** Anthropic allows thinking only with `auto` or `none` tool choice: forced tool use refuses it. */
export function forcesToolUse(choice: IrToolChoice | undefined): boolean {
  return choice?.type === 'required' || choice?.type === 'tool';
}

/**
 * `max_tokens` must exceed `budget_tokens`. When it does not, the answer's
 * room is added on top of the budget (rather than leaving a single token
 * for the answer).
 */
export function maxTokensWithThinking(maxTokens: number, budget: number): number {
  return maxTokens > budget ? maxTokens : budget + maxTokens;
}

/**
 * Sampling settings thinking tolerates: Anthropic refuses a temperature
 * other than 1 and any `top_k` with thinking on, and `top_p` below 0.95.
 * They are left out rather than failing the request.
 */
export function samplingWithThinking(sampling: { temperature?: number; topP?: number; topK?: number }): {
  temperature?: number;
  top_p?: number;
} {
  return {
    ...(sampling.temperature === 1 ? { temperature: 1 } : {}),
    ...(sampling.topP !== undefined && sampling.topP >= 0.95 ? { top_p: sampling.topP } : {}),
  };
}
