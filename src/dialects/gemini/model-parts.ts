/**
 * The parts of an IR assistant message → Gemini `model` parts. Reasoning and
 * call signatures go back only when Gemini made them (src/ir/README.md):
 * another provider's reasoning is dropped, never shown as text, and its calls
 * go without a signature.
 *
 * Gemini 3 refuses a current-turn call that lacks its signature: such a call
 * gets Google's placeholder when the turns are assembled (contents-encode.ts).
 */
import type { IrPart, IrReasoningPart, IrToolCallPart } from '../../ir/request.js';
import { wireCallId } from './call-ids.js';
import { imagePart } from './image-encode.js';
import { parseObject } from '../common/json.js';
import type { Part } from './wire.js';

export function modelParts(parts: IrPart[]): Part[] {
  return parts.flatMap((part): Part[] => {
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'reasoning':
        return reasoningParts(part);
      case 'tool_call':
        return [callPart(part)];
      case 'image':
        return [imagePart(part.source)];
      default:
        return [];
    }
  });
}

/**
 * A thought goes back as the thought part it came as. A signature with no
 * thought text is how Gemini ends a streamed turn without calls (an empty
 * text part carrying it, recorded `google-text`): it goes back in that shape.
 */
function reasoningParts(part: IrReasoningPart): Part[] {
  if (part.provider !== 'gemini') return [];
  const signature = part.signature ? { thoughtSignature: part.signature } : {};
  if (part.text !== '') return [{ text: part.text, thought: true, ...signature }];
  return part.signature ? [{ text: '', ...signature }] : [];
}

/** `args` must be an object; arguments that are not one (a call cut short) go as none. */
function callPart(call: IrToolCallPart): Part {
  const id = wireCallId(call.id);
  const signature = call.signature?.provider === 'gemini' ? { thoughtSignature: call.signature.value } : {};
  return { functionCall: { name: call.name, ...(id ? { id } : {}), args: parseObject(call.arguments) ?? {} }, ...signature };
}
