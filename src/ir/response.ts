import type { IrReasoningPart, IrTextPart, IrToolCallPart } from './request.js';

/** Why the model stopped (mapped by the stop-reason table, reference/wire-formats.md §5.1). */
export type IrStopReason = 'end_turn' | 'stop_sequence' | 'tool_use' | 'max_tokens' | 'refusal' | 'pause_turn' | 'error';

/**
 * Token usage in one convention: `inputTokens` excludes cache reads and
 * writes (Anthropic's convention), `outputTokens` includes reasoning.
 */
export interface IrUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

export const EMPTY_USAGE: IrUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

export function totalTokens(usage: IrUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
}

export type IrOutputPart = IrTextPart | IrReasoningPart | IrToolCallPart;

/** A whole (non-streamed) answer. */
export interface IrResponse {
  id: string;
  model: string;
  content: IrOutputPart[];
  stopReason: IrStopReason;
  stopSequence?: string;
  usage: IrUsage;
}
