import type {
  Base64ImageSource,
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { IrImagePart, IrMessage, IrPart, IrTextPart } from '../../ir/request.js';
import { parseObject } from '../common/json.js';

/**
 * IR messages → Anthropic `messages`. Anthropic wants strictly alternating
 * roles, every tool result first in the user message right after the call,
 * and signed thinking first in its assistant message; so parts are encoded
 * one by one, grouped into turns by the role that can carry them (merging
 * consecutive same-role messages), then ordered within each turn.
 */

type Role = 'user' | 'assistant';

/** The role whose message can carry a part: results and images only go in user turns, calls and reasoning in assistant turns. */
function carrierRole(part: IrPart, messageRole: Role): Role {
  switch (part.type) {
    case 'tool_result':
    case 'image':
      return 'user';
    case 'tool_call':
    case 'reasoning':
      return 'assistant';
    case 'text':
      return messageRole;
  }
}

/** Databricks-Claude refuses empty and whitespace-only text blocks ("text content blocks must be non-empty"). */
export function encodeText(part: IrTextPart): TextBlockParam | undefined {
  if (part.text.trim() === '') return undefined;
  return part.cacheControl ? { type: 'text', text: part.text, cache_control: part.cacheControl } : { type: 'text', text: part.text };
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function base64Image(mediaType: string, data: string): ImageBlockParam {
  // Anthropic accepts jpeg, png, gif and webp; anything else is the upstream's to refuse, with its own message.
  return { type: 'image', source: { type: 'base64', media_type: mediaType as Base64ImageSource['media_type'], data } };
}

function encodeImage(part: IrImagePart): ImageBlockParam {
  const { source } = part;
  if (source.kind === 'base64') return base64Image(source.mediaType, source.data);
  // A data URL is inline data, which Anthropic takes only as a base64 source.
  const inline = DATA_URL.exec(source.url);
  if (inline) return base64Image(inline[1] ?? '', inline[2] ?? '');
  return { type: 'image', source: { type: 'url', url: source.url } };
}

/**
 * Anthropic tool ids must match `^[a-zA-Z0-9_-]+$`; ids from other dialects
 * may not. Replacing the rest keeps a call and its result paired, since both
 * go through here.
 */
export function anthropicToolId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function toolResultContent(content: (IrTextPart | IrImagePart)[]): ToolResultBlockParam['content'] {
  return content.flatMap((part) => {
    const block = part.type === 'text' ? encodeText(part) : encodeImage(part);
    return block ? [block] : [];
  });
}

function encodePart(part: IrPart): ContentBlockParam | undefined {
  switch (part.type) {
    case 'text':
      return encodeText(part);
    case 'image':
      return encodeImage(part);
    case 'tool_call':
      // A Gemini signature riding on the call is Gemini's: it never goes to Anthropic.
      return { type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input: parseObject(part.arguments) ?? {} };
    case 'tool_result': {
      const content = toolResultContent(part.content);
      return {
        type: 'tool_result',
        tool_use_id: anthropicToolId(part.callId),
        // An empty result is sent without content: an empty text block would be refused.
        ...(content && content.length > 0 ? { content } : {}),
        ...(part.isError ? { is_error: true } : {}),
      };
    }
    case 'reasoning':
      // Only Anthropic's own signed reasoning can be replayed; anything else is dropped, never shown as text.
      if (part.provider !== 'anthropic') return undefined;
      if (part.redacted) return { type: 'redacted_thinking', data: part.redacted };
      return part.signature ? { type: 'thinking', thinking: part.text, signature: part.signature } : undefined;
  }
}

function isThinking(block: ContentBlockParam): boolean {
  return block.type === 'thinking' || block.type === 'redacted_thinking';
}

/** Thinking first in assistant turns; tool results first in user turns; the rest keeps its order. */
function ordered(role: Role, blocks: ContentBlockParam[]): ContentBlockParam[] {
  const first = (block: ContentBlockParam): boolean => (role === 'assistant' ? isThinking(block) : block.type === 'tool_result');
  return [...blocks.filter(first), ...blocks.filter((block) => !first(block))];
}

export function encodeMessages(messages: IrMessage[]): MessageParam[] {
  const turns: { role: Role; blocks: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    for (const part of message.parts) {
      const block = encodePart(part);
      if (!block) continue;
      const role = carrierRole(part, message.role);
      const last = turns.at(-1);
      if (last?.role === role) last.blocks.push(block);
      else turns.push({ role, blocks: [block] });
    }
  }
  return turns.map(({ role, blocks }) => ({ role, content: ordered(role, blocks) }));
}

/** Whether the last assistant turn calls tools without the signed thinking Anthropic requires in front of them when thinking is on. */
export function lastToolTurnLacksThinking(messages: MessageParam[]): boolean {
  const last = messages.findLast((message) => message.role === 'assistant');
  if (!last || !Array.isArray(last.content)) return false;
  const blocks = last.content;
  return blocks.some((block) => block.type === 'tool_use') && !(blocks[0] && isThinking(blocks[0]));
}
