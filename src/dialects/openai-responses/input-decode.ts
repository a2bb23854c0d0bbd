/**
 * A client's Responses `input` → IR system + messages.
 * - System and developer messages are hoisted into `system`, wherever they stand.
 * - Consecutive assistant-side items (reasoning, assistant message,
 *   function_call) form ONE assistant message.
 * - function_call_output items become tool_result parts, in order, placed
 *   first in the user message that follows (Anthropic wants every result in
 *   the user turn right after the calls); with none following, they form
 *   their own user message.
 */
import { quoted } from '../../errors/client-value.js';
import type { IrImagePart, IrMessage, IrPart, IrReasoningPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/request.js';
import { imageSourceOf } from '../common/image-url.js';
import { invalid } from '../common/invalid.js';
import { isRecord, type JsonObject, stringOr } from '../common/json.js';
import { reasoningFromEncryptedContent } from './reasoning-carrier.js';
import { summaryText } from './summary.js';

export interface DecodedInput {
  system: IrTextPart[];
  messages: IrMessage[];
}

export function decodeInput(input: unknown, instructions: IrTextPart[]): DecodedInput {
  const conversation = new ConversationBuilder(instructions);
  if (typeof input === 'string') {
    conversation.addUser(textParts(input));
  } else if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => decodeItem(conversation, item, `input[${i}]`));
  } else {
    return invalid('input must be a string or an array of items (the proxy keeps no conversation state)', 'input');
  }
  return conversation.finish();
}

/** Groups items into IR turns as they arrive. */
class ConversationBuilder {
  private readonly system: IrTextPart[];
  private readonly messages: IrMessage[] = [];
  private assistant: IrPart[] | undefined;
  private results: IrToolResultPart[] = [];
  /** Tool names by call id, for results (Gemini's functionResponse needs the name). */
  readonly callNames = new Map<string, string>();

  constructor(instructions: IrTextPart[]) {
    this.system = [...instructions];
  }

  addSystem(parts: IrTextPart[]): void {
    this.system.push(...parts);
  }

  addAssistant(parts: IrPart[]): void {
    this.flushResults();
    (this.assistant ??= []).push(...parts);
  }

  addResult(part: IrToolResultPart): void {
    this.closeAssistant();
    this.results.push(part);
  }

  addUser(parts: (IrTextPart | IrImagePart)[]): void {
    this.closeAssistant();
    const all: IrPart[] = [...this.results, ...parts];
    this.results = [];
    if (all.length > 0) this.messages.push({ role: 'user', parts: all });
  }

  finish(): DecodedInput {
    this.closeAssistant();
    this.flushResults();
    return { system: this.system, messages: this.messages };
  }

  private closeAssistant(): void {
    if (this.assistant && this.assistant.length > 0) this.messages.push({ role: 'assistant', parts: this.assistant });
    this.assistant = undefined;
  }

  private flushResults(): void {
    if (this.results.length > 0) this.messages.push({ role: 'user', parts: this.results });
    this.results = [];
  }
}

type ItemDecoder = (conversation: ConversationBuilder, item: JsonObject, at: string) => void;

/** Input item type → what it adds to the conversation. */
const ITEM_DECODERS: Record<string, ItemDecoder> = {
  message: decodeMessage,
  function_call: (conversation, item, at) => {
    const call = toolCallPart(item, at);
    conversation.callNames.set(call.id, call.name);
    conversation.addAssistant([call]);
  },
  function_call_output: (conversation, item, at) => conversation.addResult(toolResultPart(item, at, conversation.callNames)),
  reasoning: (conversation, item, at) => conversation.addAssistant(reasoningParts(item, at)),
  item_reference: (_conversation, item, at) => {
    // A client that believes responses are stored (the AI SDK's default, `store` unset) replays its
    // reasoning items by reference only. The proxy keeps no state, so the reasoning is gone; the
    // conversation without it is still one every provider accepts (a Gemini call then goes unsigned,
    // as Google documents). Any other item by reference would lose content the model needs.
    if (typeof item.id === 'string' && item.id.startsWith('rs_')) return;
    invalid('item references need stored responses; the proxy keeps no state, so send the items themselves', `${at}.type`);
  },
};

function decodeItem(conversation: ConversationBuilder, item: unknown, at: string): void {
  if (!isRecord(item)) return invalid('an input item must be an object', at);
  // A message may leave out its type (EasyInputMessage).
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  if (typeof type !== 'string' || !Object.hasOwn(ITEM_DECODERS, type)) {
    return invalid(`input items of type ${quoted(type)} cannot be translated for this model`, `${at}.type`);
  }
  (ITEM_DECODERS[type] as ItemDecoder)(conversation, item, at);
}

/** Message role → where its content goes. */
const ROLE_DECODERS: Record<string, ItemDecoder> = {
  system: (conversation, item, at) => conversation.addSystem(systemParts(item.content, `${at}.content`)),
  developer: (conversation, item, at) => conversation.addSystem(systemParts(item.content, `${at}.content`)),
  user: (conversation, item, at) => conversation.addUser(userParts(item.content, `${at}.content`)),
  assistant: (conversation, item, at) => conversation.addAssistant(assistantParts(item.content, `${at}.content`)),
};

