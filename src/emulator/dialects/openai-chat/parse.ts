import {
  DatabricksApiError,
  type Conversation,
  type EmulatedEndpoint,
  type RenderContext,
  type ReplayedReasoning,
  type ToolChoice,
  type ToolSpec,
} from '../../types.js';
import { isAdaptiveOnlyEndpoint, isBlank, isRecord, toolTexts, unknownTopLevelField } from '../common.js';
import { chatResponseSchema } from '../../response-schema.js';

// ---------------------------------------------------------------------------
// Errors and small guards

function reject(message: string, errorCode = 'BAD_REQUEST'): never {
  throw new DatabricksApiError(400, errorCode, message);
}

function extraInput(location: string): never {
  reject(JSON.stringify({ message: `${location}: Extra inputs are not permitted` }));
}

// ---------------------------------------------------------------------------
// Request validation

/**
 * Top-level fields accepted on Databricks chat. Refused with "Extra inputs":
 * `store` and `service_tier` (reported rejected: ucode Pi adapter, openclaw
 * #63031), `max_completion_tokens` (UNVERIFIED: the reference only says peers
 * rewrite it to `max_tokens`), `prompt_cache_key`, `safety_identifier`, top-level
 * `strict` and every other OpenAI field not listed. `parallel_tool_calls` is
 * accepted: only a third party strips it, its rejection is unverified.
 * `thinking` is the Claude-on-chat reasoning switch (docs `query-reason-models`).
 */
const TOP_LEVEL_FIELDS = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'max_tokens',
  'stop',
  'temperature',
  'top_p',
  'n',
  'response_format',
  'reasoning_effort',
  'thinking',
  'stream',
  'stream_options',
  'user',
  'metadata',
  'logprobs',
  'top_logprobs',
  'seed',
  'parallel_tool_calls',
]);

/**
 * Message fields per role, from the OpenAI spec minus what Databricks is
 * documented to refuse: `name` outside user messages (unsupported: LiteLLM
 * `strip_name_from_message`), `thinking_blocks` and `reasoning_content`
 * (litellm #36931, PR #36944) and any other extension.
 */
const MESSAGE_FIELDS: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content']),
  developer: new Set(['role', 'content']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'tool_calls', 'refusal']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};

const USER_PART_TYPES = new Set(['text', 'image_url', 'input_audio', 'file']);
/** Assistant list content: Databricks' item union (§5.1) - text, image, reasoning. */
const ASSISTANT_PART_TYPES = new Set(['text', 'image', 'reasoning']);

function tagMismatch(location: string, tag: unknown): never {
  reject(`${location}: Input tag '${String(tag)}' found using 'type' does not match any of the expected tags`);
}

function validateTools(raw: unknown, endpoint: EmulatedEndpoint): ToolSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) reject('tools: Input should be a valid list');
  return raw.map((tool: unknown, i): ToolSpec => {
    const at = `tools.${i}`;
    // Documented verbatim (community.databricks.com "Claude Code-Execution Call Format").
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      reject("INVALID_PARAMETER_VALUE: Missing 'function' in the tool specification.", 'INVALID_PARAMETER_VALUE');
    }
    for (const key of Object.keys(tool)) {
      if (key !== 'type' && key !== 'function') extraInput(`${at}.${key}`);
    }
    const fn = tool.function;
    for (const key of Object.keys(fn)) {
      if (!['name', 'description', 'parameters', 'strict'].includes(key)) extraInput(`${at}.function.${key}`);
    }
    // Documented: `strict` is refused on non-GPT endpoints (ai-bridge
    // `_strip_strict_from_tools`); the message is not documented.
    if (fn.strict !== undefined && endpoint.family !== 'gpt') extraInput(`${at}.function.strict`);
    if (typeof fn.name !== 'string' || fn.name.length === 0) reject(`${at}.function.name: Field required`);
    if (fn.description !== undefined && typeof fn.description !== 'string') {
      reject(`${at}.function.description: Input should be a valid string`);
    }
    // Documented quirk: a schema without an explicit `type: "object"` is
    // rejected (all families). A tool without `parameters` at all is
    // accepted as an empty object schema: the reference is silent on it.
    let parameters: Record<string, unknown> = { type: 'object', properties: {} };
    if (fn.parameters !== undefined) {
      if (!isRecord(fn.parameters) || fn.parameters.type !== 'object') {
        reject(`${at}.function.parameters.type: Input should be 'object'`);
      }
      parameters = fn.parameters;
    }
    const spec: ToolSpec = { name: fn.name, parameters };
    if (typeof fn.description === 'string') spec.description = fn.description;
    return spec;
  });
}

