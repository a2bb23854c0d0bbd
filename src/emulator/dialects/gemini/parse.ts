import { geminiResponseSchema } from '../../response-schema.js';
import type { Conversation, RenderContext, ReplayedReasoning, ToolChoice, ToolSpec } from '../../types.js';
import { badRequest, invalidValue, isRecord, type Json } from '../common.js';
import { invalidAt, lowerSchemaTypes, normalise, strictLevel, unknownField } from './fields.js';
import { callContent } from './signed-content.js';

/**
 * Gateways reportedly put this value in place of a real signature for history
 * that came from another model (wire-formats §4, UNVERIFIED). It satisfies the
 * Gemini 3 presence check but is not a replayed signature.
 */
export const SKIP_SIGNATURE_SENTINEL = 'skip_thought_signature_validator';

const TOP_LEVEL_FIELDS = new Set([
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
  'safetySettings',
  'cachedContent',
]);

const CONTENT_FIELDS = new Set(['role', 'parts']);
const PART_FIELDS = new Set(['text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse']);
/** The proto's `oneof data` members the emulator knows (wire-formats §4 "Parts"). */
const PART_DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse'] as const;
const FUNCTION_DECLARATION_FIELDS = new Set([
  'name',
  'description',
  'parameters',
  'parametersJsonSchema',
  'response',
  'responseJsonSchema',
  'behavior',
]);
/** Gemini's built-in tools (wire-formats §4 names googleSearch and codeExecution; the rest are Gemini API tools). */
const BUILT_IN_TOOLS = new Set([
  'googleSearch',
  'googleSearchRetrieval',
  'codeExecution',
  'urlContext',
  'fileSearch',
  'googleMaps',
  'computerUse',
  'enterpriseWebSearch',
]);
const CALLING_MODES = new Set(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']);

// ---------------------------------------------------------------------------
// parse

interface Part {
  text?: string;
  thought: boolean;
  thoughtSignature?: string;
  functionCall?: { name: string; args: Json; id?: string };
  functionResponse?: { name: string; response: Json; id?: string };
}

interface Turn {
  role: 'user' | 'model';
  parts: Part[];
}

function parsePart(value: unknown, loc: string): Part {
  const raw = strictLevel(value, PART_FIELDS, loc);
  const present = PART_DATA_FIELDS.filter((field) => raw[field] !== undefined && raw[field] !== null);
  // From the proto's `oneof data`: exactly one data member per part.
  if (present.length === 0) {
    invalidAt(loc, `a part must set one of ${PART_DATA_FIELDS.join(', ')}`);
  }
  if (present.length > 1) {
    invalidAt(loc, `oneof field 'data' is already set. Cannot set '${present[1]}'`);
  }
  const part: Part = { thought: false };
  if (raw.thought !== undefined) {
    if (typeof raw.thought !== 'boolean') invalidAt(`${loc}.thought`, 'Expected a boolean');
    part.thought = raw.thought;
  }
  if (raw.thoughtSignature !== undefined) {
    if (typeof raw.thoughtSignature !== 'string') invalidAt(`${loc}.thought_signature`, 'Expected a string');
    part.thoughtSignature = raw.thoughtSignature;
  }
  if (raw.text !== undefined && raw.text !== null) {
    if (typeof raw.text !== 'string') invalidAt(`${loc}.text`, 'Expected a string');
    part.text = raw.text;
  }
  if (raw.inlineData !== undefined && raw.inlineData !== null) {
    const data = raw.inlineData;
    if (!isRecord(data)) invalidAt(`${loc}.inline_data`, 'Starting an object on a scalar field');
    const { obj } = normalise(data);
    if (typeof obj.mimeType !== 'string' || typeof obj.data !== 'string') {
      invalidAt(`${loc}.inline_data`, 'mime_type and data are required strings');
    }
  }
  if (raw.fileData !== undefined && raw.fileData !== null) {
    const data = raw.fileData;
    if (!isRecord(data)) invalidAt(`${loc}.file_data`, 'Starting an object on a scalar field');
    const { obj } = normalise(data);
    if (typeof obj.fileUri !== 'string') invalidAt(`${loc}.file_data`, 'file_uri is a required string');
  }
  if (raw.functionCall !== undefined && raw.functionCall !== null) {
    const call = raw.functionCall;
    if (!isRecord(call)) invalidAt(`${loc}.function_call`, 'Starting an object on a scalar field');
    if (typeof call.name !== 'string' || call.name.length === 0) {
      invalidAt(`${loc}.function_call.name`, 'a function call needs a name');
    }
    if (call.args !== undefined && call.args !== null && !isRecord(call.args)) {
      invalidAt(`${loc}.function_call.args`, 'Starting an object on a scalar field');
    }
    part.functionCall = { name: call.name, args: isRecord(call.args) ? call.args : {} };
    if (typeof call.id === 'string') part.functionCall.id = call.id;
  }
  if (raw.functionResponse !== undefined && raw.functionResponse !== null) {
    const result = raw.functionResponse;
    if (!isRecord(result)) invalidAt(`${loc}.function_response`, 'Starting an object on a scalar field');
    if (typeof result.name !== 'string' || result.name.length === 0) {
      invalidAt(`${loc}.function_response.name`, 'a function response needs a name');
    }
    // `response` must be an object (wire-formats §5.4).
    if (!isRecord(result.response)) invalidAt(`${loc}.function_response.response`, 'Starting an object on a scalar field');
    part.functionResponse = { name: result.name, response: result.response };
    if (typeof result.id === 'string') part.functionResponse.id = result.id;
  }
  return part;
}

function parseParts(value: unknown, loc: string): Part[] {
  if (!Array.isArray(value)) return invalidAt(`${loc}.parts`, 'Proto field is not repeating, cannot start list.');
  return value.map((part: unknown, j) => parsePart(part, `${loc}.parts[${j}]`));
}

function parseTools(value: unknown): ToolSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) invalidAt('tools', 'Proto field is not repeating, cannot start list.');
  const specs: ToolSpec[] = [];
  value.forEach((tool: unknown, i) => {
    const loc = `tools[${i}]`;
    if (!isRecord(tool)) invalidAt(loc, 'Starting an object on a scalar field');
    const { obj, spelled } = normalise(tool);
    for (const key of Object.keys(obj)) {
      if (BUILT_IN_TOOLS.has(key)) {
        // Built-in (server-side) tools: whether Databricks' Gemini route
        // refuses them is UNVERIFIED; the emulator refuses them like the
        // documented refusal of Anthropic server tools (databricks.md §5.2).
        invalidValue(`${loc}: built-in tool '${spelled.get(key) ?? key}' is not supported; only function_declarations are`);
      }
      if (key !== 'functionDeclarations') unknownField(spelled.get(key) ?? key, loc);
    }
    const declarations = obj.functionDeclarations;
    if (declarations === undefined || declarations === null) return;
    if (!Array.isArray(declarations)) invalidAt(`${loc}.function_declarations`, 'Proto field is not repeating, cannot start list.');
    declarations.forEach((declaration: unknown, k) => {
      const dloc = `${loc}.function_declarations[${k}]`;
      const decl = strictLevel(declaration, FUNCTION_DECLARATION_FIELDS, dloc);
      if (typeof decl.name !== 'string' || decl.name.length === 0) invalidAt(`${dloc}.name`, 'a function declaration needs a name');
      const schema = decl.parameters ?? decl.parametersJsonSchema;
      let parameters: Record<string, unknown>;
      if (schema === undefined || schema === null) {
        // A declaration without any schema (a no-argument function, as in the
        // recorded `read_theme` call) is accepted: the documented
        // `type:"object"` rule (databricks.md §5.2) is about schemas that are
        // present; whether Databricks also refuses a missing one is not documented.
        parameters = { type: 'object', properties: {} };
      } else {
        // Documented: a schema without an explicit object type is rejected
        // (databricks.md §5.2); Gemini spells it `OBJECT`, JSON schema `object`.
        if (!isRecord(schema) || typeof schema.type !== 'string' || schema.type.toLowerCase() !== 'object') {
          invalidValue(`${dloc}.parameters: the function's schema must have type OBJECT at the top level`);
        }
        parameters = lowerSchemaTypes(schema) as Record<string, unknown>;
      }
      const spec: ToolSpec = { name: decl.name, parameters };
      if (typeof decl.description === 'string') spec.description = decl.description;
      specs.push(spec);
    });
  });
  return specs;
}

