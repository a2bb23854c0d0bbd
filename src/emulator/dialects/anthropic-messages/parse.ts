import type { Conversation, RenderContext, ReplayedReasoning, ToolChoice, ToolSpec } from '../../types.js';
import { isBlank, isRecord, toolTexts, unknownTopLevelField } from '../common.js';
import { checkCacheControl } from './cache-control.js';
import { cacheSegments } from './cache-segments.js';
import { extraInput, isPositiveInt, reject, tagMismatch } from './guards.js';
import { callIdFromAnthropic } from './ids.js';
import { validateOutputConfig, validateThinking } from './thinking.js';

// ---------------------------------------------------------------------------
// Request validation

/**
 * Top-level fields the Databricks Anthropic path accepts. `service_tier` is
 * kept: the reference reports it rejected on the MLflow chat endpoint only,
 * its rejection here is unverified. `container` and `inference_geo` (Anthropic
 * spec fields) are not listed, so they get "Extra inputs".
 */
const TOP_LEVEL_FIELDS = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'metadata',
  'stream',
  'cache_control',
  'service_tier',
]);

/**
 * Tool fields: the Anthropic spec's custom-tool fields. The reference only
 * documents that `eager_input_streaming` is refused; refusing every other
 * unknown field extends the documented "allow-list per surface" rule and is
 * unverified per field.
 */
const TOOL_FIELDS = new Set(['type', 'name', 'description', 'input_schema', 'cache_control', 'strict']);

const MESSAGE_FIELDS = new Set(['role', 'content']);

const BLOCK_TYPES = new Set(['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document']);
const TOOL_RESULT_BLOCK_TYPES = new Set(['text', 'image', 'document', 'search_result']);

const EMPTY_TEXT = 'messages: text content blocks must be non-empty';

function validateTools(raw: unknown): ToolSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) reject('tools: Input should be a valid list');
  return raw.map((tool: unknown, i): ToolSpec => {
    const at = `tools.${i}`;
    if (!isRecord(tool)) reject(`${at}: Input should be a valid dictionary`);
    // Server tools (web_search_20250305, code_execution_*, …) are refused
    // with a tag mismatch (ucode agents/claude.py; community thread).
    if (tool.type !== undefined && tool.type !== 'custom') tagMismatch(at, tool.type);
    for (const key of Object.keys(tool)) {
      if (!TOOL_FIELDS.has(key)) extraInput(`${at}.${key}`);
    }
    if (typeof tool.name !== 'string' || tool.name.length === 0) reject(`${at}.name: Field required`);
    if (tool.description !== undefined && typeof tool.description !== 'string') {
      reject(`${at}.description: Input should be a valid string`);
    }
    const schema = tool.input_schema;
    if (!isRecord(schema)) reject(`${at}.input_schema: Field required`);
    // Documented quirk: a schema without an explicit `type: "object"` is
    // rejected. The exact message is not documented.
    if (schema.type !== 'object') reject(`${at}.input_schema.type: Input should be 'object'`);
    const spec: ToolSpec = { name: tool.name, parameters: schema };
    if (typeof tool.description === 'string') spec.description = tool.description;
    return spec;
  });
}

function validateToolChoice(raw: unknown): { choice: ToolChoice; parallel: boolean } {
  if (raw === undefined) return { choice: 'auto', parallel: true };
  if (!isRecord(raw)) reject('tool_choice: Input should be a valid dictionary');
  const allowed = raw.type === 'tool' ? ['type', 'name', 'disable_parallel_tool_use'] : ['type', 'disable_parallel_tool_use'];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) extraInput(`tool_choice.${String(raw.type)}.${key}`);
  }
  if (raw.disable_parallel_tool_use !== undefined && typeof raw.disable_parallel_tool_use !== 'boolean') {
    reject(`tool_choice.${String(raw.type)}.disable_parallel_tool_use: Input should be a valid boolean`);
  }
  const parallel = raw.disable_parallel_tool_use !== true;
  switch (raw.type) {
    case 'auto':
      return { choice: 'auto', parallel };
    case 'any':
      return { choice: 'required', parallel };
    case 'none':
      return { choice: 'none', parallel };
    case 'tool':
      if (typeof raw.name !== 'string' || raw.name.length === 0) reject('tool_choice.tool.name: Field required');
      return { choice: { name: raw.name }, parallel };
    default:
      return tagMismatch('tool_choice', raw.type);
  }
}

function systemText(raw: unknown): string {
  if (raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) reject('system: Input should be a valid string or list');
  const texts: string[] = [];
  raw.forEach((block: unknown, i) => {
    if (!isRecord(block) || block.type !== 'text') tagMismatch(`system.${i}`, isRecord(block) ? block.type : block);
    if (typeof block.text !== 'string') reject(`system.${i}.text: Field required`);
    // Assumed to follow the same non-empty rule as message text blocks.
    if (isBlank(block.text)) reject('system: text content blocks must be non-empty');
    texts.push(block.text);
  });
  return texts.join('\n');
}

/** A validated content block (loose typing: only the fields the emulator reads). */
type Block = Record<string, unknown> & { type: string };

