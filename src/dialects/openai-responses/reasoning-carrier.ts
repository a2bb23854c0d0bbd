/**
 * How IR reasoning rides in a Responses client's `encrypted_content`, the one
 * opaque field a client keeps and sends back. OpenAI's own encrypted content
 * goes as is; any other provider's signature is tagged with its provider
 * (signatures.ts). Anthropic's redacted thinking has no Responses form, so it
 * rides tagged too, marked as redacted data so that it returns as such.
 */
import type { IrReasoningPart } from '../../ir/request.js';
import { readSignature, type SignatureProvider, signatureForDialect, tagSignature } from '../../ir/signatures.js';

/** Responses' own signer. */
export const DIALECT_SIGNER: SignatureProvider = 'openai';

/** OpenAI's encrypted content never starts with this (it is a Fernet token, `gAAAA…`). */
const REDACTED_MARK = 'redacted.';

type CarriedReasoning = Pick<IrReasoningPart, 'signature' | 'redacted' | 'provider'>;

/**
 * The `encrypted_content` for a piece of reasoning, or undefined when there is
 * nothing to carry. Redacted data of an unknown provider could never be
 * replayed anywhere, so it is not carried.
 */
export function encryptedContentOf(reasoning: CarriedReasoning): string | undefined {
  if (reasoning.redacted !== undefined) {
    return reasoning.provider ? tagSignature(reasoning.provider, `${REDACTED_MARK}${reasoning.redacted}`) : undefined;
  }
  if (reasoning.signature !== undefined) return signatureForDialect(reasoning.provider, reasoning.signature, DIALECT_SIGNER);
  return undefined;
}

/** What a client's `encrypted_content` carries back: untagged values are OpenAI's. */
export function reasoningFromEncryptedContent(value: string): CarriedReasoning {
  const { provider, value: raw } = readSignature(value, DIALECT_SIGNER);
  const withProvider = provider ? { provider } : {};
  if (raw.startsWith(REDACTED_MARK)) return { redacted: raw.slice(REDACTED_MARK.length), ...withProvider };
  return { signature: raw, ...withProvider };
}
