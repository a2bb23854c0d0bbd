import type { Conversation, RenderContext, ReplayedReasoning, ToolChoice, ToolSpec } from '../../types.js';
import { badRequest, invalidValue, isRecord, type Json } from '../common.js';
import { responsesResponseSchema } from '../../response-schema.js';
import { DEFAULT_ECHO, echoes } from './echo.js';
import { MAX_INPUT_ID_LENGTH } from './ids.js';

/**
 * Top-level fields accepted on the Responses route. Beyond the OpenAI
 * `CreateResponse` fields in wire-formats §2, Codex sends `store:false`,
 * `include`, `reasoning.summary`, `client_metadata`, `prompt_cache_key` and
 * `parallel_tool_calls` (clients.md §4), and Codex works against Databricks'
 * `/ai-gateway/codex/v1/responses` route with its body unchanged, so those are
 * accepted here [inference from the documented Codex setup, not a documented
 * allow-list]. databricks.md §5.2 reports `store` and `service_tier` rejected
 * by the MLflow (chat) endpoint; that report is not about this route, and
 * Codex's `store:false` reaches it, so both are accepted here.
 * `stream_options` and everything else are refused.
 */
const TOP_LEVEL_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'reasoning',
  'include',
  'store',
  'text',
  'temperature',
  'top_p',
  'stream',
  'truncation',
  'metadata',
  'prompt_cache_key',
  'user',
  'safety_identifier',
  'client_metadata',
  'service_tier',
]);

const FUNCTION_TOOL_FIELDS = new Set(['type', 'name', 'description', 'parameters', 'strict']);

const INPUT_ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning'] as const;
const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);
const CONTENT_PART_TYPES = new Set(['input_text', 'input_image', 'input_file', 'output_text', 'refusal']);

// ---------------------------------------------------------------------------
// Small helpers

function optionalString(body: Json, key: string, loc: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') badRequest(`${loc}: Input should be a valid string`);
  return value;
}

function requiredString(body: Json, key: string, loc: string): string {
  if (body[key] === undefined) badRequest(`${loc}: Field required`);
  const value = optionalString(body, key, loc);
  if (value === undefined) badRequest(`${loc}: Input should be a valid string`);
  return value;
}

function optionalBoolean(body: Json, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') badRequest(`${key}: Input should be a valid boolean`);
  return value;
}

function optionalNumber(body: Json, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) badRequest(`${key}: Input should be a valid number`);
  return value;
}

/** The 64-char rule, in the words OpenAI's validator uses (databricks.md §5.3). */
function checkIdLength(item: Json, key: 'id' | 'call_id', index: number): void {
  const value = item[key];
  if (typeof value === 'string' && value.length > MAX_INPUT_ID_LENGTH) {
    badRequest(
      `Invalid 'input[${index}].${key}': string too long. Expected a string with maximum length ${MAX_INPUT_ID_LENGTH}, but got a string with length ${value.length} instead.`,
    );
  }
}

// ---------------------------------------------------------------------------
// parse

function parseTools(value: unknown): { specs: ToolSpec[]; raw: unknown[] } {
  if (value === undefined || value === null) return { specs: [], raw: [] };
  if (!Array.isArray(value)) badRequest('tools: Input should be a valid list');
  const specs: ToolSpec[] = [];
  value.forEach((tool: unknown, i) => {
    const loc = `tools.${i}`;
    if (!isRecord(tool)) badRequest(`${loc}: Input should be a valid dictionary`);
    const type = tool.type;
    if (type !== 'function') {
      // Hosted tools (web_search, web_search_preview, file_search,
      // code_interpreter, computer_use, mcp, image_generation, custom, ...):
      // Codex sends a hosted `web_search` tool, and the reference says Databricks
      // likely refuses it (databricks.md §5.2 "Hosted OpenAI tools", UNVERIFIED).
      // The wording mirrors the documented refusal of Anthropic server tools
      // ("Input tag '...' ... does not match") and the code the documented chat
      // refusal of non-function tools; neither is verified for this route.
      invalidValue(
        `${loc}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: 'function'`,
      );
    }
    for (const key of Object.keys(tool)) {
      if (!FUNCTION_TOOL_FIELDS.has(key)) badRequest(`${loc}.${key}: Extra inputs are not permitted`);
    }
    const name = requiredString(tool, 'name', `${loc}.name`);
    const description = optionalString(tool, 'description', `${loc}.description`);
    const parameters = tool.parameters;
    // Documented quirk: a tool schema without an explicit `type:"object"` is
    // rejected (databricks.md §5.2). The message wording is the emulator's own.
    if (!isRecord(parameters) || parameters.type !== 'object') {
      invalidValue(`${loc}.parameters: the tool's JSON schema must have "type": "object" at the top level`);
    }
    if (tool.strict !== undefined && tool.strict !== null && typeof tool.strict !== 'boolean') {
      badRequest(`${loc}.strict: Input should be a valid boolean`);
    }
    specs.push(description === undefined ? { name, parameters } : { name, description, parameters });
  });
  return { specs, raw: value };
}