function parseToolConfig(value: unknown): ToolChoice {
  if (value === undefined || value === null) return 'auto';
  const config = strictLevel(value, new Set(['functionCallingConfig', 'retrievalConfig']), 'tool_config');
  if (config.functionCallingConfig === undefined || config.functionCallingConfig === null) return 'auto';
  const calling = strictLevel(
    config.functionCallingConfig,
    new Set(['mode', 'allowedFunctionNames']),
    'tool_config.function_calling_config',
  );
  const mode = calling.mode ?? 'AUTO';
  if (typeof mode !== 'string' || !CALLING_MODES.has(mode)) {
    invalidAt('tool_config.function_calling_config.mode', `Invalid value (${JSON.stringify(mode)})`);
  }
  const names = calling.allowedFunctionNames;
  if (names !== undefined && (!Array.isArray(names) || names.some((name) => typeof name !== 'string'))) {
    invalidAt('tool_config.function_calling_config.allowed_function_names', 'Expected a list of strings');
  }
  switch (mode) {
    case 'NONE':
      return 'none';
    case 'ANY': {
      // One allowed name is a named-tool choice (wire-formats §5.2); several
      // names restrict the choice to a subset, which ToolChoice cannot say:
      // "some tool must be called" is the closest.
      const allowed = (names ?? []) as string[];
      return allowed.length === 1 && allowed[0] !== undefined ? { name: allowed[0] } : 'required';
    }
    default:
      // AUTO, VALIDATED (function calls constrained to the schema, text still
      // allowed) and MODE_UNSPECIFIED all let the model choose.
      return 'auto';
  }
}

