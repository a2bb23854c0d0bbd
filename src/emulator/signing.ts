import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Reasoning signatures of the emulated models. Real providers sign their
 * thinking so that a replayed thinking block can be checked; signatures are
 * bound to the provider that made them (an Anthropic signature is refused by
 * OpenAI and Gemini). The emulator reproduces both properties with an HMAC
 * whose key includes the signing provider.
 */
export type SigningProvider = 'anthropic' | 'openai' | 'gemini';

const PREFIX: Record<SigningProvider, string> = { anthropic: 'EqA', openai: 'gAAAA', gemini: 'CiQB' };

// Fixed so that signatures survive an emulator restart within one test run;
// nothing secret is protected by it.
const KEY = 'dbx-proxy-emulator-reasoning-key';

export function signReasoning(provider: SigningProvider, text: string): string {
  const mac = createHmac('sha256', `${KEY}:${provider}`).update(text).digest('base64url');
  return `${PREFIX[provider]}${mac}`;
}

export function verifyReasoning(provider: SigningProvider, text: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signReasoning(provider, text));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
