/**
 * IR messages → the `input` items of a Databricks Responses request.
 * - User turns: text and images in `message` items; tool results as
 *   `function_call_output` items, in the order they stand.
 * - Assistant turns: text as `{type:"message", role:"assistant", content:[output_text…]}`
 *   (consecutive texts share one item), calls as `function_call` items.
 * - Reasoning goes back only to its signer: OpenAI reasoning with its encrypted
 *   content becomes a `reasoning` item; any other reasoning is dropped, never
 *   turned into text. A Gemini call signature is dropped for the same reason.
 * - Ids Databricks would refuse (over 64 characters) are shortened the same
 *   way on the call and on its output, so the pair still matches.
 */
import type { IrImagePart, IrMessage, IrPart, IrReasoningPart, IrTextPart, IrToolResultPart } from '../../ir/request.js';
import { reasoningIdFor, replayableId } from './ids.js';
import { imageUrlOf } from '../common/image-url.js';
import { DIALECT_SIGNER } from './reasoning-carrier.js';
import type { FunctionCallOutputInput, ReasoningInput, ResponseInputImage, ResponseInputText, UpstreamInputItem } from './wire.js';

export function encodeInput(messages: readonly IrMessage[]): UpstreamInputItem[] {
  return messages.flatMap((message) => (message.role === 'user' ? userItems(message.parts) : assistantItems(message.parts)));
}

/** True when the messages replay reasoning upstream (the request must then ask for encrypted content and store nothing). */
export function replaysReasoning(messages: readonly IrMessage[]): boolean {
  return messages.some((message) => message.role === 'assistant' && message.parts.some((part) => part.type === 'reasoning' && isOwnReasoning(part)));
}

/** Reasoning Databricks' OpenAI models can take back: theirs, with the encrypted content. */
function isOwnReasoning(part: IrReasoningPart): part is IrReasoningPart & { signature: string } {
  return part.provider === DIALECT_SIGNER && part.signature !== undefined && part.signature !== '';
}

function userItems(parts: readonly IrPart[]): UpstreamInputItem[] {
  const items: UpstreamInputItem[] = [];
  let content: (ResponseInputText | ResponseInputImage)[] = [];
  const flush = (): void => {
    if (content.length > 0) items.push({ type: 'message', role: 'user', content });
    content = [];
  };
  for (const part of parts) {
    if (part.type === 'text') content.push(inputText(part));
    else if (part.type === 'image') content.push(inputImage(part));
    else if (part.type === 'tool_result') {
      flush();
      items.push(functionCallOutput(part));
    }
    // Calls and reasoning in a user turn have no place upstream.
  }
  flush();
  return items;
}

function assistantItems(parts: readonly IrPart[]): UpstreamInputItem[] {
  const items: UpstreamInputItem[] = [];
  let texts: { type: 'output_text'; text: string }[] = [];
  const flush = (): void => {
    if (texts.length > 0) items.push({ type: 'message', role: 'assistant', content: texts });
    texts = [];
  };
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') texts.push({ type: 'output_text', text: part.text });
      continue;
    }
    flush();
    if (part.type === 'tool_call') {
      items.push({ type: 'function_call', call_id: replayableId(part.id, 'call'), name: part.name, arguments: part.arguments || '{}' });
    } else if (part.type === 'reasoning' && isOwnReasoning(part)) {
      items.push(reasoningItem(part));
    }
  }
  flush();
  return items;
}

function reasoningItem(part: IrReasoningPart & { signature: string }): ReasoningInput {
  return {
    type: 'reasoning',
    // A reasoning item needs an id; one that was lost in another dialect is derived from its content.
    id: part.id ? replayableId(part.id, 'rs') : reasoningIdFor(part.signature),
    summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
    encrypted_content: part.signature,
  };
}

function inputText(part: IrTextPart): ResponseInputText {
  return { type: 'input_text', text: part.text };
}

function inputImage(part: IrImagePart): ResponseInputImage {
  return { type: 'input_image', image_url: imageUrlOf(part.source), detail: 'auto' };
}

/**
 * A tool result: a string when it is only text, a content list when images
 * come with it. Responses has no error flag on an output; the text says what
 * went wrong.
 */
function functionCallOutput(part: IrToolResultPart): FunctionCallOutputInput {
  const callId = replayableId(part.callId, 'call');
  const onlyText = part.content.every((content) => content.type === 'text');
  if (onlyText) return { type: 'function_call_output', call_id: callId, output: part.content.map((content) => (content as IrTextPart).text).join('\n') };
  return { type: 'function_call_output', call_id: callId, output: part.content.map((content) => (content.type === 'text' ? inputText(content) : inputImage(content))) };
}
