/** The IR answer → a whole `GenerateContentResponse`, for a Gemini client's `generateContent`. */
import type { CodecContext } from '../../ir/codec.js';
import type { IrOutputPart, IrResponse } from '../../ir/response.js';
import { callPart, finishReasonOf, thoughtPart, usageMetadataOf } from './client-answer.js';
import type { Part } from './wire.js';

export function encodeGeminiResponse(response: IrResponse, context: CodecContext): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: response.content.flatMap(partOf) }, finishReason: finishReasonOf(response.stopReason), index: 0 }],
    usageMetadata: usageMetadataOf(response.usage),
    modelVersion: context.clientModel,
    responseId: response.id,
  };
}

function partOf(part: IrOutputPart): Part[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ text: part.text }];
    case 'reasoning':
      return part.text === '' && part.signature === undefined && part.redacted === undefined ? [] : [thoughtPart(part.text, part)];
    case 'tool_call':
      return [callPart(part)];
  }
}