interface Thinking {
  requested: boolean;
  maxOutputTokens?: number;
}

function parseGenerationConfig(value: unknown): Thinking {
  if (value === undefined || value === null) return { requested: false };
  if (!isRecord(value)) invalidAt('generation_config', 'Starting an object on a scalar field');
  // Only the fields the emulator uses are checked; unknown generationConfig
  // fields are let through (the reference lists the common ones but does not
  // say how strictly Databricks checks this level).
  const { obj: config } = normalise(value);
  const result: Thinking = { requested: false };
  const max = config.maxOutputTokens;
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
      invalidAt('generation_config.max_output_tokens', 'Expected a positive integer');
    }
    result.maxOutputTokens = max;
  }
  const thinking = config.thinkingConfig;
  if (thinking !== undefined && thinking !== null) {
    if (!isRecord(thinking)) invalidAt('generation_config.thinking_config', 'Starting an object on a scalar field');
    const { obj: tc } = normalise(thinking);
    // A budget of -1 (dynamic) or 0 (off) does not count as a request for
    // reasoning here; only an explicit positive budget, a thinking level or
    // includeThoughts does.
    result.requested =
      tc.includeThoughts === true ||
      (typeof tc.thinkingBudget === 'number' && tc.thinkingBudget > 0) ||
      (typeof tc.thinkingLevel === 'string' && tc.thinkingLevel.length > 0);
  }
  return result;
}

/**
 * Reasoning replayed in one model turn. Gemini's signatures are opaque and
 * checked by Google without the thought text being sent back, so the emulator
 * binds each signature to the content of the step it was given with (see
 * `stepContent`) rather than to the thoughts. A turn is cut into steps, each
 * starting at a thought part that follows a non-thought part; a signature on a
 * functionCall is paired with that call, one on a text part with the step's
 * visible text so far (streamed text arrives as several parts).
 */
function replayedFromTurn(parts: Part[]): ReplayedReasoning[] {
  const replays: ReplayedReasoning[] = [];
  let texts: string[] = [];
  let previousWasThought = false;
  for (const part of parts) {
    if (part.thought) {
      if (!previousWasThought) texts = [];
      previousWasThought = true;
    } else {
      previousWasThought = false;
      if (part.text !== undefined && part.functionCall === undefined) texts.push(part.text);
    }
    if (part.thoughtSignature !== undefined && part.thoughtSignature !== SKIP_SIGNATURE_SENTINEL) {
      const text = part.functionCall ? callContent(part.functionCall.name, part.functionCall.args) : texts.join('');
      replays.push({ text, signature: part.thoughtSignature });
    }
  }
  return replays;
}

function turnText(parts: Part[]): string[] {
  return parts.filter((part) => !part.thought && part.text !== undefined).map((part) => part.text ?? '');
}

