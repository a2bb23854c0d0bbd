/** How a Databricks Chat answer is read, whole or streamed. */
import { FAMILY_SIGNER } from '../../ir/codec.js';
import type { Family } from '../../databricks/family.js';
import type { IrStopReason } from '../../ir/response.js';
import type { Signer } from './reasoning-items.js';
import { stopReasonOf } from './maps.js';

/** Signatures in an upstream answer are unmarked and belong to the family's signer (Claude → Anthropic). */
export function upstreamSigner(family: Family): Signer {
  const provider = FAMILY_SIGNER[family];
  return (value) => (provider ? { provider, value } : { value });
}

/**
 * Some upstreams (Gemini behind a Chat layer) end a turn that made tool calls
 * with `stop`; a turn with calls is a tool_use stop whatever the label says
 * (wire-formats.md §7, stop-reason loss).
 */
export function upstreamStopReason(finishReason: string | undefined, madeToolCalls: boolean): IrStopReason {
  const reason = finishReason === undefined ? 'end_turn' : stopReasonOf(finishReason);
  return madeToolCalls && reason === 'end_turn' ? 'tool_use' : reason;
}
