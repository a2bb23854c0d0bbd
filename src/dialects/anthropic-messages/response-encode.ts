import type { CodecContext } from '../../ir/codec.js';
import type { IrOutputPart, IrResponse } from '../../ir/response.js';
import { clientMessageId, clientSignature } from './client-ids.js';
import { parseObject } from '../common/json.js';
import { STOP_REASON_TO_ANTHROPIC } from './maps.js';
import { wireUsage } from './usage.js';
import type { WireContentBlock, WireMessage } from './wire.js';

/** IR answer → the Message a Messages client expects. */
export function encodeMessagesResponse(response: IrResponse, context: CodecContext): WireMessage {
  return {
    id: clientMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: context.clientModel,
    content: withoutTrailingSignatures(response.content).flatMap((part) => encodeOutputPart(part) ?? []),
    stop_reason: STOP_REASON_TO_ANTHROPIC[response.stopReason],
    stop_sequence: response.stopSequence ?? null,
    usage: wireUsage(response.usage),
  };
}

/** As streamed (BlockWriter): a signature with no thinking text after the answer text is not written. */
function withoutTrailingSignatures(parts: readonly IrOutputPart[]): IrOutputPart[] {
  const firstText = parts.findIndex((part) => part.type === 'text' && part.text !== '');
  if (firstText < 0) return [...parts];
  return parts.filter((part, i) => !(i > firstText && part.type === 'reasoning' && !part.redacted && part.text === ''));
}

function encodeOutputPart(part: IrOutputPart): WireContentBlock | undefined {
  switch (part.type) {
    case 'text':
      // Anthropic clients replay the answer, and empty text blocks are refused on replay.
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'reasoning':
      if (part.redacted) return { type: 'redacted_thinking', data: clientSignature(part.provider, part.redacted) };
      if (part.text === '' && !part.signature) return undefined;
      return { type: 'thinking', thinking: part.text, signature: clientSignature(part.provider, part.signature) };
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: parseObject(part.arguments) ?? {} };
  }
}
