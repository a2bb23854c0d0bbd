import type { Tool, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { CodecContext } from '../../ir/codec.js';
import type { IrRequest, IrTool } from '../../ir/request.js';
import { jsonResponseTool } from './json-response-tool.js';
import { encodeMessages, encodeText, lastToolTurnLacksThinking } from './messages-encode.js';
import { TOOL_CHOICE_TO_ANTHROPIC } from './maps.js';
import { forcesToolUse, maxTokensWithThinking, samplingWithThinking, thinkingBudget } from './thinking-encode.js';
import type { WireRequest } from './wire.js';

/**
 * `max_tokens` is required by the Messages API; chat and Responses clients
 * often leave it out. 4096 answers most coding turns without letting a
 * runaway generation run long, and is within every Claude model's limit.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/** IR → a Databricks Anthropic Messages request (for Claude endpoints). */
export function encodeMessagesRequest(request: IrRequest, context: CodecContext): WireRequest {
  const messages = encodeMessages(request.messages);
  const requestedMax = request.maxOutputTokens ?? DEFAULT_MAX_TOKENS;
  const budget = thinkingBudget(request.reasoning);
  // Structured output travels as a tool (json-response-tool.ts), forced when the client has no tools of its own.
  const jsonTool = jsonResponseTool(request);
  const forced = forcesToolUse(request.toolChoice) || jsonTool?.forced === true;
  // Thinking is left off when Anthropic would refuse it: with forced tool use,
  // and when the last assistant turn calls tools without signed thinking in
  // front (history from another model, or reasoning another provider signed,
  // has none to replay: "a final assistant message must start with a thinking
  // block"). Answering without thinking beats failing the turn.
  const thinking = budget !== undefined && !forced && !lastToolTurnLacksThinking(messages) ? budget : undefined;

  const body: WireRequest = {
    model: context.endpoint,
    max_tokens: thinking === undefined ? requestedMax : maxTokensWithThinking(requestedMax, thinking),
    messages,
  };
  const system = request.system.flatMap((part) => encodeText(part) ?? []);
  if (system.length > 0) body.system = system;
  if (request.tools.length > 0) {
    body.tools = request.tools.map(encodeTool);
    const choice = encodeToolChoice(request);
    if (choice) body.tool_choice = choice;
  }
  if (jsonTool) {
    body.tools = [...(body.tools ?? []), jsonTool.tool];
    // One call only: two JSON answers side by side would not parse as one.
    if (jsonTool.forced) body.tool_choice = { type: 'tool', name: jsonTool.tool.name, disable_parallel_tool_use: true };
  }
  if (thinking !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: thinking };
    Object.assign(body, samplingWithThinking(request));
  } else {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
    if (request.topK !== undefined) body.top_k = request.topK;
  }
  if (request.stopSequences && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  body.stream = request.stream;
  return body;
}

function encodeTool(tool: IrTool): Tool {
  // Anthropic's input_schema must say `type: "object"` (and Databricks refuses a schema without it).
  const encoded: Tool = { name: tool.name, input_schema: { ...tool.parameters, type: 'object' } };
  if (tool.description !== undefined) encoded.description = tool.description;
  if (tool.strict !== undefined) encoded.strict = tool.strict;
  if (tool.cacheControl) encoded.cache_control = tool.cacheControl;
  return encoded;
}

/** Anthropic accepts `tool_choice` only alongside tools, hence the caller's check. */
function encodeToolChoice(request: IrRequest): ToolChoice | undefined {
  const choice = request.toolChoice ?? (request.parallelToolCalls === false ? { type: 'auto' as const } : undefined);
  if (!choice) return undefined;
  const parallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice.type === 'tool') return { type: 'tool', name: choice.name, ...parallel };
  const type = TOOL_CHOICE_TO_ANTHROPIC[choice.type];
  // `none` has no parallel setting: it allows no tool calls at all.
  return type === 'none' ? { type } : { type, ...parallel };
}
