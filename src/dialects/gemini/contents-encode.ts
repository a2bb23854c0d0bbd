/**
 * IR messages → Gemini `contents`. Gemini wants turns that alternate between
 * `user` and `model` and, for tool results, ALL the results of a step in one
 * user turn (wire-formats.md §7): adjacent messages of one role are merged,
 * messages left with no parts are skipped (Gemini refuses empty turns), and
 * the function responses of a user turn go first.
 */
import type { IrMessage } from '../../ir/request.js';
import { modelParts } from './model-parts.js';
import { type CallNames, userParts } from './user-parts.js';
import type { Content, Part } from './wire.js';

interface Turn {
  role: 'user' | 'model';
  parts: Part[];
}

export function encodeContents(messages: IrMessage[]): Content[] {
  const names = callNames(messages);
  const turns: Turn[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = role === 'model' ? modelParts(message.parts) : userParts(message.parts, names);
    if (parts.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else turns.push({ role, parts });
  }
  return turns.map((turn) => (turn.role === 'user' ? { role: turn.role, parts: responsesFirst(turn.parts) } : { role: turn.role, parts: signedFirstCall(turn.parts) }));
}

/**
 * Gemini 3 refuses a step whose first call has no signature. A call whose
 * signature the client did not bring back (it replayed only the call), or
 * that another model made, gets the placeholder Google documents for calls
 * it did not sign (ai.google.dev thought-signatures; wire-formats.md §4 lists
 * it as a gateway practice); the emulator accepts it the same way.
 */
export const UNSIGNED_CALL_SIGNATURE = 'skip_thought_signature_validator';

export function signedFirstCall(parts: Part[]): Part[] {
  const first = parts.findIndex((part) => part.functionCall);
  if (first === -1 || parts[first]?.thoughtSignature) return parts;
  return parts.map((part, index) => (index === first ? { ...part, thoughtSignature: UNSIGNED_CALL_SIGNATURE } : part));
}

function callNames(messages: IrMessage[]): CallNames {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) if (part.type === 'tool_call') names.set(part.id, part.name);
  }
  return names;
}

function responsesFirst(parts: Part[]): Part[] {
  return [...parts.filter((part) => part.functionResponse), ...parts.filter((part) => !part.functionResponse)];
}
