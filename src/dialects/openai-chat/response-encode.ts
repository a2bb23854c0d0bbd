/**
 * An IR answer → a client's `chat.completion`. Visible text goes in
 * `content`; reasoning goes only in `reasoning_content` (the de-facto field
 * opencode's openai-compatible adapter reads) and, when it can be replayed,
 * in LiteLLM's `thinking_blocks`, never in `content`.
 */
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningPart, IrToolCallPart } from '../../ir/request.js';
import type { IrResponse } from '../../ir/response.js';
import { clientCallId, completionId, redactedThinkingBlock, signedThinkingBlock, unixSeconds } from './client-shapes.js';
import { chatUsage, FINISH_REASON } from './maps.js';
import type { ChatCompletion, ClientAssistantMessage, ThinkingBlock, WireToolCall } from './wire.js';

export function encodeChatResponse(response: IrResponse, context: CodecContext): ChatCompletion {
  const text = response.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const calls = response.content.filter((part): part is IrToolCallPart => part.type === 'tool_call');
  const reasoning = response.content.filter((part): part is IrReasoningPart => part.type === 'reasoning');
  const reasoningText = reasoning.map((part) => part.text).join('');
  const thinkingBlocks = reasoning.flatMap(thinkingBlockOf);
  const message: ClientAssistantMessage = {
    role: 'assistant',
    // OpenAI's convention: null content on a turn that is only tool calls.
    content: text === '' && calls.length > 0 ? null : text,
    refusal: null,
    ...(calls.length > 0 ? { tool_calls: calls.map(toolCallOf) } : {}),
    ...(reasoningText !== '' ? { reasoning_content: reasoningText } : {}),
    ...(thinkingBlocks.length > 0 ? { thinking_blocks: thinkingBlocks } : {}),
  };
  return {
    id: completionId(response.id),
    object: 'chat.completion',
    created: unixSeconds(),
    model: context.clientModel,
    choices: [{ index: 0, message, finish_reason: FINISH_REASON[response.stopReason], logprobs: null }],
    usage: chatUsage(response.usage),
  };
}

function toolCallOf(call: IrToolCallPart): WireToolCall {
  return { id: clientCallId(call), type: 'function', function: { name: call.name, arguments: call.arguments } };
}

/** Only reasoning that can be sent back becomes a thinking block; unsigned text lives in reasoning_content alone. */
function thinkingBlockOf(part: IrReasoningPart): ThinkingBlock[] {
  if (part.redacted !== undefined) return [redactedThinkingBlock(part.redacted, part.provider)];
  if (part.signature !== undefined) return [signedThinkingBlock(part.text, part.signature, part.provider)];
  return [];
}
