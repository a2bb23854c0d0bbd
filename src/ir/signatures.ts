/**
 * Who signed a piece of reasoning. Anthropic signs thinking blocks, OpenAI
 * encrypts reasoning items, Gemini signs thought parts; each refuses the
 * others' signatures.
 */
export type SignatureProvider = 'anthropic' | 'openai' | 'gemini';

/**
 * When reasoning reaches a client through a dialect that is not its signer's
 * own (an Anthropic signature inside a Responses `encrypted_content`, say),
 * the value is tagged with its provider so that a later replay can be sent
 * back to the provider that made it, and dropped everywhere else.
 */
const TAG = 'dbxsig.';

export function tagSignature(provider: SignatureProvider, value: string): string {
  return `${TAG}${provider}.${value}`;
}

/** The provider and raw value of a signature a client sent back; untagged values belong to `nativeProvider`. */
export function readSignature(value: string, nativeProvider: SignatureProvider | undefined): { provider?: SignatureProvider; value: string } {
  if (!value.startsWith(TAG)) return { ...(nativeProvider ? { provider: nativeProvider } : {}), value };
  const rest = value.slice(TAG.length);
  const dot = rest.indexOf('.');
  const provider = rest.slice(0, dot);
  if (provider === 'anthropic' || provider === 'openai' || provider === 'gemini') return { provider, value: rest.slice(dot + 1) };
  return { value };
}

/** Encodes a signature for a dialect whose own provider is `dialectProvider`. */
export function signatureForDialect(provider: SignatureProvider | undefined, value: string, dialectProvider: SignatureProvider | undefined): string {
  return provider === undefined || provider === dialectProvider ? value : tagSignature(provider, value);
}
