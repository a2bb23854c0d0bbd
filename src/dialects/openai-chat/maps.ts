/**
 * The Chat Completions mapping tables (reference wire-formats.md §5): stop
 * reasons, tool_choice, reasoning effort and usage, in both directions.
 */
import type { IrReasoningSettings, IrToolChoice } from '../../ir/request.js';
import type { IrStopReason, IrUsage } from '../../ir/response.js';
import { isRecord } from './json.js';
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

type SimpleChoice = Exclude<IrToolChoice, { type: 'tool' }>['type'];

/** The string forms of tool_choice; a named tool is the only object form this dialect maps. */
const SIMPLE_CHOICE: Record<SimpleChoice, 'auto' | 'none' | 'required'> = { auto: 'auto', none: 'none', required: 'required' };

export function chatToolChoice(choice: IrToolChoice): ChatCompletionToolChoiceOption {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : SIMPLE_CHOICE[choice.type];
}

const IR_SIMPLE_CHOICE: Record<string, IrToolChoice> = {
  auto: { type: 'auto' },
  none: { type: 'none' },
  required: { type: 'required' },
};

/** The IR form of a string tool_choice, or undefined when the string is not one Chat defines. */
export function irSimpleToolChoice(value: string): IrToolChoice | undefined {
  return Object.hasOwn(IR_SIMPLE_CHOICE, value) ? IR_SIMPLE_CHOICE[value] : undefined;
}

type IrEffort = NonNullable<IrReasoningSettings['effort']>;

/** Chat `reasoning_effort` → IR effort. `none` asks for no reasoning at all, so it maps to no setting. */
const IR_EFFORT: Record<string, IrEffort | null> = {
  none: null,
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  max: 'max',
};

/** undefined: not a known effort; null: a known effort meaning "no reasoning". */
export function irEffortOf(value: string): IrEffort | null | undefined {
  return Object.hasOwn(IR_EFFORT, value) ? IR_EFFORT[value] : undefined;
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
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const promptDetails = details(usage.prompt_tokens_details);
  const completionDetails = details(usage.completion_tokens_details);
  const cacheRead = count(promptDetails.cached_tokens);
  const cacheWrite = count(promptDetails.cache_write_tokens);
  const reasoning = count(completionDetails.reasoning_tokens);
  const reasoningOutsideCompletion = reasoning > 0 && usage.total_tokens === prompt + completion + reasoning;
  return {
    inputTokens: Math.max(0, prompt - cacheRead - cacheWrite),
    outputTokens: reasoningOutsideCompletion ? completion + reasoning : completion,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: reasoning,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function details(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