function validateToolResultContent(raw: unknown, at: string): string {
  if (raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (!Array.isArray(raw)) reject(`${at}.content: Input should be a valid string or list`);
  const texts: string[] = [];
  raw.forEach((part: unknown, k) => {
    if (!isRecord(part) || typeof part.type !== 'string' || !TOOL_RESULT_BLOCK_TYPES.has(part.type)) {
      tagMismatch(`${at}.content.${k}`, isRecord(part) ? part.type : part);
    }
    if (part.type === 'text') {
      if (typeof part.text !== 'string') reject(`${at}.content.${k}.text: Field required`);
      if (isBlank(part.text)) reject(EMPTY_TEXT);
      texts.push(part.text);
    }
    // Images, documents and search results carry no text the model reads.
  });
  return texts.join('\n');
}

function validateBlocks(content: unknown, i: number): Block[] {
  const at = `messages.${i}.content`;
  // A string is shorthand for one text block; the non-empty rule is assumed to apply to it too.
  if (typeof content === 'string') {
    if (isBlank(content)) reject(EMPTY_TEXT);
    return [{ type: 'text', text: content }];
  }
  if (!Array.isArray(content)) reject(`${at}: Input should be a valid string or list`);
  return content.map((block: unknown, j): Block => {
    const bat = `${at}.${j}`;
    if (!isRecord(block) || typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) {
      // Server-tool blocks (server_tool_use, web_search_tool_result, …) land here too.
      tagMismatch(bat, isRecord(block) ? block.type : block);
    }
    switch (block.type) {
      case 'text':
        if (typeof block.text !== 'string') reject(`${bat}.text.text: Field required`);
        if (isBlank(block.text)) reject(EMPTY_TEXT);
        break;
      case 'tool_use':
        if (typeof block.id !== 'string' || block.id.length === 0) reject(`${bat}.tool_use.id: Field required`);
        if (typeof block.name !== 'string' || block.name.length === 0) reject(`${bat}.tool_use.name: Field required`);
        if (!isRecord(block.input)) reject(`${bat}.tool_use.input: Input should be a valid dictionary`);
        break;
      case 'tool_result':
        if (typeof block.tool_use_id !== 'string' || block.tool_use_id.length === 0) {
          reject(`${bat}.tool_result.tool_use_id: Field required`);
        }
        if (block.is_error !== undefined && typeof block.is_error !== 'boolean') {
          reject(`${bat}.tool_result.is_error: Input should be a valid boolean`);
        }
        validateToolResultContent(block.content, `${bat}.tool_result`);
        break;
      case 'thinking':
        if (typeof block.thinking !== 'string') reject(`${bat}.thinking.thinking: Field required`);
        if (typeof block.signature !== 'string') reject(`${bat}.thinking.signature: Field required`);
        break;
      case 'redacted_thinking':
        if (typeof block.data !== 'string') reject(`${bat}.redacted_thinking.data: Field required`);
        break;
      case 'image':
      case 'document':
        if (!isRecord(block.source)) reject(`${bat}.${block.type}.source: Field required`);
        break;
    }
    return block as Block;
  });
}

interface ParsedMessage {
  role: 'user' | 'assistant';
  blocks: Block[];
}

function validateMessages(raw: unknown): ParsedMessage[] {
  if (raw === undefined) reject('messages: Field required');
  if (!Array.isArray(raw)) reject('messages: Input should be a valid list');
  if (raw.length === 0) reject('messages: List should have at least 1 item after validation, not 0');
  return raw.map((message: unknown, i): ParsedMessage => {
    if (!isRecord(message)) reject(`messages.${i}: Input should be a valid dictionary`);
    for (const key of Object.keys(message)) {
      if (!MESSAGE_FIELDS.has(key)) extraInput(`messages.${i}.${key}`);
    }
    if (message.role !== 'user' && message.role !== 'assistant') {
      reject(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (message.content === undefined) reject(`messages.${i}.content: Field required`);
    return { role: message.role, blocks: validateBlocks(message.content, i) };
  });
}

/**
 * Every assistant `tool_use` must be answered by a `tool_result` with the same
 * id in the immediately following user message (wire-formats §5.4; Chainlit
 * #2662). An assistant turn with tool_use that ends the conversation has no
 * answer either and is refused the same way (the reference is silent on that
 * case). Results that answer no tool_use are not checked: the reference does
 * not document that rule.
 */
function checkToolPairing(messages: ParsedMessage[]): void {
  messages.forEach((message, i) => {
    if (message.role !== 'assistant') return;
    const ids = message.blocks.filter((b) => b.type === 'tool_use').map((b) => b.id as string);
    if (ids.length === 0) return;
    const next = messages[i + 1];
    const answered = new Set(
      next?.role === 'user' ? next.blocks.filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id as string) : [],
    );
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      reject(`messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${missing.join(', ')}`);
    }
  });
}

/**
 * With thinking on, the final assistant message of a tool loop must open with
 * its thinking block (the signed reasoning the client has to replay).
 * Applied to `adaptive` thinking too: it is thinking, and the reference does
 * not say otherwise.
 */
function checkThinkingFirst(messages: ParsedMessage[]): void {
  let last = -1;
  messages.forEach((m, i) => {
    if (m.role === 'assistant') last = i;
  });
  const message = messages[last];
  if (!message || !message.blocks.some((b) => b.type === 'tool_use')) return;
  const first = message.blocks[0];
  if (first && (first.type === 'thinking' || first.type === 'redacted_thinking')) return;
  reject(
    `messages.${last}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first?.type ?? 'nothing'}\`. ` +
      'When `thinking` is enabled, a final `assistant` message must start with a thinking block ' +
      '(preceding the lastmost set of `tool_use` and `tool_result` blocks). ' +
      'We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.',
  );
}

function blockText(blocks: Block[]): string {
  return blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text as string)
    .join('\n');
}

