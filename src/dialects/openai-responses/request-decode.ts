/** A client's Responses request → the IR request. */
import { quoted } from '../../errors/client-value.js';
import { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrReasoningSettings, IrRequest, IrResponseFormat, IrTextPart, IrTool, IrToolChoice } from '../../ir/request.js';
import { decodeInput } from './input-decode.js';
import { invalid } from '../common/invalid.js';
import { isRecord, type JsonObject, stringOr } from '../common/json.js';
import { functionTool, irEffortOf, irSimpleToolChoice, positiveInteger, samplingSettings } from '../common/openai-request.js';

/**
 * Fields that only make sense with state kept between requests. The proxy
 * keeps none, and answering without the referenced conversation would be
 * answering something else.
 */
const STATEFUL_FIELDS = ['previous_response_id', 'conversation'] as const;

// Ignored on purpose: `store`, `include`, `prompt_cache_key`, `client_metadata`,
// `truncation`, `metadata`, `stream_options`, `text.verbosity`: nothing in the IR
// carries them; they matter only when a request passes through unchanged.

export function decodeResponsesRequest(body: JsonObject, context: CodecContext): IrRequest {
  for (const field of STATEFUL_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) {
      throw new ProxyError('invalid_request', `${field} is not supported: the proxy keeps no response state, so send the whole conversation in \`input\``, {
        param: field,
      });
    }
  }
  if (body.input === undefined || body.input === null) return invalid('input is required (the proxy keeps no conversation state)', 'input');
  const { system, messages } = decodeInput(body.input, instructionParts(body.instructions));
  const toolChoice = decodeToolChoice(body.tool_choice);
  const maxOutputTokens = positiveInteger(body.max_output_tokens, 'max_output_tokens');
  const reasoning = decodeReasoning(body.reasoning);
  const responseFormat = decodeTextFormat(body.text);
  const user = stringOr(body.safety_identifier) ?? stringOr(body.user);
  return {
    model: context.endpoint,
    system,
    messages,
    tools: decodeTools(body.tools),
    ...(toolChoice ? { toolChoice } : {}),
    ...samplingSettings(body),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    stream: body.stream === true,
    ...(user ? { user } : {}),
  };
}

function instructionParts(raw: unknown): IrTextPart[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'string') return invalid('instructions must be a string', 'instructions');
  return [{ type: 'text', text: raw }];
}

/**
 * Function tools are flat in Responses. Hosted tools (web_search,
 * file_search, code_interpreter, mcp, …) and custom tools run on OpenAI's
 * side or take free text; no Databricks model behind another dialect can run
 * them, so they are dropped here. (On passthrough routes a separate repair
 * deals with them.)
 */
function decodeTools(raw: unknown): IrTool[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalid('tools must be an array', 'tools');
  return raw.flatMap((tool: unknown, i): IrTool[] => {
    const at = `tools[${i}]`;
    if (!isRecord(tool)) return invalid('a tool must be an object', at);
    if (tool.type !== 'function') return [];
    return [functionTool(tool, at)];
  });
}

function decodeToolChoice(raw: unknown): IrToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return irSimpleToolChoice(raw) ?? invalid(`unknown tool_choice ${quoted(raw)}`, 'tool_choice');
  if (isRecord(raw) && raw.type === 'function' && typeof raw.name === 'string' && raw.name !== '') return { type: 'tool', name: raw.name };
  // allowed_tools, hosted-tool and custom choices have no IR form.
  return invalid('tool_choice must be auto, none, required or {type:"function", name}', 'tool_choice');
}

/** `reasoning.effort` (none: no setting) and `reasoning.summary` (any summary asked for: the client wants to see reasoning). */
function decodeReasoning(raw: unknown): IrReasoningSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return invalid('reasoning must be an object', 'reasoning');
  let effort: IrReasoningSettings['effort'] | null | undefined;
  if (raw.effort !== undefined && raw.effort !== null) {
    if (typeof raw.effort !== 'string') return invalid('reasoning.effort must be a string', 'reasoning.effort');
    effort = irEffortOf(raw.effort);
    if (effort === undefined) return invalid(`unknown reasoning.effort ${quoted(raw.effort)}`, 'reasoning.effort');
  }
  const summary = typeof raw.summary === 'string' ? true : undefined;
  if (!effort && !summary) return undefined;
  return { ...(effort ? { effort } : {}), ...(summary ? { summary } : {}) };
}

/** `text.format`: json_schema / json_object → responseFormat; plain text needs no setting. */
function decodeTextFormat(raw: unknown): IrResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return invalid('text must be an object', 'text');
  const format = raw.format;
  if (format === undefined || format === null) return undefined;
  if (!isRecord(format)) return invalid('text.format must be an object', 'text.format');
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      if (typeof format.name !== 'string' || format.name === '') return invalid('a json_schema format needs a name', 'text.format.name');
      if (!isRecord(format.schema)) return invalid('a json_schema format needs a schema object', 'text.format.schema');
      return { type: 'json_schema', name: format.name, schema: format.schema, ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}) };
    }
    default:
      return invalid(`unknown text.format type ${quoted(format.type)}`, 'text.format.type');
  }
}
