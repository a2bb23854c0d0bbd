/**
 * The Responses mapping tables (reference wire-formats §5): how an answer
 * ends, tool_choice, reasoning effort and usage, in both directions.
 */
import type { IrToolChoice } from '../../ir/request.js';
import type { IrStopReason, IrUsage } from '../../ir/response.js';
import { countOr0, recordOr } from '../common/json.js';
import type { IrEffort } from '../../ir/request.js';
import { SIMPLE_CHOICE } from '../common/openai-request.js';
import type { ResponseStatus, ResponseUsage, WireToolChoice } from './wire.js';

/** Responses has no finish reason: an answer ends with a status and, when incomplete, a reason. */
export interface ResponseEnding {
  status: Extract<ResponseStatus, 'completed' | 'incomplete' | 'failed'>;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
}

/**
 * IR stop reason → how the Response ends (§5.1). A tool call is told by the
 * `function_call` items, a stop sequence or paused turn has no Responses
 * form (both read as completed); an error stop has only `failed`.
 */
export const RESPONSE_ENDING: Record<IrStopReason, ResponseEnding> = {
  end_turn: { status: 'completed' },
  stop_sequence: { status: 'completed' },
  tool_use: { status: 'completed' },
  pause_turn: { status: 'completed' },
  max_tokens: { status: 'incomplete', incompleteReason: 'max_output_tokens' },
  refusal: { status: 'incomplete', incompleteReason: 'content_filter' },
  error: { status: 'failed' },
};

/** `incomplete_details.reason` → IR stop reason; an unknown reason still means the answer was cut, as by the token limit. */
const INCOMPLETE_STOP: Record<string, IrStopReason> = {
  max_output_tokens: 'max_tokens',
  content_filter: 'refusal',
};

export function stopReasonForIncomplete(reason: unknown): IrStopReason {
  return typeof reason === 'string' && Object.hasOwn(INCOMPLETE_STOP, reason) ? (INCOMPLETE_STOP[reason] as IrStopReason) : 'max_tokens';
}

export function wireToolChoice(choice: IrToolChoice): WireToolChoice {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : SIMPLE_CHOICE[choice.type];
}

/**
 * A thinking budget (what Anthropic and Gemini clients give) → an effort,
 * for targets that take only an effort. The bands are the proxy's own:
 * Anthropic's smallest budget is 1024 and Claude Code's presets run from a
 * few thousand to tens of thousands.
 */
const EFFORT_BY_BUDGET: readonly { upTo: number; effort: IrEffort }[] = [
  { upTo: 2048, effort: 'low' },
  { upTo: 8192, effort: 'medium' },
  { upTo: Number.POSITIVE_INFINITY, effort: 'high' },
];

export function effortForBudget(budgetTokens: number): IrEffort {
  return (EFFORT_BY_BUDGET.find((band) => budgetTokens <= band.upTo) ?? { effort: 'high' as const }).effort;
}

/** IR usage → Responses usage: `input_tokens` counts cache reads and writes (OpenAI's convention, §5.3). */
export function wireUsage(usage: IrUsage): ResponseUsage {
  const inputTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens, cache_write_tokens: usage.cacheWriteTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: inputTokens + usage.outputTokens,
  };
}

/** Responses usage → IR usage: the IR's input excludes cache reads and writes. */
export function irUsage(usage: Record<string, unknown>): IrUsage {
  const input = countOr0(usage.input_tokens);
  const inputDetails = recordOr(usage.input_tokens_details);
  const cacheRead = countOr0(inputDetails.cached_tokens);
  const cacheWrite = countOr0(inputDetails.cache_write_tokens);
  return {
    inputTokens: Math.max(0, input - cacheRead - cacheWrite),
    outputTokens: countOr0(usage.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: countOr0(recordOr(usage.output_tokens_details).reasoning_tokens),
  };
}


/**
 * The stop reason of a `completed` Response, which has no finish reason of its
 * own: a function call means the model wants a tool; a refusal part means it
 * declined; otherwise it ended naturally.
 */
export function completedStopReason(seen: { toolCall: boolean; refusal: boolean }): IrStopReason {
  if (seen.toolCall) return 'tool_use';
  return seen.refusal ? 'refusal' : 'end_turn';
}
