import type { IrUsage } from '../../ir/response.js';
import { isRecord, numberOr } from '../common/json.js';
import type { WireDeltaUsage, WireUsage } from './wire.js';

/**
 * Anthropic usage → IR usage. Both use the same convention (input excludes
 * cache reads and writes), so the fields map one to one; Anthropic does not
 * split out reasoning tokens, so that stays 0. Fields absent from `raw` keep
 * their value in `base`: `message_delta` may repeat only some of them.
 */
export function usageFromAnthropic(raw: unknown, base: IrUsage): IrUsage {
  if (!isRecord(raw)) return base;
  return {
    inputTokens: numberOr(raw.input_tokens) ?? base.inputTokens,
    outputTokens: numberOr(raw.output_tokens) ?? base.outputTokens,
    cacheReadTokens: numberOr(raw.cache_read_input_tokens) ?? base.cacheReadTokens,
    cacheWriteTokens: numberOr(raw.cache_creation_input_tokens) ?? base.cacheWriteTokens,
    reasoningTokens: base.reasoningTokens,
  };
}

export function wireUsage(usage: IrUsage): WireUsage & WireDeltaUsage {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens: usage.outputTokens,
  };
}
