/**
 * A Databricks `chat.completion` → the IR answer. Content is a string or
 * Databricks' list content (text, reasoning items); other upstreams put
 * reasoning in `reasoning_content` (or LiteLLM's `thinking_blocks`).
 */
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningPart, IrToolCallPart } from '../../ir/request.js';
import { EMPTY_USAGE, type IrOutputPart, type IrResponse } from '../../ir/response.js';
import { ProxyError } from '../../errors/proxy-error.js';
import { googleSignature } from './gemini-signature.js';
import { isRecord, type JsonObject, stringOr } from '../common/json.js';
import { irUsage } from './maps.js';
import { reasoningItemParts, type Signer, thinkingBlockPart } from './reasoning-items.js';
import { errorInBody } from '../common/upstream-error.js';
import { upstreamSigner, upstreamStopReason } from './upstream-read.js';

export function decodeChatResponse(body: unknown, context: CodecContext): IrResponse {
  if (!isRecord(body)) throw new ProxyError('upstream', 'the upstream answer is not a JSON object');
  const error = errorInBody(body);
  if (error) throw error;
  const choice = Array.isArray(body.choices) ? body.choices.find(isRecord) : undefined;
  if (!choice) throw new ProxyError('upstream', 'the upstream answer has no choices');
  const message = isRecord(choice.message) ? choice.message : {};
  const sign = upstreamSigner(context.family);
  const calls = toolCalls(message.tool_calls);
  const content: IrOutputPart[] = [...separateReasoning(message, sign), ...contentParts(message.content, sign), ...calls];
  return {
    id: stringOr(body.id) ?? `chatcmpl-${crypto.randomUUID()}`,
    model: stringOr(body.model) ?? context.endpoint,
    content,
    stopReason: upstreamStopReason(stringOr(choice.finish_reason), calls.length > 0),
    usage: isRecord(body.usage) ? irUsage(body.usage) : EMPTY_USAGE,
  };
}

/** `thinking_blocks` (signed) win over `reasoning_content`, which repeats the same text unsigned. */
function separateReasoning(message: JsonObject, sign: Signer): IrReasoningPart[] {
  if (Array.isArray(message.thinking_blocks)) {
    return message.thinking_blocks.flatMap((block: unknown) => thinkingBlockPart(block, sign) ?? []);
  }
  const text = stringOr(message.reasoning_content);
  return text ? [{ type: 'reasoning', text }] : [];
}

function contentParts(content: unknown, sign: Signer): IrOutputPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return [];
  return content.flatMap((item: unknown): IrOutputPart[] => {
    if (!isRecord(item)) return [];
    if (item.type === 'text' && typeof item.text === 'string' && item.text !== '') return [{ type: 'text', text: item.text }];
    if (item.type === 'reasoning' && Array.isArray(item.summary)) return reasoningItemParts(item.summary, sign);
    // Images in an answer have no IR output form.
    return [];
  });
}

function toolCalls(raw: unknown): IrToolCallPart[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((call: unknown): IrToolCallPart[] => {
    if (!isRecord(call) || !isRecord(call.function)) return [];
    const signature = googleSignature(call.extra_content);
    return [
      {
        type: 'tool_call',
        id: stringOr(call.id) || `call_${crypto.randomUUID()}`,
        name: stringOr(call.function.name) ?? '',
        arguments: stringOr(call.function.arguments) || '{}',
        ...(signature ? { signature } : {}),
      },
    ];
  });
}
