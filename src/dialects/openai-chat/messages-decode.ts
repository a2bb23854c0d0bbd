/**
 * Client `messages[]` → IR system + messages. System and developer messages
 * are hoisted wherever they stand (Anthropic and Gemini take one top-level
 * system); consecutive `tool` messages become one user message of
 * tool_result parts, in order (Anthropic wants them all in the next user turn).
 */
import { quoted } from '../../errors/client-value.js';
import type { IrMessage, IrPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/request.js';
import { assistantParts, clientSigner, replayable, textOnlyParts, userParts } from './content-decode.js';
import { googleSignature } from './gemini-signature.js';
import { invalid } from '../common/invalid.js';
import { isRecord, type JsonObject, stringOr } from '../common/json.js';
import { thinkingBlockPart } from './reasoning-items.js';

export interface DecodedMessages {
  system: IrTextPart[];
  messages: IrMessage[];
}

export function decodeMessages(raw: unknown): DecodedMessages {
  if (!Array.isArray(raw) || raw.length === 0) return invalid('messages must be a non-empty array', 'messages');
  const system: IrTextPart[] = [];
  const messages: IrMessage[] = [];
  /** Tool names by call id, for results (Gemini's functionResponse needs the name). */
  const callNames = new Map<string, string>();
  let toolResults: IrToolResultPart[] = [];
  const flushToolResults = (): void => {
    if (toolResults.length > 0) messages.push({ role: 'user', parts: toolResults });
    toolResults = [];
  };
  const push = (role: IrMessage['role'], parts: IrPart[]): void => {
    if (parts.length > 0) messages.push({ role, parts });
  };

  raw.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isRecord(message)) return invalid('a message must be an object', at);
    if (message.role !== 'tool') flushToolResults();
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textOnlyParts(message.content, `${at}.content`));
        return;
      case 'user':
        push('user', userParts(message.content, `${at}.content`));
        return;
      case 'assistant': {
        const calls = toolCallParts(message.tool_calls, `${at}.tool_calls`);
        for (const call of calls) callNames.set(call.id, call.name);
        push('assistant', [
          ...thinkingParts(message.thinking_blocks, `${at}.thinking_blocks`),
          ...assistantParts(message.content, `${at}.content`),
          ...refusalParts(message),
          ...calls,
        ]);
        return;
      }
      case 'tool':
        toolResults.push(toolResultPart(message, at, callNames));
        return;
      default:
        // The legacy `function` role has no call id to pair a result with.
        return invalid(`messages with role ${quoted(message.role)} are not supported`, `${at}.role`);
    }
  });
  flushToolResults();
  return { system, messages };
}

/** LiteLLM's `thinking_blocks`: replayable Anthropic reasoning, placed before the visible content. */
function thinkingParts(raw: unknown, param: string): IrPart[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalid('thinking_blocks must be an array', param);
  const parts = raw.map(
    (block: unknown, i) => thinkingBlockPart(block, clientSigner) ?? invalid('a thinking block must be thinking or redacted_thinking', `${param}[${i}]`),
  );
  return replayable(parts);
}

/** An assistant `refusal` is what the model said; it stays visible text. */
function refusalParts(message: JsonObject): IrPart[] {
  const refusal = stringOr(message.refusal);
  return refusal ? [{ type: 'text', text: refusal }] : [];
}

function toolCallParts(raw: unknown, param: string): IrToolCallPart[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return invalid('tool_calls must be an array', param);
  return raw.map((call: unknown, i): IrToolCallPart => {
    const at = `${param}[${i}]`;
    if (!isRecord(call)) return invalid('a tool call must be an object', at);
    if (call.type !== undefined && call.type !== 'function') {
      return invalid(`tool calls of type ${quoted(call.type)} are not supported`, `${at}.type`);
    }
    if (typeof call.id !== 'string' || call.id === '') return invalid('a tool call needs an id', `${at}.id`);
    const fn = call.function;
    if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
      return invalid('a tool call needs a function name', `${at}.function.name`);
    }
    if (fn.arguments !== undefined && typeof fn.arguments !== 'string') {
      return invalid('function arguments must be a JSON string', `${at}.function.arguments`);
    }
    const carried = googleSignature(call.extra_content);
    return { type: 'tool_call', id: call.id, name: fn.name, arguments: fn.arguments || '{}', ...(carried ? { signature: carried } : {}) };
  });
}

function toolResultPart(message: JsonObject, at: string, callNames: ReadonlyMap<string, string>): IrToolResultPart {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    return invalid('a tool message needs a tool_call_id', `${at}.tool_call_id`);
  }
  const callId = message.tool_call_id;
  const name = callNames.get(callId);
  return { type: 'tool_result', callId, ...(name ? { name } : {}), content: textOnlyParts(message.content ?? '', `${at}.content`) };
}
