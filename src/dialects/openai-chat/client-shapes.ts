/** Pieces of the answers this dialect writes to clients, shared by the whole and the streamed form. */
import type { IrToolCallPart } from '../../ir/request.js';
import { type SignatureProvider, signatureForDialect } from '../../ir/signatures.js';
import type { ThinkingBlock } from './wire.js';

/** Chat ids start with `chatcmpl-`; upstream ids of other dialects (`msg_…`, `resp_…`) are kept after it. */
export function completionId(id: string): string {
  return id.startsWith('chatcmpl-') ? id : `chatcmpl-${id}`;
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The call id a Chat client sees (a Gemini call signature travels beside the call, src/ir/call-signatures.ts). */
export function clientCallId(call: Pick<IrToolCallPart, 'id'>): string {
  return call.id;
}

/**
 * A signed reasoning block in LiteLLM's `thinking_blocks` shape. The shape is
 * Anthropic's, so only non-Anthropic signatures are tagged with their provider.
 */
export function signedThinkingBlock(text: string, signature: string, provider: SignatureProvider | undefined): ThinkingBlock {
  return { type: 'thinking', thinking: text, signature: signatureForDialect(provider, signature, 'anthropic') };
}

export function redactedThinkingBlock(data: string, provider: SignatureProvider | undefined): ThinkingBlock {
  return { type: 'redacted_thinking', data: signatureForDialect(provider, data, 'anthropic') };
}
