import type { SignatureProvider } from './signatures.js';

/**
 * Gemini gives a thoughtSignature on a function call, and requires it back on
 * that call in the next request. Chat, Responses and Anthropic clients echo
 * back only the call's id, so the signature rides inside the id; the proxy
 * keeps no state between requests.
 */
const MARK = '__dbxts_';

export function packCallId(id: string, signature?: { provider: SignatureProvider; value: string }): string {
  if (!signature) return id;
  return `${id}${MARK}${signature.provider}_${Buffer.from(signature.value).toString('base64url')}`;
}

export function unpackCallId(packed: string): { id: string; signature?: { provider: SignatureProvider; value: string } } {
  const at = packed.indexOf(MARK);
  if (at === -1) return { id: packed };
  const rest = packed.slice(at + MARK.length);
  const underscore = rest.indexOf('_');
  const provider = rest.slice(0, underscore);
  if (provider !== 'anthropic' && provider !== 'openai' && provider !== 'gemini') return { id: packed };
  return { id: packed.slice(0, at), signature: { provider, value: Buffer.from(rest.slice(underscore + 1), 'base64url').toString() } };
}