function decodeMessage(conversation: ConversationBuilder, item: JsonObject, at: string): void {
  const role = item.role;
  if (typeof role !== 'string' || !Object.hasOwn(ROLE_DECODERS, role)) return invalid(`messages with role ${quoted(role)} are not supported`, `${at}.role`);
  (ROLE_DECODERS[role] as ItemDecoder)(conversation, item, at);
}

function systemParts(content: unknown, param: string): IrTextPart[] {
  return contentParts(content, param, (part, at) => (part.type === 'input_text' ? textPartOf(part, at) : invalid('only text is allowed in instructions', at)));
}

function userParts(content: unknown, param: string): (IrTextPart | IrImagePart)[] {
  return contentParts(content, param, mediaPartOf);
}

/** Assistant content: output_text, or a refusal (what the model said: it stays visible text). */
function assistantParts(content: unknown, param: string): IrTextPart[] {
  return contentParts(content, param, (part, at) => {
    if (part.type === 'output_text' || part.type === 'input_text') return textPartOf(part, at);
    if (part.type === 'refusal') {
      if (typeof part.refusal !== 'string') return invalid('a refusal part needs a string refusal', `${at}.refusal`);
      return textParts(part.refusal);
    }
    return invalid(`assistant content parts of type ${quoted(part.type)} are not supported`, `${at}.type`);
  });
}

/** Text and images (user content and tool output); files have no IR form, and refusing beats answering without them. */
function mediaPartOf(part: JsonObject, at: string): (IrTextPart | IrImagePart)[] {
  if (part.type === 'input_text' || part.type === 'output_text') return textPartOf(part, at);
  if (part.type === 'input_image') return [imagePartOf(part, at)];
  return invalid(`content parts of type ${quoted(part.type)} cannot be translated for this model`, `${at}.type`);
}

function contentParts<P>(content: unknown, param: string, decodePart: (part: JsonObject, at: string) => P[]): (P | IrTextPart)[] {
  if (typeof content === 'string') return textParts(content);
  if (!Array.isArray(content)) return invalid('content must be a string or an array of parts', param);
  return content.flatMap((part: unknown, i) => {
    const at = `${param}[${i}]`;
    if (!isRecord(part)) return invalid('a content part must be an object', at);
    return decodePart(part, at);
  });
}

/** Empty texts are dropped: Anthropic and Databricks-Claude refuse empty text blocks. */
function textParts(text: string): IrTextPart[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

function textPartOf(part: JsonObject, at: string): IrTextPart[] {
  if (typeof part.text !== 'string') return invalid('a text part needs a string text', `${at}.text`);
  return textParts(part.text);
}

function imagePartOf(part: JsonObject, at: string): IrImagePart {
  // A file_id points at OpenAI's file store, which no Databricks model can read.
  if (typeof part.image_url !== 'string') return invalid('an image needs an image_url (file ids cannot be translated)', `${at}.image_url`);
  const source = imageSourceOf(part.image_url);
  if (!source) return invalid('a data URL image must be base64-encoded', `${at}.image_url`);
  return { type: 'image', source };
}

function toolCallPart(item: JsonObject, at: string): IrToolCallPart {
  if (typeof item.call_id !== 'string' || item.call_id === '') return invalid('a function_call needs a call_id', `${at}.call_id`);
  if (typeof item.name !== 'string' || item.name === '') return invalid('a function_call needs a name', `${at}.name`);
  if (item.arguments !== undefined && typeof item.arguments !== 'string') return invalid('function_call arguments must be a JSON string', `${at}.arguments`);
  return { type: 'tool_call', id: item.call_id, name: item.name, arguments: item.arguments || '{}' };
}

function toolResultPart(item: JsonObject, at: string, callNames: ReadonlyMap<string, string>): IrToolResultPart {
  if (typeof item.call_id !== 'string' || item.call_id === '') return invalid('a function_call_output needs a call_id', `${at}.call_id`);
  if (item.output === undefined || item.output === null) return invalid('a function_call_output needs an output', `${at}.output`);
  const callId = item.call_id;
  const name = callNames.get(callId);
  return { type: 'tool_result', callId, ...(name ? { name } : {}), content: contentParts(item.output, `${at}.output`, mediaPartOf) };
}

/** A reasoning item: its summary texts joined, its encrypted content read back as a signature (or redacted data). */
function reasoningParts(item: JsonObject, at: string): IrReasoningPart[] {
  if (item.summary !== undefined && !Array.isArray(item.summary)) return invalid('a reasoning summary must be an array', `${at}.summary`);
  const text = summaryText(item.summary);
  const encrypted = stringOr(item.encrypted_content);
  if (text === '' && !encrypted) return [];
  const id = stringOr(item.id);
  return [{ type: 'reasoning', text, ...(encrypted ? reasoningFromEncryptedContent(encrypted) : {}), ...(id ? { id } : {}) }];
}
