import { createHash } from 'node:crypto';
import { geminiResponseSchema } from '../response-schema.js';
import { signReasoning } from '../signing.js';
import {
  type Conversation,
  type EmulatorDialect,
  type RenderContext,
  type ReplayedReasoning,
  type Script,
  type ScriptBlock,
  type ToolChoice,
  type ToolSpec,
} from '../types.js';
import { badRequest, invalidValue, isRecord, type Json } from './shared.js';

/**
 * The Gemini dialect of the emulated workspace:
 * `POST …/gemini/v1beta/models/{endpoint}:generateContent` and
 * `:streamGenerateContent?alt=sse`. The endpoint comes from the path
 * (`context.endpoint`), and whether the answer streams from the method
 * (`context.streamMethod`), never from the body.
 *
 * Shapes follow reference wire-formats §4 and the recorded Gemini streams.
 * Errors use Databricks' `{error_code, message}` body (DatabricksApiError);
 * the message text borrows Gemini's own style ("Invalid JSON payload
 * received. Unknown name …"). Which `error_code` Databricks puts on these is
 * not documented: schema errors use BAD_REQUEST, tool-value errors
 * INVALID_PARAMETER_VALUE.
 */

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
// Helpers

function unknownField(name: string, loc?: string): never {
  return badRequest(
    `Invalid JSON payload received. Unknown name "${name}"${loc === undefined ? '' : ` at '${loc}'`}: Cannot find field.`,
  );
}

function invalidAt(loc: string, message: string): never {
  return badRequest(`Invalid value at '${loc}': ${message}`);
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The Gemini API accepts snake_case as well as camelCase field names
 * (documented, wire-formats §4). Normalises one object level; user data such
 * as `args`, `response` and schemas is never renamed because only structural
 * levels are passed through here. Returns the normalised object and the
 * original spelling of each key, for error messages.
 */
function normalise(value: Json): { obj: Json; spelled: Map<string, string> } {
  const obj: Json = {};
  const spelled = new Map<string, string>();
  for (const [key, entry] of Object.entries(value)) {
    const name = camel(key);
    obj[name] = entry;
    spelled.set(name, key);
  }
  return { obj, spelled };
}

/** Normalises and checks the keys of one structural level against an allow-list. */
function strictLevel(value: unknown, allowed: ReadonlySet<string>, loc: string | undefined): Json {
  if (!isRecord(value)) return invalidAt(loc ?? '', 'Starting an object on a scalar field');
  const { obj, spelled } = normalise(value);
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) unknownField(spelled.get(key) ?? key, loc);
  }
  return obj;
}

/** Gemini `Schema` types are upper-case enums (`OBJECT`); the model sees JSON-schema spelling. */
function lowerSchemaTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerSchemaTypes);
  if (!isRecord(schema)) return schema;
  const out: Json = {};
  for (const [key, entry] of Object.entries(schema)) {
    out[key] = key === 'type' && typeof entry === 'string' ? entry.toLowerCase() : lowerSchemaTypes(entry);
  }
  return out;
}

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

