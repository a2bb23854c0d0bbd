/**
 * The IR request → a Databricks Chat Completions request. Fields Databricks
 * refuses on some families (`strict`, `stream_options` on Gemini, …) are
 * written as the IR has them: the route's repairs strip them, for translated
 * and passthrough requests alike.
 */
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningSettings, IrRequest, IrResponseFormat, IrTool } from '../../ir/request.js';
import type { JsonObject } from '../common/json.js';
import { chatToolChoice, effortForBudget } from './maps.js';
import { encodeMessages } from './messages-encode.js';

export function encodeChatRequest(request: IrRequest, context: CodecContext): JsonObject {
  const hasTools = request.tools.length > 0;
  const effort = effortOf(request.reasoning);
  return {
    model: context.endpoint,
    messages: encodeMessages(request.system, request.messages, context.family),
    // Tool settings mean nothing without tools, and some endpoints refuse them alone.
    ...(hasTools ? { tools: request.tools.map(toolOf) } : {}),
    ...(hasTools && request.toolChoice ? { tool_choice: chatToolChoice(request.toolChoice) } : {}),
    ...(hasTools && request.parallelToolCalls !== undefined ? { parallel_tool_calls: request.parallelToolCalls } : {}),
    ...(request.maxOutputTokens !== undefined ? { max_tokens: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.stopSequences && request.stopSequences.length > 0 ? { stop: request.stopSequences } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
    ...(request.responseFormat ? { response_format: responseFormatOf(request.responseFormat) } : {}),
    ...(request.user ? { user: request.user } : {}),
    stream: request.stream,
    // Without it no usage arrives on the stream.
    ...(request.stream ? { stream_options: { include_usage: true } } : {}),
  };
}

/** Chat takes an effort; a budget (what Anthropic clients give) is mapped to one. */
function effortOf(reasoning: IrReasoningSettings | undefined): string | undefined {
  if (reasoning?.effort) return reasoning.effort;
  return reasoning?.budgetTokens !== undefined ? effortForBudget(reasoning.budgetTokens) : undefined;
}

function toolOf(tool: IrTool): JsonObject {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.parameters,
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
    },
  };
}

function responseFormatOf(format: IrResponseFormat): JsonObject {
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: { name: format.name, schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}) },
  };
}