export function parse(body: unknown, context: RenderContext): Conversation {
  if (!isRecord(body)) reject('Request body must be a JSON object');
  const endpointName = context.endpoint.name;
  const extra = unknownTopLevelField(body, TOP_LEVEL_FIELDS, endpointName);
  if (extra !== undefined) extraInput(extra);

  if (body.model === undefined) reject('model: Field required');
  if (typeof body.model !== 'string' || body.model.length === 0) reject('model: Input should be a valid string');
  if (body.max_tokens === undefined) reject('max_tokens: Field required');
  if (!isPositiveInt(body.max_tokens)) reject('max_tokens: Input should be a positive integer');
  const maxTokens = body.max_tokens;
  if (body.stream !== undefined && typeof body.stream !== 'boolean') reject('stream: Input should be a valid boolean');
  for (const key of ['temperature', 'top_p'] as const) {
    if (body[key] !== undefined && typeof body[key] !== 'number') reject(`${key}: Input should be a valid number`);
  }
  if (body.top_k !== undefined && !(typeof body.top_k === 'number' && Number.isInteger(body.top_k))) {
    reject('top_k: Input should be a valid integer');
  }
  if (
    body.stop_sequences !== undefined &&
    !(Array.isArray(body.stop_sequences) && body.stop_sequences.every((s) => typeof s === 'string'))
  ) {
    reject('stop_sequences: Input should be a valid list of strings');
  }
  if (body.metadata !== undefined && !isRecord(body.metadata)) reject('metadata: Input should be a valid dictionary');

  const thinking = validateThinking(body.thinking, maxTokens, endpointName);
  validateOutputConfig(body.output_config);
  const tools = validateTools(body.tools);
  const { choice: toolChoice, parallel } = validateToolChoice(body.tool_choice);
  const system = systemText(body.system);
  const messages = validateMessages(body.messages);
  checkToolPairing(messages);
  checkCacheControl(body);
  const reasoningRequested = thinking === 'enabled' || thinking === 'adaptive';
  if (reasoningRequested) checkThinkingFirst(messages);

  const allText: string[] = [];
  if (system) allText.push(system);
  allText.push(...toolTexts(tools));
  const priorToolCalls: Conversation['priorToolCalls'] = [];
  const replayedReasoning: ReplayedReasoning[] = [];
  for (const message of messages) {
    for (const block of message.blocks) {
      switch (block.type) {
        case 'text':
          allText.push(block.text as string);
          break;
        case 'tool_use':
          allText.push(JSON.stringify(block.input));
          if (message.role === 'assistant') {
            priorToolCalls.push({ callId: callIdFromAnthropic(block.id as string), name: block.name as string });
          }
          break;
        case 'tool_result':
          allText.push(validateToolResultContent(block.content, 'tool_result'));
          break;
        case 'thinking':
          allText.push(block.thinking as string);
          // Only assistant history carries replayable reasoning.
          if (message.role === 'assistant') {
            replayedReasoning.push({ text: block.thinking as string, signature: block.signature as string });
          }
          break;
        // redacted_thinking is opaque (no text, no signature to verify) and is
        // not reported as replayed reasoning.
      }
    }
  }

  let lastUser: ParsedMessage | undefined;
  for (const message of messages) if (message.role === 'user') lastUser = message;
  const lastMessage = messages[messages.length - 1];
  const toolResults =
    lastMessage?.role === 'user'
      ? lastMessage.blocks
          .filter((b) => b.type === 'tool_result')
          .map((b) => ({
            callId: callIdFromAnthropic(b.tool_use_id as string),
            content: validateToolResultContent(b.content, 'tool_result'),
          }))
      : [];

  const conversation: Conversation = {
    endpoint: endpointName,
    stream: body.stream === true,
    lastUserText: lastUser ? blockText(lastUser.blocks) : '',
    allText: allText.join('\n'),
    tools,
    toolChoice,
    toolResults,
    parallelToolCalls: parallel,
    priorToolCalls,
    reasoningRequested,
    replayedReasoning,
    maxOutputTokens: maxTokens,
  };
  const segments = cacheSegments(body);
  if (segments) conversation.cacheSegments = segments;
  return conversation;
}
