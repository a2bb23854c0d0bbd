/** The IR request → a Databricks Responses request (gpt and codex endpoints). */
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningSettings, IrRequest, IrResponseFormat, IrTool } from '../../ir/request.js';
import { MAX_ID_LENGTH } from './ids.js';
import { encodeInput, replaysReasoning } from './input-encode.js';
import { effortForBudget, wireToolChoice } from './maps.js';
import type { ResponseFormatTextConfig, UpstreamResponsesRequest } from './wire.js';

/**
 * OpenAI refuses a smaller `max_output_tokens`; Claude Code probes with
 * `max_tokens: 1`, which would otherwise fail the whole request.
 */
const MIN_OUTPUT_TOKENS = 16;

// Not carried: `topK` and `stopSequences` (Responses has neither) and cache
// hints (OpenAI caches on its own).

export function encodeResponsesRequest(request: IrRequest, context: CodecContext): UpstreamResponsesRequest {
  const instructions = request.system.map((part) => part.text).filter((text) => text !== '').join('\n\n');
  const reasoning = reasoningOf(request.reasoning);
  // Reasoning is replayed, or will be worth replaying next turn: without
  // storage its encrypted content is the only way back (wire-formats §7).
  const wantsEncryptedReasoning = replaysReasoning(request.messages) || reasoning !== undefined;
  return {
    model: context.endpoint,
    ...(instructions !== '' ? { instructions } : {}),
    input: encodeInput(request.messages),
    ...(request.tools.length > 0 ? { tools: request.tools.map(functionTool) } : {}),
    ...(request.toolChoice ? { tool_choice: wireToolChoice(request.toolChoice) } : {}),
    ...(request.parallelToolCalls !== undefined ? { parallel_tool_calls: request.parallelToolCalls } : {}),
    ...(request.maxOutputTokens !== undefined ? { max_output_tokens: Math.max(MIN_OUTPUT_TOKENS, request.maxOutputTokens) } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(request.responseFormat ? { text: { format: textFormat(request.responseFormat) } } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    // OpenAI caps end-user ids at 64 characters; a longer one (Claude Code's) would fail the whole request.
    ...(request.user !== undefined && request.user.length <= MAX_ID_LENGTH ? { user: request.user } : {}),
    ...(wantsEncryptedReasoning ? { include: ['reasoning.encrypted_content' as const], store: false as const } : {}),
    stream: request.stream,
  };
}

function functionTool(tool: IrTool): NonNullable<UpstreamResponsesRequest['tools']>[number] {
  return {
    type: 'function',
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    parameters: tool.parameters,
    // Responses makes function tools strict unless told otherwise, and strict mode refuses most
    // schemas written for other dialects (every property required, no extra properties).
    strict: tool.strict ?? false,
  };
}

/**
 * An effort as given (the OpenAI SDK knows every IR effort by the same name),
 * else one mapped from a budget (≤2048 low, ≤8192 medium, else high); a
 * summary when the client wants to see reasoning.
 */
function reasoningOf(settings: IrReasoningSettings | undefined): UpstreamResponsesRequest['reasoning'] {
  if (!settings) return undefined;
  const effort = settings.effort ?? (settings.budgetTokens !== undefined ? effortForBudget(settings.budgetTokens) : undefined);
  if (effort === undefined && !settings.summary) return undefined;
  return { ...(effort ? { effort } : {}), ...(settings.summary ? { summary: 'auto' as const } : {}) };
}

function textFormat(format: IrResponseFormat): ResponseFormatTextConfig {
  if (format.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', name: format.name, schema: format.schema, ...(format.strict !== undefined ? { strict: format.strict } : {}) };
}