/** What a signature on a functionCall part signs: the call itself, with keys in a stable order. */
function callContent(name: string, args: unknown): string {
  return `${name}:${stableJson(args)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content a step's signature is bound to: its first call, else its visible text. */
function stepContent(blocks: ScriptBlock[]): string {
  const call = blocks.find((block) => block.type === 'tool_call');
  if (call) return callContent(call.name, call.arguments);
  return blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
}

function turnText(parts: Part[]): string[] {
  return parts.filter((part) => !part.thought && part.text !== undefined).map((part) => part.text ?? '');
}

function parse(body: unknown, context: RenderContext): Conversation {
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

// ---------------------------------------------------------------------------
// respond / stream

interface WirePart {
  text?: string;
  thought?: true;
  functionCall?: { name: string; args: Record<string, unknown> };
  thoughtSignature?: string;
}

/** A run of blocks that starts at a reasoning block (or at the start) and carries at most one signature. */
interface Segment {
  signature?: string;
  blocks: ScriptBlock[];
}

function segments(script: Script, context: RenderContext): Segment[] {
  const out: Segment[] = [];
  for (const block of script.blocks) {
    const current = out[out.length - 1];
    if (block.type === 'reasoning' || current === undefined) {
      out.push(block.type === 'reasoning' ? { signature: block.signature, blocks: [block] } : { blocks: [block] });
    } else {
      current.blocks.push(block);
    }
  }
  // Gemini 3 signs every function-calling step even when no thought text is
  // returned (recorded: google-tool-call-gemini3 has a signed call and no
  // thought part), and refuses the replay without it (wire-formats §4).
  const gemini3 = context.endpoint.name.toLowerCase().includes('gemini-3');
  for (const segment of out) {
    const signs = segment.signature !== undefined || (gemini3 && segment.blocks.some((block) => block.type === 'tool_call'));
    segment.signature = signs ? signReasoning('gemini', stepContent(segment.blocks)) : undefined;
  }
  return out;
}

function blockPart(block: ScriptBlock): WirePart {
  switch (block.type) {
    case 'reasoning':
      return { text: block.text, thought: true };
    case 'text':
      return { text: block.text };
    case 'tool_call':
      // Gemini calls carry no `id` (wire-formats §4): `block.callId` stays off the wire.
      return { functionCall: { name: block.name, args: block.arguments } };
  }
}

function finishReason(script: Script): 'STOP' | 'MAX_TOKENS' {
  // A tool-calling turn still ends with STOP (wire-formats §4).
  return script.stop === 'max_tokens' ? 'MAX_TOKENS' : 'STOP';
}

interface UsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  totalTokenCount: number;
}

/** `promptTokenCount` includes cached tokens; total = prompt + candidates + thoughts (wire-formats §4). */
function usage(script: Script, candidates: number, thoughts: number): UsageMetadata {
  const { inputTokens, cachedInputTokens, reasoningTokens } = script.usage;
  const meta: UsageMetadata = { promptTokenCount: inputTokens, candidatesTokenCount: candidates, totalTokenCount: 0 };
  if (reasoningTokens > 0) meta.thoughtsTokenCount = thoughts;
  if (cachedInputTokens > 0) meta.cachedContentTokenCount = cachedInputTokens;
  meta.totalTokenCount = inputTokens + candidates + (reasoningTokens > 0 ? thoughts : 0);
  return meta;
}

function candidateTokens(script: Script): number {
  return Math.max(0, script.usage.outputTokens - script.usage.reasoningTokens);
}

function responseId(script: Script): string {
  const clean = script.id.replace(/[^A-Za-z0-9]/g, '');
  return clean.length > 0 ? clean : createHash('sha256').update(script.id).digest('base64url').slice(0, 24);
}

function envelope(script: Script, parts: WirePart[], meta: UsageMetadata, finish?: string): Json {
  const candidate: Json = { content: { role: 'model', parts } };
  if (finish !== undefined) candidate.finishReason = finish;
  candidate.index = 0;
  return { candidates: [candidate], usageMetadata: meta, modelVersion: script.endpoint, responseId: responseId(script) };
}

function respond(script: Script, context: RenderContext): unknown {
  const parts: WirePart[] = [];
  for (const segment of segments(script, context)) {
    const start = parts.length;
    for (const block of segment.blocks) parts.push(blockPart(block));
    if (segment.signature === undefined) continue;
    // The signature goes on the first functionCall of the step, else on the
    // last text part (wire-formats §4); a step of thoughts only keeps it on
    // its last thought part.
    const own = parts.slice(start);
    const target =
      own.find((part) => part.functionCall !== undefined) ??
      own.findLast((part) => part.text !== undefined && part.thought !== true) ??
      own[own.length - 1];
    if (target) target.thoughtSignature = segment.signature;
  }
  const meta = usage(script, candidateTokens(script), script.usage.reasoningTokens);
  return envelope(script, parts, meta, finishReason(script));
}

/** Splits prose into pieces of two words each (whitespace kept). */
function textPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += 2) pieces.push(words.slice(i, i + 2).join(''));
  return pieces;
}

function stream(script: Script, context: RenderContext): string[] {
  // Each chunk carries only its new parts; the chunks are built first, then
  // given running usage totals in proportion to the characters emitted.
  const chunks: { parts: WirePart[]; thoughtChars: number; candidateChars: number }[] = [];
  let hasCall = false;
  let trailing: WirePart | undefined;
  const segs = segments(script, context);
  segs.forEach((segment, s) => {
    const hasOwnCall = segment.blocks.some((block) => block.type === 'tool_call');
    let signed = false;
    for (const block of segment.blocks) {
      if (block.type === 'tool_call') {
        // A functionCall arrives whole in one chunk (wire-formats §4); the
        // first call of a step carries the step's signature.
        const part = blockPart(block);
        if (!signed && segment.signature !== undefined) {
          part.thoughtSignature = segment.signature;
          signed = true;
        }
        hasCall = true;
        chunks.push({ parts: [part], thoughtChars: 0, candidateChars: JSON.stringify(block.arguments).length });
        continue;
      }
      const thought = block.type === 'reasoning';
      for (const piece of textPieces(block.text)) {
        const part: WirePart = thought ? { text: piece, thought: true } : { text: piece };
        chunks.push({
          parts: [part],
          thoughtChars: thought ? piece.length : 0,
          candidateChars: thought ? 0 : piece.length,
        });
      }
    }
    if (!hasOwnCall && segment.signature !== undefined) {
      // Without a call, a streamed step's signature comes on an empty text
      // part after its text (recorded: google-text, google-reasoning-gemini3).
      const part: WirePart = { text: '', thoughtSignature: segment.signature };
      if (s === segs.length - 1) trailing = part;
      else chunks.push({ parts: [part], thoughtChars: 0, candidateChars: 0 });
    }
  });

  // The chunk with finishReason ends the stream. Recorded tool-calling turns
  // end with an extra chunk holding an empty text part (google-tool-call);
  // otherwise the last content chunk carries it.
  let finalParts: WirePart[] | undefined;
  if (trailing) finalParts = [trailing];
  else if (hasCall || chunks.length === 0) finalParts = [{ text: '' }];
  if (finalParts) chunks.push({ parts: finalParts, thoughtChars: 0, candidateChars: 0 });

  const totalThoughtChars = chunks.reduce((sum, chunk) => sum + chunk.thoughtChars, 0);
  const totalCandidateChars = chunks.reduce((sum, chunk) => sum + chunk.candidateChars, 0);
  const candidatesTotal = candidateTokens(script);
  const thoughtsTotal = script.usage.reasoningTokens;
  let thoughtChars = 0;
  let candidateChars = 0;
  return chunks.map((chunk, i) => {
    const last = i === chunks.length - 1;
    thoughtChars += chunk.thoughtChars;
    candidateChars += chunk.candidateChars;
    const thoughts =
      last || totalThoughtChars === 0 ? thoughtsTotal : Math.floor((thoughtsTotal * thoughtChars) / totalThoughtChars);
    const candidates =
      last || totalCandidateChars === 0
        ? last
          ? candidatesTotal
          : 0
        : Math.floor((candidatesTotal * candidateChars) / totalCandidateChars);
    const data = envelope(script, chunk.parts, usage(script, candidates, thoughts), last ? finishReason(script) : undefined);
    return `data: ${JSON.stringify(data)}\n\n`;
  });
}

export const gemini: EmulatorDialect = { parse, respond, stream };