function parseToolChoice(value: unknown): ToolChoice {
  if (value === undefined || value === null) return 'auto';
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isRecord(value) && value.type === 'function' && typeof value.name === 'string' && value.name.length > 0) {
    // Whether Databricks checks the name against `tools` is not documented; not checked.
    return { name: value.name };
  }
  return badRequest(
    `tool_choice: Input should be 'none', 'auto', 'required' or an object {"type": "function", "name": "<name>"}`,
  );
}

/** Text of a message's content (string or parts); images and files contribute nothing. */
function messageText(content: unknown, loc: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) badRequest(`${loc}: Input should be a valid string or list`);
  const texts: string[] = [];
  content.forEach((part: unknown, j) => {
    const partLoc = `${loc}.${j}`;
    if (!isRecord(part)) badRequest(`${partLoc}: Input should be a valid dictionary`);
    const type = part.type;
    if (typeof type !== 'string' || !CONTENT_PART_TYPES.has(type)) {
      badRequest(
        `${partLoc}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${[...CONTENT_PART_TYPES].map((t) => `'${t}'`).join(', ')}`,
      );
    }
    if (type === 'input_text' || type === 'output_text') texts.push(requiredString(part, 'text', `${partLoc}.text`));
    else if (type === 'refusal') texts.push(requiredString(part, 'refusal', `${partLoc}.refusal`));
  });
  return texts.join('\n');
}

/** `function_call_output.output` is a string or a list of content parts. */
function toolOutputText(output: unknown, loc: string): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return messageText(output, loc);
  return badRequest(`${loc}: Input should be a valid string or list`);
}

