/** Anthropic's smallest thinking budget (databricks.md §5.1: 1024 <= budget_tokens < max_tokens). */
export const MIN_THINKING_BUDGET = 1024;

export interface ThinkingFit {
  budget: number;
  /** Undefined when the request set none (chat may leave it out; only the lower bound applies then). */
  maxTokens: number | undefined;
}

/**
 * A budget and max_tokens that satisfy 1024 <= budget < max_tokens. The
 * reference says "raise max_tokens or clamp the budget" without choosing;
 * the budget is clamped first, because max_tokens is the cap the client set
 * on the whole answer (thinking included) and one answer can never think
 * past it anyway. Only when even the minimum budget does not fit is
 * max_tokens raised, by the minimum budget, so the answer keeps the room the
 * client gave it.
 */
export function fitThinking(budget: number, maxTokens: number | undefined): ThinkingFit {
  const floored = Math.max(MIN_THINKING_BUDGET, Math.floor(budget));
  if (maxTokens === undefined || floored < maxTokens) return { budget: floored, maxTokens };
  if (maxTokens > MIN_THINKING_BUDGET) return { budget: maxTokens - 1, maxTokens };
  return { budget: MIN_THINKING_BUDGET, maxTokens: MIN_THINKING_BUDGET + maxTokens };
}
