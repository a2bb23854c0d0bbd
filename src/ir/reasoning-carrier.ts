/**
 * How IR reasoning rides in the one opaque field a client keeps and sends
 * back (Responses `encrypted_content`, Gemini `thoughtSignature`). The
 * dialect's own signer's value goes as is; any other provider's signature is
 * tagged with its provider (signatures.ts). Anthropic's redacted thinking has
 * no such form elsewhere, so it rides tagged too, marked as redacted data so
 * that it returns as such.
 */
import type { IrReasoningPart } from './request.js';
import { readSignature, type SignatureProvider, signatureForDialect, tagSignature } from './signatures.js';

/** Neither OpenAI's encrypted content (a Fernet token, `gAAAA…`) nor a Gemini signature (base64) starts with this. */
const REDACTED_MARK = 'redacted.';

export type CarriedReasoning = Pick<IrReasoningPart, 'signature' | 'redacted' | 'provider'>;

/**
 * The opaque value for a piece of reasoning, or undefined when there is
 * nothing to carry. Redacted data of an unknown provider could never be
 * replayed anywhere, so it is not carried.
 */
export function carriedValue(reasoning: CarriedReasoning, dialectSigner: SignatureProvider): string | undefined {
  if (reasoning.redacted !== undefined) {
    return reasoning.provider ? tagSignature(reasoning.provider, `${REDACTED_MARK}${reasoning.redacted}`) : undefined;
  }
  if (reasoning.signature !== undefined) return signatureForDialect(reasoning.provider, reasoning.signature, dialectSigner);
  return undefined;
}

/** What a client's opaque value carries back: untagged values are the dialect signer's. */
export function carriedReasoning(value: string, dialectSigner: SignatureProvider): CarriedReasoning {
  const { provider, value: raw } = readSignature(value, dialectSigner);
  const withProvider = provider ? { provider } : {};
  if (raw.startsWith(REDACTED_MARK)) return { redacted: raw.slice(REDACTED_MARK.length), ...withProvider };
  return { signature: raw, ...withProvider };
}