function validateToolChoice(raw: unknown): ToolChoice {
  if (raw === undefined || raw === null) return 'auto';
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  if (isRecord(raw) && raw.type === 'function' && isRecord(raw.function) && typeof raw.function.name === 'string') {
    return { name: raw.function.name };
  }
  return reject(`tool_choice: Input should be 'none', 'auto', 'required' or a named function`);
}

/** Text of a string or a list of parts (non-text parts contribute nothing). */
function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p): p is Record<string, unknown> => isRecord(p) && p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('\n');
}

interface ParsedMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  text: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  toolCallId?: string;
  reasoning: ReplayedReasoning[];
}

function validateContent(content: unknown, at: string, allowed: ReadonlySet<string>, reasoning: ReplayedReasoning[]): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) reject(`${at}: Input should be a valid string or list`);
  content.forEach((part: unknown, k) => {
    const pat = `${at}.${k}`;
    if (!isRecord(part) || typeof part.type !== 'string' || !allowed.has(part.type)) {
      tagMismatch(pat, isRecord(part) ? part.type : part);
    }
    if (part.type === 'text' && typeof part.text !== 'string') reject(`${pat}.text: Field required`);
    if (part.type === 'reasoning') {
      // Databricks' reasoning item (§5.1): `summary` holds summary_text
      // items (with the signature to replay) or summary_encrypted_text
      // (redacted thinking: opaque, not reported as replayed reasoning).
      if (!Array.isArray(part.summary)) reject(`${pat}.summary: Field required`);
      part.summary.forEach((item: unknown, s) => {
        if (!isRecord(item)) reject(`${pat}.summary.${s}: Input should be a valid dictionary`);
        if (item.type === 'summary_text') {
          if (typeof item.text !== 'string') reject(`${pat}.summary.${s}.text: Field required`);
          const replay: ReplayedReasoning = { text: item.text };
          if (typeof item.signature === 'string') replay.signature = item.signature;
          reasoning.push(replay);
        } else if (item.type === 'summary_encrypted_text') {
          if (typeof item.data !== 'string') reject(`${pat}.summary.${s}.data: Field required`);
        } else {
          tagMismatch(`${pat}.summary.${s}`, item.type);
        }
      });
    }
  });
}

