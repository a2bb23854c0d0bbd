/**
 * The Chat Completions mapping tables (reference wire-formats.md §5): stop
 * reasons, tool_choice, reasoning effort and usage, in both directions.
 */
import type { IrToolChoice } from '../../ir/request.js';
import type { IrStopReason, IrUsage } from '../../ir/response.js';
import { countOr0, recordOr } from '../common/json.js';
import type { IrEffort } from '../../ir/request.js';
import { SIMPLE_CHOICE } from '../common/openai-request.js';
import type { ChatCompletionToolChoiceOption, CompletionUsage, FinishReason } from './wire.js';

/** IR stop reason → `finish_reason`. Chat has no pause or error reason: both read as a plain stop. */
export const FINISH_REASON: Record<IrStopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  refusal: 'content_filter',
  pause_turn: 'stop',
  error: 'stop',
};

/** `finish_reason` → IR stop reason; anything unknown reads as a natural end (§5.1 "unknown" row). */
const STOP_REASON: Record<FinishReason, IrStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

export function stopReasonOf(finishReason: string): IrStopReason {
  return Object.hasOwn(STOP_REASON, finishReason) ? STOP_REASON[finishReason as FinishReason] : 'end_turn';
}

export function chatToolChoice(choice: IrToolChoice): ChatCompletionToolChoiceOption {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : SIMPLE_CHOICE[choice.type];
}

/**
 * A thinking budget (what Anthropic clients give) → the effort Chat takes.
 * Bands are the proxy's own: Anthropic's minimum budget is 1024, and Claude
 * Code's larger presets sit in the tens of thousands.
 */
const EFFORT_BY_BUDGET: readonly { below: number; effort: IrEffort }[] = [
  { below: 4096, effort: 'low' },
  { below: 16384, effort: 'medium' },
  { below: Number.POSITIVE_INFINITY, effort: 'high' },
];

export function effortForBudget(budgetTokens: number): IrEffort {
  return (EFFORT_BY_BUDGET.find((band) => budgetTokens < band.below) ?? { effort: 'high' as const }).effort;
}

/** IR usage → Chat usage: `prompt_tokens` counts cache reads and writes (OpenAI's convention, §5.3). */
export function chatUsage(usage: IrUsage): CompletionUsage {
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadTokens,
      ...(usage.cacheWriteTokens > 0 ? { cache_write_tokens: usage.cacheWriteTokens } : {}),
    },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/**
 * Chat usage → IR usage. Some OpenAI-compatible upstreams (xAI) report
 * `completion_tokens` without the reasoning tokens; their `total_tokens`
 * gives it away (prompt + completion + reasoning), and the IR counts
 * reasoning inside `outputTokens`.
 */
export function irUsage(usage: Record<string, unknown>): IrUsage {
  const prompt = countOr0(usage.prompt_tokens);
  const completion = countOr0(usage.completion_tokens);
  const promptDetails = recordOr(usage.prompt_tokens_details);
  const completionDetails = recordOr(usage.completion_tokens_details);
  const cacheRead = countOr0(promptDetails.cached_tokens);
  const cacheWrite = countOr0(promptDetails.cache_write_tokens);
  const reasoning = countOr0(completionDetails.reasoning_tokens);
  const reasoningOutsideCompletion = reasoning > 0 && usage.total_tokens === prompt + completion + reasoning;
  return {
    inputTokens: Math.max(0, prompt - cacheRead - cacheWrite),
    outputTokens: reasoningOutsideCompletion ? completion + reasoning : completion,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: reasoning,
  };
}
