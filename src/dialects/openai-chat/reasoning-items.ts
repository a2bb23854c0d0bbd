/**
 * Readers of the two Chat shapes that carry replayable reasoning: Databricks'
 * `reasoning` content item (summary_text + signature, summary_encrypted_text)
 * and LiteLLM's `thinking_blocks`. A `sign` function decides whose signature a
 * value is: a client replay reads tagged values (`readSignature`), an upstream
 * answer knows its family's signer.
 */
import type { IrReasoningPart } from '../../ir/request.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import { isRecord, stringOr } from '../common/json.js';

export type Signer = (value: string) => { provider?: SignatureProvider; value: string };

/**
 * One Databricks reasoning item → IR parts. Its summary_text entries form one
 * block (a signature belongs to the text before it); each encrypted entry is
 * a redacted block. Parts without a signature are returned too: the caller
 * decides whether unsigned reasoning is worth keeping.
 */
export function reasoningItemParts(summary: readonly unknown[], sign: Signer): IrReasoningPart[] {
  const parts: IrReasoningPart[] = [];
  let text: string | undefined;
  let signature: string | undefined;
  const flush = (): void => {
    if (text !== undefined || signature !== undefined) parts.push(reasoningPart(text ?? '', signature, sign));
    text = undefined;
    signature = undefined;
  };
  for (const entry of summary) {
    if (!isRecord(entry)) continue;
    if (entry.type === 'summary_text') {
      // A second signed text after a signature starts another block.
      if (signature !== undefined) flush();
      text = (text ?? '') + (stringOr(entry.text) ?? '');
      const entrySignature = stringOr(entry.signature);
      if (entrySignature) signature = entrySignature;
    } else if (entry.type === 'summary_encrypted_text' && typeof entry.data === 'string') {
      flush();
      parts.push(redactedPart(entry.data, sign));
    }
  }
  flush();
  return parts;
}

/** One `thinking_blocks` entry → an IR part, or undefined for an entry of another shape. */
export function thinkingBlockPart(block: unknown, sign: Signer): IrReasoningPart | undefined {
  if (!isRecord(block)) return undefined;
  if (block.type === 'thinking' && typeof block.thinking === 'string') {
    return reasoningPart(block.thinking, stringOr(block.signature) || undefined, sign);
  }
  if (block.type === 'redacted_thinking' && typeof block.data === 'string') return redactedPart(block.data, sign);
  return undefined;
}

function reasoningPart(text: string, signature: string | undefined, sign: Signer): IrReasoningPart {
  if (signature === undefined) return { type: 'reasoning', text };
  const { provider, value } = sign(signature);
  return { type: 'reasoning', text, signature: value, ...(provider ? { provider } : {}) };
}

function redactedPart(data: string, sign: Signer): IrReasoningPart {
  const { provider, value } = sign(data);
  return { type: 'reasoning', text: '', redacted: value, ...(provider ? { provider } : {}) };
}

/** True when the part can be sent back to a model (it carries a signature or redacted data). */
export function isReplayable(part: IrReasoningPart): boolean {
  return part.signature !== undefined || part.redacted !== undefined;
}
