/**
 * The parts of an IR user message → Gemini parts: text, images, and tool
 * results as `functionResponse` parts.
 */
import type { IrPart, IrToolResultPart } from '../../ir/request.js';
import { wireCallId } from './call-ids.js';
import { imagePart } from './image-encode.js';
import { parseObject, type JsonObject } from '../common/json.js';
import type { Part } from './wire.js';

/** The tool name of each call id in the conversation (a result may not say it; Gemini needs it). */
export type CallNames = ReadonlyMap<string, string>;

export function userParts(parts: IrPart[], names: CallNames): Part[] {
  return parts.flatMap((part): Part[] => {
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'image':
        return [imagePart(part.source)];
      case 'tool_result':
        return toolResultParts(part, names);
      default:
        // Calls and reasoning belong to the model's turns.
        return [];
    }
  });
}

/**
 * One result → its `functionResponse`, then the images it carried. Gemini's
 * own multimodal results (`functionResponse.parts`) exist only on newer
 * models, so images go beside the response in the same user turn instead.
 */
function toolResultParts(part: IrToolResultPart, names: CallNames): Part[] {
  const id = wireCallId(part.callId);
  const name = part.name ?? names.get(part.callId) ?? part.callId;
  const images = part.content.flatMap((item) => (item.type === 'image' ? [imagePart(item.source)] : []));
  return [{ functionResponse: { name, ...(id ? { id } : {}), response: responseOf(part) } }, ...images];
}

/**
 * `response` must be a JSON object (wire-formats.md §5.4): an object result
 * goes as it is, anything else is wrapped. Gemini reads an `error` key as the
 * call's failure, which is how an error result is told apart.
 */
function responseOf(part: IrToolResultPart): JsonObject {
  const text = part.content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('\n');
  const object = parseObject(text);
  if (part.isError) return { error: object ?? text };
  return object ?? { result: text };
}
