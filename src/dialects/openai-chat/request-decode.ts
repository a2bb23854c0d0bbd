/** A client's Chat Completions request → the IR request. */
import { quoted } from '../../errors/client-value.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningSettings, IrRequest, IrResponseFormat, IrTool, IrToolChoice } from '../../ir/request.js';
import { invalid } from '../common/invalid.js';
import { isRecord, type JsonObject, stringOr } from '../common/json.js';
import { functionTool, irEffortOf, irSimpleToolChoice, positiveInteger, samplingSettings } from '../common/openai-request.js';
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
  const user = stringOr(body.user) ?? stringOr(body.safety_identifier);
  const stream = body.stream === true;
  return {
    model: context.endpoint,
    system,
    messages,
    tools: decodeTools(body.tools),
    ...(toolChoice ? { toolChoice } : {}),
    ...samplingSettings(body),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(stopSequences ? { stopSequences } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    stream,
    ...(stream && isRecord(body.stream_options) && body.stream_options.include_usage === true ? { includeUsage: true } : {}),
    ...(user ? { user } : {}),
  };
}

/** Only function tools: nothing else Chat offers has an IR form. */
function decodeTools(raw: unknown): IrTool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalid('tools must be an array', 'tools');
  return raw.map((tool: unknown, i): IrTool => {
    const at = `tools[${i}]`;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      return invalid('only function tools can be translated for this model', `${at}.type`);
    }
    return functionTool(tool.function, `${at}.function`);
  });
}

function decodeToolChoice(raw: unknown): IrToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return irSimpleToolChoice(raw) ?? invalid(`unknown tool_choice ${quoted(raw)}`, 'tool_choice');
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
  if (effort === undefined) return invalid(`unknown reasoning_effort ${quoted(raw)}`, 'reasoning_effort');
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
      return invalid(`unknown response_format type ${quoted(raw.type)}`, 'response_format.type');
  }
}

function decodeStop(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return raw.length > 0 ? raw : undefined;
  return invalid('stop must be a string or an array of strings', 'stop');
}
