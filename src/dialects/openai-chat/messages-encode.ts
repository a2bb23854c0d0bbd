/**
 * IR system + messages → Databricks Chat `messages[]`.
 *
 * - The system parts become one system message (one text, joined by blank lines).
 * - Tool results become one `tool` message per call, placed first (Chat wants
 *   them right after the assistant turn that made the calls); the rest of the
 *   user turn follows as a user message.
 * - Reasoning is replayed only toward Claude, and only Anthropic-signed, in
 *   Databricks' list content shape (databricks.md §5.1); every other
 *   provider's reasoning is dropped, never turned into text.
 * - Cache breakpoints survive only toward Claude (Databricks accepts them on
 *   Claude's chat content parts, §5.4).
 */
import type { Family } from '../../databricks/family.js';
import type { IrImagePart, IrMessage, IrPart, IrReasoningPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/request.js';
import { googleExtraContent } from './gemini-signature.js';
import { imageUrlOf } from '../common/image-url.js';
import type { JsonObject } from '../common/json.js';
import type { CacheableTextPart, ChatCompletionContentPartImage, DatabricksContentItem, WireToolCall } from './wire.js';

/**
 * Chat tool results are text. An image in a tool result (only Anthropic has
 * them) is replaced by a note, so the model knows something was there.
 */
const IMAGE_IN_TOOL_RESULT = '[image omitted: tool results cannot carry images on this model]';

export function encodeMessages(system: readonly IrTextPart[], messages: readonly IrMessage[], family: Family): JsonObject[] {
  const out: JsonObject[] = [];
  if (system.length > 0) out.push({ role: 'system', content: systemContent(system, family) });
  for (const message of messages) {
    if (message.role === 'user') out.push(...userMessages(message.parts, family));
    else out.push(...assistantMessages(message.parts, family));
  }
  return out;
}

/** One text, unless a cache breakpoint toward Claude needs the parts kept apart. */
function systemContent(system: readonly IrTextPart[], family: Family): ReturnType<typeof contentOf> {
  if (family === 'claude' && system.some((part) => part.cacheControl)) return contentOf(system, family);
  return system.map((part) => part.text).join('\n\n');
}

function userMessages(parts: readonly IrPart[], family: Family): JsonObject[] {
  const results = parts.filter((part): part is IrToolResultPart => part.type === 'tool_result');
  const rest = parts.filter((part): part is IrTextPart | IrImagePart => part.type === 'text' || part.type === 'image');
  const out: JsonObject[] = results.map((result) => ({ role: 'tool', tool_call_id: result.callId, content: toolResultText(result) }));
  if (rest.length > 0) out.push({ role: 'user', content: contentOf(rest, family) });
  return out;
}

function toolResultText(result: IrToolResultPart): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : IMAGE_IN_TOOL_RESULT)).join('\n');
}

/** A single plain text stays a string (what every chat template handles); anything richer is a list of parts. */
function contentOf(parts: readonly (IrTextPart | IrImagePart)[], family: Family): string | (CacheableTextPart | ChatCompletionContentPartImage)[] {
  const keepCache = family === 'claude';
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && !(keepCache && only.cacheControl)) return only.text;
  return parts.map((part) => {
    if (part.type === 'image') return { type: 'image_url', image_url: { url: imageUrlOf(part.source) } };
    return { type: 'text', text: part.text, ...(keepCache && part.cacheControl ? { cache_control: part.cacheControl } : {}) };
  });
}

function assistantMessages(parts: readonly IrPart[], family: Family): JsonObject[] {
  const calls = parts.filter((part): part is IrToolCallPart => part.type === 'tool_call').map((call) => toolCallOf(call, family));
  const replayed = family === 'claude' && parts.some(isAnthropicReasoning);
  const content = replayed ? listContent(parts) : plainText(parts);
  if (calls.length === 0 && (content === null || content === '')) return [];
  return [{ role: 'assistant', content, ...(calls.length > 0 ? { tool_calls: calls } : {}) }];
}

/** Text only; null when there is none (OpenAI's convention, and Claude refuses empty text next to tool calls). */
function plainText(parts: readonly IrPart[]): string | null {
  const text = parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  return text === '' ? null : text;
}

/** Databricks' list content: reasoning items and text items, in the order the model produced them. */
function listContent(parts: readonly IrPart[]): DatabricksContentItem[] {
  return parts.flatMap((part): DatabricksContentItem[] => {
    if (part.type === 'text') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    if (part.type !== 'reasoning' || !isAnthropicReasoning(part)) return [];
    if (part.redacted !== undefined) return [{ type: 'reasoning', summary: [{ type: 'summary_encrypted_text', data: part.redacted }] }];
    return [{ type: 'reasoning', summary: [{ type: 'summary_text', text: part.text, signature: part.signature as string }] }];
  });
}

function isAnthropicReasoning(part: IrPart): part is IrReasoningPart {
  return part.type === 'reasoning' && part.provider === 'anthropic' && (part.signature !== undefined || part.redacted !== undefined);
}

/** A Gemini call signature goes back only to Gemini, in Google's OpenAI-compatible carrier. */
function toolCallOf(call: IrToolCallPart, family: Family): WireToolCall {
  const signature = family === 'gemini' && call.signature?.provider === 'gemini' ? call.signature.value : undefined;
  return {
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
    ...(signature ? { extra_content: googleExtraContent(signature) } : {}),
  };
}
