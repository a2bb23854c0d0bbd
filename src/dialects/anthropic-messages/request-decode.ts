import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningSettings, IrRequest, IrResponseFormat, IrTool, IrToolChoice } from '../../ir/request.js';
import { decodeCacheControl, decodeMessages, decodeSystem } from './content-decode.js';
import { arrayOf, isRecord, numberOr, stringOr, type JsonObject } from '../common/json.js';
import { invalidField } from './invalid-field.js';
import { isEffort, TOOL_CHOICE_FROM_ANTHROPIC } from './maps.js';

/**
 * A client's Messages request → IR. Fields left out on purpose, because no
 * other dialect can act on them: `context_management` (edits Anthropic's
 * server-side context), top-level `cache_control` (automatic caching of
 * Anthropic's own prompt cache), `service_tier`, `container` (Anthropic's
 * code-execution sandbox) and `inference_geo`.
 */
export function decodeMessagesRequest(body: JsonObject, context: CodecContext): IrRequest {
  const { messages, system: hoisted } = decodeMessages(body.messages);
  const request: IrRequest = {
    model: context.endpoint,
    system: [...decodeSystem(body.system, 'system'), ...hoisted],
    messages,
    tools: decodeTools(body.tools),
    stream: body.stream === true,
  };
  const choice = decodeToolChoice(body.tool_choice);
  if (choice.toolChoice) request.toolChoice = choice.toolChoice;
  if (choice.parallelToolCalls === false) request.parallelToolCalls = false;
  const maxTokens = numberOr(body.max_tokens);
  if (maxTokens !== undefined) request.maxOutputTokens = maxTokens;
  const temperature = numberOr(body.temperature);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = numberOr(body.top_p);
  if (topP !== undefined) request.topP = topP;
  const topK = numberOr(body.top_k);
  if (topK !== undefined) request.topK = topK;
  const stops = arrayOf(body.stop_sequences).filter((stop): stop is string => typeof stop === 'string');
  if (stops.length > 0) request.stopSequences = stops;
  const reasoning = decodeThinking(body.thinking, body.output_config);
  if (reasoning) request.reasoning = reasoning;
  const format = decodeOutputFormat(body.output_config);
  if (format) request.responseFormat = format;
  const user = isRecord(body.metadata) ? stringOr(body.metadata.user_id) : undefined;
  if (user) request.user = user;
  return request;
}

/**
 * Custom tools only. Server tools (`web_search_20250305`, `code_execution_*`,
 * `bash_*`, …, recognisable by a versioned `type`) run on Anthropic's servers;
 * no other model can execute them, so they are dropped.
 */
function decodeTools(raw: unknown): IrTool[] {
  if (raw !== undefined && !Array.isArray(raw)) throw invalidField('tools', 'must be an array');
  return arrayOf(raw).flatMap((tool, i): IrTool[] => {
    if (!isRecord(tool)) throw invalidField(`tools.${i}`, 'must be an object');
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') return [];
    const name = stringOr(tool.name);
    if (!name) throw invalidField(`tools.${i}.name`, 'is required');
    const ir: IrTool = { name, parameters: isRecord(tool.input_schema) ? tool.input_schema : { type: 'object', properties: {} } };
    const description = stringOr(tool.description);
    if (description !== undefined) ir.description = description;
    if (typeof tool.strict === 'boolean') ir.strict = tool.strict;
    const cache = decodeCacheControl(tool.cache_control);
    if (cache) ir.cacheControl = cache;
    return [ir];
  });
}

function decodeToolChoice(raw: unknown): { toolChoice?: IrToolChoice; parallelToolCalls?: boolean } {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw invalidField('tool_choice', 'must be an object');
  const type = typeof raw.type === 'string' ? TOOL_CHOICE_FROM_ANTHROPIC[raw.type] : undefined;
  if (!type) throw invalidField('tool_choice.type', "must be 'auto', 'any', 'none' or 'tool'");
  let toolChoice: IrToolChoice;
  if (type === 'tool') {
    const name = stringOr(raw.name);
    if (!name) throw invalidField('tool_choice.name', 'is required for a tool choice of type tool');
    toolChoice = { type, name };
  } else {
    toolChoice = { type };
  }
  return raw.disable_parallel_tool_use === true ? { toolChoice, parallelToolCalls: false } : { toolChoice };
}

/**
 * `thinking` → reasoning settings. `adaptive` lets the model pick its budget
 * from `output_config.effort` (Claude Code sends both); without an effort,
 * Anthropic's default is medium. `display: "omitted"` asks for no visible
 * thinking, which is the IR's `summary: false`.
 */
function decodeThinking(raw: unknown, outputConfig: unknown): IrReasoningSettings | undefined {
  if (!isRecord(raw)) return undefined;
  const effort = isRecord(outputConfig) && isEffort(outputConfig.effort) ? outputConfig.effort : undefined;
  const summary = raw.display !== 'omitted';
  switch (raw.type) {
    case 'enabled': {
      const budget = numberOr(raw.budget_tokens);
      return { ...(budget !== undefined ? { budgetTokens: budget } : {}), ...(effort ? { effort } : {}), summary };
    }
    case 'adaptive':
      return { effort: effort ?? 'medium', summary };
    default:
      return undefined;
  }
}

/** `output_config.format` (structured output) → the IR response format. */
function decodeOutputFormat(outputConfig: unknown): IrResponseFormat | undefined {
  if (!isRecord(outputConfig) || !isRecord(outputConfig.format)) return undefined;
  const format = outputConfig.format;
  if (format.type !== 'json_schema' || !isRecord(format.schema)) return undefined;
  // Anthropic's format has no name; OpenAI's requires one.
  return { type: 'json_schema', name: 'response', schema: format.schema };
}
