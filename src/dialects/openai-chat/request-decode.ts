/** A client's Chat Completions request → the IR request. */
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningSettings, IrRequest, IrResponseFormat, IrTool, IrToolChoice } from '../../ir/request.js';
import { invalid } from './invalid.js';
import { isRecord, type JsonObject, numberOr, stringOr } from './json.js';
import { irEffortOf, irSimpleToolChoice } from './maps.js';
import { decodeMessages } from './messages-decode.js';

export function decodeChatRequest(body: JsonObject, context: CodecContext): IrRequest {
  // The IR has one answer per request; more choices cannot be honoured.
  if (typeof body.n === 'number' && body.n > 1) return invalid('n > 1 is not supported for this model', 'n');
  const { system, messages } = decodeMessages(body.messages);
  const maxOutputTokens = positiveInteger(body.max_completion_tokens, 'max_completion_tokens') ?? positiveInteger(body.max_tokens, 'max_tokens');
  const toolChoice = decodeToolChoice(body.tool_choice);
  const reasoning = decodeReasoning(body.reasoning_effort);
  const responseFormat = decodeResponseFormat(body.response_format);
  const stopSequences = decodeStop(body.stop);
  const temperature = numberOr(body.temperature);
  const topP = numberOr(body.top_p);
  const user = stringOr(body.user) ?? stringOr(body.safety_identifier);
  const stream = body.stream === true;
  return {
    model: context.endpoint,
    system,
    messages,
    tools: decodeTools(body.tools),
    ...(toolChoice ? { toolChoice } : {}),
    ...(typeof body.parallel_tool_calls === 'boolean' ? { parallelToolCalls: body.parallel_tool_calls } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
    ...(topP !== undefined ? { topP } : {}),
    ...(stopSequences ? { stopSequences } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    stream,
    ...(stream && isRecord(body.stream_options) && body.stream_options.include_usage === true ? { includeUsage: true } : {}),
    ...(user ? { user } : {}),
  };
}

function positiveInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return invalid(`${param} must be a positive integer`, param);
  return value;
}

/** A tool without parameters takes none: an empty object schema (Databricks refuses schemas without `type: object`). */
function decodeTools(raw: unknown): IrTool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalid('tools must be an array', 'tools');
  return raw.map((tool: unknown, i): IrTool => {
    const at = `tools[${i}]`;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      return invalid('only function tools can be translated for this model', `${at}.type`);
    }
    const fn = tool.function;
    if (typeof fn.name !== 'string' || fn.name === '') return invalid('a function tool needs a name', `${at}.function.name`);
    if (fn.parameters !== undefined && fn.parameters !== null && !isRecord(fn.parameters)) {
      return invalid('function parameters must be a JSON schema object', `${at}.function.parameters`);
    }
    const description = stringOr(fn.description);
    return {
      name: fn.name,
      ...(description !== undefined ? { description } : {}),
      parameters: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
      ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
    };
  });
}

function decodeToolChoice(raw: unknown): IrToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return irSimpleToolChoice(raw) ?? invalid(`unknown tool_choice '${raw}'`, 'tool_choice');
  if (isRecord(raw) && raw.type === 'function' && isRecord(raw.function) && typeof raw.function.name === 'string') {
    return { type: 'tool', name: raw.function.name };
  }
  // allowed_tools and custom choices have no IR form.
  return invalid('tool_choice must be auto, none, required or a named function', 'tool_choice');
}

function decodeReasoning(raw: unknown): IrReasoningSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return invalid('reasoning_effort must be a string', 'reasoning_effort');
  const effort = irEffortOf(raw);
  if (effort === undefined) return invalid(`unknown reasoning_effort '${raw}'`, 'reasoning_effort');
  return effort === null ? undefined : { effort };
}

function decodeResponseFormat(raw: unknown): IrResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return invalid('response_format must be an object', 'response_format');
  switch (raw.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const spec = raw.json_schema;
      if (!isRecord(spec) || typeof spec.name !== 'string') return invalid('json_schema needs a name', 'response_format.json_schema.name');
      if (spec.schema !== undefined && !isRecord(spec.schema)) {
        return invalid('json_schema.schema must be an object', 'response_format.json_schema.schema');
      }
      return {
        type: 'json_schema',
        name: spec.name,
        schema: isRecord(spec.schema) ? spec.schema : {},
        ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}),
      };
    }
    default:
      return invalid(`unknown response_format type '${String(raw.type)}'`, 'response_format.type');
  }
}

function decodeStop(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw.length > 0 ? raw : undefined;
  return invalid('stop must be a string or an array of strings', 'stop');
}