function validateMessages(raw: unknown, endpoint: EmulatedEndpoint): ParsedMessage[] {
  if (raw === undefined) reject('messages: Field required');
  if (!Array.isArray(raw)) reject('messages: Input should be a valid list');
  if (raw.length === 0) reject('messages: List should have at least 1 item after validation, not 0');
  return raw.map((message: unknown, i): ParsedMessage => {
    const at = `messages.${i}`;
    if (!isRecord(message)) reject(`${at}: Input should be a valid dictionary`);
    const role = message.role;
    if (typeof role !== 'string' || !Object.hasOwn(MESSAGE_FIELDS, role)) {
      reject(`${at}.role: Input should be 'system', 'developer', 'user', 'assistant' or 'tool'`);
    }
    const fields = MESSAGE_FIELDS[role] as ReadonlySet<string>;
    for (const key of Object.keys(message)) {
      if (!fields.has(key)) extraInput(`${at}.${key}`);
    }
    const parsed: ParsedMessage = {
      role: role as ParsedMessage['role'],
      text: partsText(message.content),
      toolCalls: [],
      reasoning: [],
    };
    const content = message.content;
    switch (role) {
      case 'system':
      case 'developer':
        if (content === undefined) reject(`${at}.content: Field required`);
        validateContent(content, `${at}.content`, new Set(['text']), parsed.reasoning);
        break;
      case 'user':
        if (content === undefined) reject(`${at}.content: Field required`);
        validateContent(content, `${at}.content`, USER_PART_TYPES, parsed.reasoning);
        break;
      case 'tool':
        if (typeof message.tool_call_id !== 'string' || message.tool_call_id.length === 0) {
          reject(`${at}.tool_call_id: Field required`);
        }
        if (content === undefined) reject(`${at}.content: Field required`);
        validateContent(content, `${at}.content`, new Set(['text']), parsed.reasoning);
        parsed.toolCallId = message.tool_call_id;
        break;
      case 'assistant': {
        if (content !== undefined && content !== null) {
          validateContent(content, `${at}.content`, ASSISTANT_PART_TYPES, parsed.reasoning);
        }
        const calls = message.tool_calls;
        if (calls !== undefined && calls !== null) {
          if (!Array.isArray(calls)) reject(`${at}.tool_calls: Input should be a valid list`);
          calls.forEach((call: unknown, c) => {
            const cat = `${at}.tool_calls.${c}`;
            if (!isRecord(call) || !isRecord(call.function)) reject(`${cat}.function: Field required`);
            if (typeof call.id !== 'string' || call.id.length === 0) reject(`${cat}.id: Field required`);
            if (call.type !== undefined && call.type !== 'function') tagMismatch(cat, call.type);
            const fn = call.function;
            if (typeof fn.name !== 'string' || fn.name.length === 0) reject(`${cat}.function.name: Field required`);
            if (typeof fn.arguments !== 'string') reject(`${cat}.function.arguments: Input should be a valid string`);
            parsed.toolCalls.push({ id: call.id, name: fn.name, arguments: fn.arguments });
          });
        }
        // Documented for Claude (databricks-ai-bridge PR #333): an assistant
        // turn with tool_calls and empty text is refused. Whitespace-only text
        // is treated the same (LiteLLM drops both); other families are not
        // documented to refuse it.
        if (endpoint.family === 'claude' && parsed.toolCalls.length > 0) {
          const emptyText =
            typeof content === 'string'
              ? isBlank(content)
              : Array.isArray(content) &&
                content.some((p) => isRecord(p) && p.type === 'text' && typeof p.text === 'string' && isBlank(p.text));
          if (emptyText) reject('messages: text content blocks must be non-empty');
        }
        break;
      }
    }
    return parsed;
  });
}

function validateThinking(raw: unknown, maxTokens: number | undefined, endpointName: string): boolean {
  if (raw === undefined || raw === null) return false;
  if (!isRecord(raw)) reject('thinking: Input should be a valid dictionary');
  const adaptiveOnly = isAdaptiveOnlyEndpoint(endpointName);
  switch (raw.type) {
    case 'enabled': {
      if (adaptiveOnly) {
        reject(`thinking.type: 'enabled' is not supported for ${endpointName}; use {"type": "adaptive"}`);
      }
      const budget = raw.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget)) {
        reject('thinking.enabled.budget_tokens: Input should be a valid integer');
      }
      // Documented: 1024 <= budget_tokens < max_tokens. Without max_tokens
      // only the lower bound is checked (the reference is silent).
      if (budget < 1024) reject('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
      if (maxTokens !== undefined && budget >= maxTokens) {
        reject('`max_tokens` must be greater than `thinking.budget_tokens`');
      }
      return true;
    }
    case 'adaptive':
      if (!adaptiveOnly) tagMismatch('thinking', raw.type);
      return true;
    case 'disabled':
      return false;
    default:
      return tagMismatch('thinking', raw.type);
  }
}

