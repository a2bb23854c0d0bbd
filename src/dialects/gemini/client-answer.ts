/**
 * The pieces of a `GenerateContentResponse` a Gemini client is given, shared
 * by the whole answer and the stream: parts from IR output, the finish
 * reason, and `usageMetadata`.
 */
import { carriedValue } from '../../ir/reasoning-carrier.js';
import type { IrReasoningPart, IrToolCallPart } from '../../ir/request.js';
import type { IrStopReason, IrUsage } from '../../ir/response.js';
import { signatureForDialect } from '../../ir/signatures.js';
import { parseObject } from '../common/json.js';
import type { FinishReasonName, Part } from './wire.js';

/** IR stop reason → `finishReason` (wire-formats.md §5.1): a tool-calling turn ends with STOP, as Gemini's do. */
const FINISH_REASON: Record<IrStopReason, FinishReasonName> = {
  end_turn: 'STOP',
  stop_sequence: 'STOP',
  tool_use: 'STOP',
  pause_turn: 'STOP',
  max_tokens: 'MAX_TOKENS',
  refusal: 'SAFETY',
  error: 'OTHER',
};

export function finishReasonOf(stopReason: IrStopReason): FinishReasonName {
  return FINISH_REASON[stopReason];
}

/**
 * IR usage → `usageMetadata` (§5.3): the prompt count includes cached tokens,
 * the candidates count excludes thoughts, and the total adds them up.
 */
export function usageMetadataOf(usage: IrUsage): Record<string, number> {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  const candidates = Math.max(0, usage.outputTokens - usage.reasoningTokens);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + usage.reasoningTokens,
    ...(usage.reasoningTokens > 0 ? { thoughtsTokenCount: usage.reasoningTokens } : {}),
    ...(usage.cacheReadTokens > 0 ? { cachedContentTokenCount: usage.cacheReadTokens } : {}),
  };
}

/**
 * Reasoning → a thought part. Another provider's signature (or Anthropic's
 * redacted thinking) rides tagged in `thoughtSignature`, the field Gemini
 * clients keep and send back, so it returns to its provider.
 */
export function thoughtPart(text: string, reasoning: Pick<IrReasoningPart, 'signature' | 'redacted' | 'provider'>): Part {
  const signature = carriedValue(reasoning, 'gemini');
  return { text, thought: true, ...(signature !== undefined ? { thoughtSignature: signature } : {}) };
}

export function callPart(call: Pick<IrToolCallPart, 'id' | 'name' | 'arguments' | 'signature'>): Part {
  const signature = call.signature ? { thoughtSignature: signatureForDialect(call.signature.provider, call.signature.value, 'gemini') } : {};
  return { functionCall: { id: call.id, name: call.name, args: parseObject(call.arguments) ?? {} }, ...signature };
}
