/**
 * How IR reasoning rides in a Responses client's `encrypted_content`, the one
 * opaque field a client keeps and sends back (src/ir/reasoning-carrier.ts).
 */
import { carriedReasoning, carriedValue, type CarriedReasoning } from '../../ir/reasoning-carrier.js';
import type { SignatureProvider } from '../../ir/signatures.js';

/** Responses' own signer. */
export const DIALECT_SIGNER: SignatureProvider = 'openai';

/** The `encrypted_content` for a piece of reasoning, or undefined when there is nothing to carry. */
export function encryptedContentOf(reasoning: CarriedReasoning): string | undefined {
  return carriedValue(reasoning, DIALECT_SIGNER);
}

/** What a client's `encrypted_content` carries back: untagged values are OpenAI's. */
export function reasoningFromEncryptedContent(value: string): CarriedReasoning {
  return carriedReasoning(value, DIALECT_SIGNER);
}