export function parse(body: unknown, context: RenderContext): Conversation {
  if (!isRecord(body)) reject('Request body must be a JSON object');
  const endpoint = context.endpoint;
  const name = endpoint.name;

  // Codex models only speak Responses (reference §2.2; message shape from the seed PR's routing).
  if (endpoint.family === 'codex') {
    reject(`Model ${name} only supports the Responses API. Please use /serving-endpoints/responses instead.`);
  }

  const extra = unknownTopLevelField(body, TOP_LEVEL_FIELDS, name);
  if (extra !== undefined) extraInput(extra);

  if (body.model === undefined) reject('model: Field required');
  if (typeof body.model !== 'string' || body.model.length === 0) reject('model: Input should be a valid string');
  if (body.max_tokens !== undefined && body.max_tokens !== null) {
    if (!(typeof body.max_tokens === 'number' && Number.isInteger(body.max_tokens) && body.max_tokens > 0)) {
      reject('max_tokens: Input should be a positive integer');
    }
  }
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    reject('stream: Input should be a valid boolean');
  }
  const streaming = body.stream === true;

  if (body.stream_options !== undefined && body.stream_options !== null) {
    // Documented: rejected by the Gemini translation layer (ucode
    // agents/copilot.py; goose retries without it on an error naming it).
    // The wording is not documented; it names the field as goose expects.
    if (endpoint.family === 'gemini') extraInput('stream_options');
    if (!isRecord(body.stream_options)) reject('stream_options: Input should be a valid dictionary');
  }

  // Rule `chat-structured-output-stream`. Third-party report
  // (forgecode-databricks): `json_object` with stream:true is refused.
  // Extended to json_schema (also structured output); `text` is plain output
  // and is let through.
  if (streaming && isRecord(body.response_format) && body.response_format.type !== 'text') {
    reject('Structured output is not currently supported with streaming');
  }

  const tools = validateTools(body.tools, endpoint);
  const reasoningEffort = body.reasoning_effort;
  if (reasoningEffort !== undefined && reasoningEffort !== null && typeof reasoningEffort !== 'string') {
    reject('reasoning_effort: Input should be a valid string');
  }
  // Seed PR: GPT-5.x with tools on chat must move to Responses. Applied to the
  // whole gpt family (gpt-oss behaviour is not documented).
  if (endpoint.family === 'gpt' && tools.length > 0 && typeof reasoningEffort === 'string') {
    reject(
      `Function tools with reasoning_effort are not supported for ${name} in /v1/chat/completions. Please use /v1/responses`,
    );
  }

  const toolChoice = validateToolChoice(body.tool_choice);
  const thinkingOn = validateThinking(body.thinking, maxTokens, name);
  const messages = validateMessages(body.messages, endpoint);

  const allText: string[] = [];
  allText.push(...toolTexts(tools));
  const priorToolCalls: Conversation['priorToolCalls'] = [];
  const replayedReasoning: ReplayedReasoning[] = [];
  let lastAssistant = -1;
  let lastUserText = '';
  messages.forEach((message, i) => {
    if (message.text) allText.push(message.text);
    for (const call of message.toolCalls) {
      allText.push(call.arguments);
      priorToolCalls.push({ callId: call.id, name: call.name });
    }
    for (const r of message.reasoning) allText.push(r.text);
    replayedReasoning.push(...message.reasoning);
    if (message.role === 'assistant') lastAssistant = i;
    if (message.role === 'user') lastUserText = message.text;
  });
  const responseSchema = chatResponseSchema(body.response_format);
  const toolResults = messages
    .slice(lastAssistant + 1)
    .filter((m) => m.role === 'tool')
    .map((m) => ({ callId: m.toolCallId as string, content: m.text }));

  return {
    endpoint: name,
    stream: streaming,
    lastUserText,
    allText: allText.join('\n'),
    tools,
    toolChoice,
    toolResults,
    parallelToolCalls: body.parallel_tool_calls !== false,
    priorToolCalls,
    // `reasoning_effort: "none"` (GPT-5.1+) asks for no reasoning.
    reasoningRequested: (typeof reasoningEffort === 'string' && reasoningEffort !== 'none') || thinkingOn,
    replayedReasoning,
    ...(maxTokens !== undefined ? { maxOutputTokens: maxTokens } : {}),
    ...(responseSchema ? { responseSchema } : {}),
  };
}