export function parse(body: unknown, context: RenderContext): Conversation {
  if (!isRecord(body)) badRequest('Invalid JSON payload received. Expected an object.');
  const { obj: request, spelled } = normalise(body);
  for (const key of Object.keys(request)) {
    if (!TOP_LEVEL_FIELDS.has(key)) unknownField(spelled.get(key) ?? key);
  }

  const contents = request.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    badRequest('* GenerateContentRequest.contents: contents is not specified');
  }
  const turns: Turn[] = contents.map((content: unknown, i): Turn => {
    const loc = `contents[${i}]`;
    const c = strictLevel(content, CONTENT_FIELDS, loc);
    // `role` may be left out ("useful to set for multi-turn conversations");
    // an unset role is read as the user.
    const role = c.role ?? 'user';
    if (role !== 'user' && role !== 'model') badRequest('Please use a valid role: user, model.');
    return { role, parts: parseParts(c.parts, loc) };
  });

  const texts: string[] = [];
  if (request.systemInstruction !== undefined && request.systemInstruction !== null) {
    const system = strictLevel(request.systemInstruction, CONTENT_FIELDS, 'system_instruction');
    texts.push(...turnText(parseParts(system.parts, 'system_instruction')));
  }

  const tools = parseTools(request.tools);
  const toolChoice = parseToolConfig(request.toolConfig);
  const thinking = parseGenerationConfig(request.generationConfig);
  if (request.safetySettings !== undefined && !Array.isArray(request.safetySettings)) {
    invalidAt('safety_settings', 'Proto field is not repeating, cannot start list.');
  }
  if (request.cachedContent !== undefined && typeof request.cachedContent !== 'string') {
    invalidAt('cached_content', 'Expected a string');
  }
  // `cachedContent` is accepted but resolves to nothing: the emulator keeps no caches.

  // The current turn starts at the last user turn with plain text.
  let lastUserTextIndex = -1;
  let lastModelIndex = -1;
  turns.forEach((turn, i) => {
    if (turn.role === 'user' && turnText(turn.parts).length > 0) lastUserTextIndex = i;
    if (turn.role === 'model') lastModelIndex = i;
  });

  // Documented Gemini 3 rule (wire-formats §4): in the current turn, the first
  // functionCall of each model step must carry its thought signature.
  if (context.endpoint.name.toLowerCase().includes('gemini-3')) {
    turns.forEach((turn, i) => {
      if (i <= lastUserTextIndex || turn.role !== 'model') return;
      const firstCall = turn.parts.find((part) => part.functionCall !== undefined);
      if (firstCall !== undefined && !firstCall.thoughtSignature) {
        badRequest('Function call is missing a thought_signature in functionCall parts');
      }
    });
  }

  const priorToolCalls: { callId: string; name: string }[] = [];
  const toolResults: { callId: string; content: string }[] = [];
  const replayedReasoning: ReplayedReasoning[] = [];
  turns.forEach((turn, i) => {
    texts.push(...turnText(turn.parts));
    if (turn.role === 'model') replayedReasoning.push(...replayedFromTurn(turn.parts));
    for (const part of turn.parts) {
      if (part.functionCall) {
        // Gemini calls usually carry no id (wire-formats §4): the name stands in.
        priorToolCalls.push({ callId: part.functionCall.id ?? part.functionCall.name, name: part.functionCall.name });
        texts.push(JSON.stringify(part.functionCall.args));
      }
      if (part.functionResponse) {
        const content = JSON.stringify(part.functionResponse.response);
        texts.push(content);
        if (i > lastModelIndex) {
          toolResults.push({ callId: part.functionResponse.id ?? part.functionResponse.name, content });
        }
      }
    }
  });

  const lastUserTurn = lastUserTextIndex >= 0 ? turns[lastUserTextIndex] : undefined;
  const conversation: Conversation = {
    endpoint: context.endpoint.name,
    stream: context.streamMethod === true,
    lastUserText: lastUserTurn ? turnText(lastUserTurn.parts).join('\n') : '',
    allText: texts.join('\n'),
    tools,
    toolChoice,
    toolResults,
    // Gemini has no switch for parallel calls (wire-formats §5.2).
    parallelToolCalls: true,
    priorToolCalls,
    reasoningRequested: thinking.requested,
    replayedReasoning,
  };
  if (thinking.maxOutputTokens !== undefined) conversation.maxOutputTokens = thinking.maxOutputTokens;
  // parseGenerationConfig has checked that a present generationConfig is an object.
  const responseSchema = isRecord(request.generationConfig) ? geminiResponseSchema(normalise(request.generationConfig).obj) : undefined;
  if (responseSchema) conversation.responseSchema = responseSchema;
  return conversation;
}