export function parse(body: unknown, context: RenderContext): Conversation {
  if (!isRecord(body)) badRequest('Request body must be a JSON object');

  for (const key of Object.keys(body)) {
    if (key === 'previous_response_id') {
      // Databricks' support for server-side conversation state is not
      // documented, and the emulator keeps none (Codex never sends it:
      // clients.md §4). A null value is the same as leaving it out.
      if (body[key] === null) continue;
      badRequest(
        'previous_response_id: not supported: this workspace keeps no response state; send the full conversation in `input` (with `store: false`)',
      );
    }
    if (!TOP_LEVEL_FIELDS.has(key)) badRequest(`${key}: Extra inputs are not permitted`);
  }

  requiredString(body, 'model', 'model');
  if (body.input === undefined) badRequest('input: Field required');
  const instructions = optionalString(body, 'instructions', 'instructions');
  const { specs: tools, raw: rawTools } = parseTools(body.tools);
  const toolChoice = parseToolChoice(body.tool_choice);
  const parallelToolCalls = optionalBoolean(body, 'parallel_tool_calls') ?? true;
  const store = optionalBoolean(body, 'store');
  const stream = optionalBoolean(body, 'stream') ?? false;
  const temperature = optionalNumber(body, 'temperature');
  const topP = optionalNumber(body, 'top_p');

  let maxOutputTokens: number | undefined;
  if (body.max_output_tokens !== undefined && body.max_output_tokens !== null) {
    const value = body.max_output_tokens;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      badRequest('max_output_tokens: Input should be a positive integer');
    }
    maxOutputTokens = value;
  }

  let effort: string | null = null;
  let summary: string | null = null;
  let reasoningRequested = false;
  if (body.reasoning !== undefined && body.reasoning !== null) {
    const reasoning = body.reasoning;
    if (!isRecord(reasoning)) badRequest('reasoning: Input should be a valid dictionary');
    effort = optionalString(reasoning, 'effort', 'reasoning.effort') ?? null;
    summary = optionalString(reasoning, 'summary', 'reasoning.summary') ?? null;
    reasoningRequested = (effort !== null && effort !== 'none') || summary !== null;
  }

  if (body.include !== undefined && body.include !== null) {
    const include = body.include;
    if (!Array.isArray(include) || include.some((entry) => typeof entry !== 'string')) {
      badRequest('include: Input should be a valid list of strings');
    }
  }

  // --- input -------------------------------------------------------------
  const texts: string[] = [];
  if (instructions !== undefined) texts.push(instructions);
  let lastUserText = '';
  const priorToolCalls: { callId: string; name: string }[] = [];
  const replayedReasoning: ReplayedReasoning[] = [];
  /** Tool outputs with their position, to keep those after the last assistant item. */
  const outputs: { index: number; callId: string; content: string }[] = [];
  let lastAssistantIndex = -1;

  const input = body.input;
  if (typeof input === 'string') {
    lastUserText = input;
    texts.push(input);
  } else if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => {
      const loc = `input.${i}`;
      if (!isRecord(item)) badRequest(`${loc}: Input should be a valid dictionary`);
      const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
      checkIdLength(item, 'id', i);
      checkIdLength(item, 'call_id', i);
      switch (type) {
        case 'message': {
          const role = item.role;
          if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
            badRequest(`${loc}.role: Input should be 'user', 'assistant', 'system' or 'developer'`);
          }
          if (item.content === undefined) badRequest(`${loc}.content: Field required`);
          const text = messageText(item.content, `${loc}.content`);
          texts.push(text);
          if (role === 'user') lastUserText = text;
          if (role === 'assistant') lastAssistantIndex = i;
          break;
        }
        case 'function_call': {
          const callId = requiredString(item, 'call_id', `${loc}.call_id`);
          const name = requiredString(item, 'name', `${loc}.name`);
          const args = requiredString(item, 'arguments', `${loc}.arguments`);
          optionalString(item, 'id', `${loc}.id`);
          priorToolCalls.push({ callId, name });
          texts.push(args);
          lastAssistantIndex = i;
          break;
        }
        case 'function_call_output': {
          const callId = requiredString(item, 'call_id', `${loc}.call_id`);
          if (item.output === undefined) badRequest(`${loc}.output: Field required`);
          const content = toolOutputText(item.output, `${loc}.output`);
          outputs.push({ index: i, callId, content });
          texts.push(content);
          break;
        }
        case 'reasoning': {
          // The id is optional when the item carries its encrypted content:
          // with `store:false` the content is the replay. opencode strips the
          // ids of `@ai-sdk/openai` items whenever `store` is not true, so its
          // replayed reasoning comes without one (anomalyco/opencode#2941;
          // vercel/ai#10060: OpenAI refuses item ids for zero-data-retention
          // organisations, so its API takes such items). The reference is
          // silent on what Databricks does with an id-less reasoning item.
          const encrypted = optionalString(item, 'encrypted_content', `${loc}.encrypted_content`);
          const id = encrypted === undefined ? requiredString(item, 'id', `${loc}.id`) : optionalString(item, 'id', `${loc}.id`);
          if (encrypted === undefined && store === false) {
            // Documented (wire-formats §7, "Reasoning replay with store:false").
            badRequest(`Item with id '${id}' not found. Items are not persisted when \`store\` is set to false.`);
          }
          // With `store` left on, the real API would look the item up by id;
          // the emulator stores nothing, so the replay simply carries no
          // signature and the model judges it (not documented for Databricks).
          const summaryParts = item.summary;
          if (!Array.isArray(summaryParts)) badRequest(`${loc}.summary: Field required`);
          const summaryText = summaryParts
            .map((part: unknown, j) => {
              if (!isRecord(part)) badRequest(`${loc}.summary.${j}: Input should be a valid dictionary`);
              return requiredString(part, 'text', `${loc}.summary.${j}.text`);
            })
            .join('\n\n');
          replayedReasoning.push(
            encrypted === undefined ? { text: summaryText } : { text: summaryText, signature: encrypted },
          );
          texts.push(summaryText);
          lastAssistantIndex = i;
          break;
        }
        case 'item_reference': {
          // The emulator persists nothing, so a reference can never resolve.
          const id = requiredString(item, 'id', `${loc}.id`);
          badRequest(
            store === false
              ? `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false.`
              : `Item with id '${id}' not found.`,
          );
        }
        default:
          badRequest(
            `${loc}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${INPUT_ITEM_TYPES.map((t) => `'${t}'`).join(', ')}`,
          );
      }
    });
  } else {
    badRequest('input: Input should be a valid string or list');
  }

  echoes.set(context, {
    instructions: instructions ?? null,
    max_output_tokens: maxOutputTokens ?? null,
    parallel_tool_calls: parallelToolCalls,
    reasoning: { effort, summary },
    store: store ?? true,
    temperature: temperature ?? 1,
    top_p: topP ?? 1,
    text: isRecord(body.text) ? body.text : DEFAULT_ECHO.text,
    tool_choice: body.tool_choice ?? 'auto',
    tools: rawTools,
    truncation: typeof body.truncation === 'string' ? body.truncation : 'disabled',
    metadata: isRecord(body.metadata) ? body.metadata : {},
    prompt_cache_key: typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : null,
  });

  const conversation: Conversation = {
    endpoint: context.endpoint.name,
    stream,
    lastUserText,
    allText: texts.join('\n'),
    tools,
    toolChoice,
    toolResults: outputs
      .filter((output) => output.index > lastAssistantIndex)
      .map(({ callId, content }) => ({ callId, content })),
    parallelToolCalls,
    priorToolCalls,
    reasoningRequested,
    replayedReasoning,
  };
  if (maxOutputTokens !== undefined) conversation.maxOutputTokens = maxOutputTokens;
  const responseSchema = responsesResponseSchema(body.text);
  if (responseSchema) conversation.responseSchema = responseSchema;
  return conversation;
}
