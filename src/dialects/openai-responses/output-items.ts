/**
 * The output items this dialect shows clients, finished (as in `output_item.done`,
 * the terminal event's `output` and a non-stream Response). One IR text
 * block is one `message` item; reasoning is a `reasoning` item whose summary
 * is the reasoning text and whose `encrypted_content` carries the signature;
 * a tool call is a `function_call` item (a Gemini call signature travels in
 * a reasoning item before it, src/ir/call-signatures.ts).
 */
import type { IrReasoningPart, IrToolCallPart } from '../../ir/request.js';
import type { IrOutputPart } from '../../ir/response.js';
import { clientCallId, itemId, type ItemPrefix } from './ids.js';
import { encryptedContentOf } from './reasoning-carrier.js';
import type { ResponseFunctionToolCall, ResponseOutputItem, ResponseOutputMessage, ResponseOutputText, ResponseReasoningItem } from './wire.js';

export function outputText(text: string): ResponseOutputText {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, text: string, status: ResponseOutputMessage['status']): ResponseOutputMessage {
  return { type: 'message', id, status, role: 'assistant', content: status === 'in_progress' ? [] : [outputText(text)] };
}

export function reasoningItem(id: string, text: string, encryptedContent: string | undefined): ResponseReasoningItem {
  return {
    type: 'reasoning',
    id,
    summary: text === '' ? [] : [{ type: 'summary_text', text }],
    ...(encryptedContent !== undefined ? { encrypted_content: encryptedContent } : {}),
  };
}

export function functionCallItem(id: string, call: Pick<IrToolCallPart, 'id' | 'name'>, args: string, status: 'in_progress' | 'completed'): ResponseFunctionToolCall {
  return { type: 'function_call', id, call_id: clientCallId(call.id), name: call.name, arguments: args, status };
}

/** The id prefix of the item each IR output part becomes. */
export const ITEM_PREFIX: Record<IrOutputPart['type'], ItemPrefix> = { text: 'msg', reasoning: 'rs', tool_call: 'fc' };

/** Reasoning with nothing to show or carry (no text, nothing replayable) is no item at all. */
export function carriesReasoning(part: IrReasoningPart): boolean {
  return part.text !== '' || encryptedContentOf(part) !== undefined;
}

/** A whole answer's parts → its finished output items, ids minted from the response's stem. */
export function outputItems(parts: readonly IrOutputPart[], stem: string): ResponseOutputItem[] {
  const shown = parts.filter((part) => part.type !== 'reasoning' || carriesReasoning(part));
  return shown.map((part, index): ResponseOutputItem => {
    const id = itemId(ITEM_PREFIX[part.type], stem, index);
    switch (part.type) {
      case 'text':
        return messageItem(id, part.text, 'completed');
      case 'reasoning':
        return reasoningItem(id, part.text, encryptedContentOf(part));
      case 'tool_call':
        return functionCallItem(id, part, part.arguments || '{}', 'completed');
    }
  });
}
