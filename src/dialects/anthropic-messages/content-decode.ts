import type { IrImagePart, IrMessage, IrPart, IrReasoningPart, IrTextPart, IrToolResultPart } from '../../ir/request.js';
import { readSignature } from '../../ir/signatures.js';
import { arrayOf, isRecord, stringOr, type JsonObject } from '../common/json.js';
import { invalidField } from './invalid-field.js';

/**
 * Decodes a client's `messages` (and `system`) into IR parts. Blocks the IR
 * cannot carry are dropped: server-tool blocks (`server_tool_use`,
 * `web_search_tool_result`, …) record tool runs that only Anthropic's servers
 * can continue, `document` / `search_result` and Files-API images have no IR
 * part. Empty text blocks are dropped (Anthropic rejects them anyway).
 */

export function decodeCacheControl(raw: unknown): IrTextPart['cacheControl'] {
  if (!isRecord(raw) || raw.type !== 'ephemeral') return undefined;
  return raw.ttl === '5m' || raw.ttl === '1h' ? { type: 'ephemeral', ttl: raw.ttl } : { type: 'ephemeral' };
}

function textPart(text: string, cacheControl?: unknown): IrTextPart | undefined {
  if (text === '') return undefined;
  const cache = decodeCacheControl(cacheControl);
  return cache ? { type: 'text', text, cacheControl: cache } : { type: 'text', text };
}

/** A `system` field (string or text blocks) as IR text parts. */
export function decodeSystem(raw: unknown, param: string): IrTextPart[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return [textPart(raw)].filter((part) => part !== undefined);
  if (!Array.isArray(raw)) throw invalidField(param, 'must be a string or an array of text blocks');
  return raw.flatMap((block: unknown) => {
    if (!isRecord(block) || block.type !== 'text') return [];
    const part = textPart(stringOr(block.text) ?? '', block.cache_control);
    return part ? [part] : [];
  });
}

function imagePart(block: JsonObject): IrImagePart | undefined {
  const source = block.source;
  if (!isRecord(source)) return undefined;
  if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    return { type: 'image', source: { kind: 'base64', mediaType: source.media_type, data: source.data } };
  }
  if (source.type === 'url' && typeof source.url === 'string') return { type: 'image', source: { kind: 'url', url: source.url } };
  return undefined;
}

function toolResultContent(raw: unknown): IrToolResultPart['content'] {
  if (typeof raw === 'string') return [textPart(raw)].filter((part) => part !== undefined);
  return arrayOf(raw).flatMap((block) => {
    if (!isRecord(block)) return [];
    if (block.type === 'image') return imagePart(block) ?? [];
    if (block.type === 'text') return textPart(stringOr(block.text) ?? '', block.cache_control) ?? [];
    return [];
  });
}

function reasoningPart(block: JsonObject): IrReasoningPart {
  const text = stringOr(block.thinking) ?? '';
  const raw = stringOr(block.signature) ?? '';
  // An empty signature is what this codec sends for reasoning nobody signed
  // (see stream-encode.ts): it is unsigned, not an Anthropic signature.
  if (raw === '') return { type: 'reasoning', text };
  const { provider, value } = readSignature(raw, 'anthropic');
  return { type: 'reasoning', text, signature: value, ...(provider ? { provider } : {}) };
}

function redactedPart(block: JsonObject): IrReasoningPart {
  // Redacted data travels tagged like a signature when another provider made it.
  const { provider, value } = readSignature(stringOr(block.data) ?? '', 'anthropic');
  return { type: 'reasoning', text: '', redacted: value, ...(provider ? { provider } : {}) };
}

/** Tool names by call id, so that tool results can name their tool (Gemini needs the name). */
type ToolNames = Map<string, string>;

function decodeBlock(block: unknown, at: string, names: ToolNames): IrPart | undefined {
  if (!isRecord(block)) throw invalidField(at, 'must be a content block object');
  switch (block.type) {
    case 'text':
      return textPart(stringOr(block.text) ?? '', block.cache_control);
    case 'image':
      return imagePart(block);
    case 'thinking':
      return reasoningPart(block);
    case 'redacted_thinking':
      return redactedPart(block);
    case 'tool_use': {
      const id = stringOr(block.id);
      const name = stringOr(block.name);
      if (!id || !name) throw invalidField(at, 'tool_use needs an id and a name');
      names.set(id, name);
      return { type: 'tool_call', id, name, arguments: JSON.stringify(block.input ?? {}) };
    }
    case 'tool_result': {
      const callId = stringOr(block.tool_use_id);
      if (!callId) throw invalidField(`${at}.tool_use_id`, 'is required');
      const name = names.get(callId);
      return {
        type: 'tool_result',
        callId,
        ...(name ? { name } : {}),
        content: toolResultContent(block.content),
        ...(block.is_error === true ? { isError: true } : {}),
      };
    }
    default:
      return undefined;
  }
}

function decodeContent(content: unknown, at: string, names: ToolNames): IrPart[] {
  if (typeof content === 'string') return [textPart(content)].filter((part) => part !== undefined);
  if (!Array.isArray(content)) throw invalidField(at, 'must be a string or an array of content blocks');
  return content.flatMap((block: unknown, j) => {
    const part = decodeBlock(block, `${at}.${j}`, names);
    return part ? [part] : [];
  });
}

/**
 * The conversation. `system`-role messages (a newer API form) are hoisted
 * into the IR system, in order, after the top-level `system`.
 */
export function decodeMessages(raw: unknown): { messages: IrMessage[]; system: IrTextPart[] } {
  if (!Array.isArray(raw)) throw invalidField('messages', 'must be an array');
  const names: ToolNames = new Map();
  const messages: IrMessage[] = [];
  const system: IrTextPart[] = [];
  raw.forEach((message: unknown, i) => {
    if (!isRecord(message)) throw invalidField(`messages.${i}`, 'must be an object');
    const at = `messages.${i}.content`;
    if (message.role === 'system') {
      system.push(...decodeSystem(message.content, at));
      return;
    }
    if (message.role !== 'user' && message.role !== 'assistant') throw invalidField(`messages.${i}.role`, "must be 'user' or 'assistant'");
    const parts = decodeContent(message.content, at, names);
    // A message left with nothing the IR carries says nothing to any target.
    if (parts.length > 0) messages.push({ role: message.role, parts });
  });
  return { messages, system };
}
