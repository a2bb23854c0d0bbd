/**
 * A Gemini client's `contents` → IR messages. `user` (and the old `function`
 * role) turns become user messages, `model` turns assistant ones.
 *
 * - Consecutive thought parts (`thought: true`) are one reasoning part until a
 *   signature closes it: streamed thoughts come back as many small parts.
 *   A `thoughtSignature` beside visible text (or on an empty text part) signs
 *   the open reasoning, or stands as signed reasoning with no text, which is
 *   how Gemini ends a turn. Signatures are read with their provider tag
 *   (src/ir/reasoning-carrier.ts): another provider's reasoning shown to this
 *   client comes back to that provider, and is dropped everywhere else.
 * - Gemini calls and results pair by `id` when the client gives one, else by
 *   name and order, as Gemini itself pairs them; calls without an id get a
 *   deterministic one (call-ids.ts).
 * - Code execution parts (`executableCode`, `codeExecutionResult`) belong to
 *   Gemini's built-in tool, which no other family has: they are left out.
 */
import { ProxyError } from '../../errors/proxy-error.js';
import { carriedReasoning } from '../../ir/reasoning-carrier.js';
import type { IrImagePart, IrMessage, IrPart, IrReasoningPart, IrTextPart, IrToolCallPart, IrToolResultPart } from '../../ir/request.js';
import { isRecord, type JsonObject, records, stringOr } from '../common/json.js';
import { clientCallId } from './call-ids.js';

export function decodeContents(contents: JsonObject[]): IrMessage[] {
  const calls = new CallPairs();
  return contents.map((content, turn): IrMessage => {
    const role = content.role === 'model' ? 'assistant' : 'user';
    const parts = new TurnParts();
    records(content.parts).forEach((part, position) => parts.add(part, calls, turn, position, `contents[${turn}].parts[${position}]`));
    return { role, parts: parts.list };
  });
}

/** The calls of the conversation not answered yet, to pair results that come without an id. */
class CallPairs {
  private open: { id: string; name: string }[] = [];

  call(id: string, name: string): void {
    this.open.push({ id, name });
  }

  /** The id of the call a result answers: its own id when a call has it, else the oldest open call of that name. */
  result(id: string | undefined, name: string, fallback: () => string): string {
    const at = [id === undefined ? -1 : this.open.findIndex((call) => call.id === id), this.open.findIndex((call) => call.name === name)].find((index) => index >= 0);
    if (at === undefined) return id ?? fallback();
    const [call] = this.open.splice(at, 1);
    return (call as { id: string }).id;
  }
}

class TurnParts {
  readonly list: IrPart[] = [];
  /** The reasoning part that consecutive thoughts still add to (until it is signed). */
  private reasoning: IrReasoningPart | undefined;

  add(part: JsonObject, calls: CallPairs, turn: number, position: number, path: string): void {
    const signature = stringOr(part.thoughtSignature) || undefined;
    if (isRecord(part.functionCall)) return this.call(part.functionCall, signature, calls, clientCallId(turn, position));
    if (isRecord(part.functionResponse)) return this.push(resultOf(part.functionResponse, calls, clientCallId(turn, position), path));
    const text = stringOr(part.text) ?? '';
    if (part.thought === true) this.thought(text);
    else if (text !== '') this.push({ type: 'text', text });
    const media = mediaOf(part, path);
    if (media) this.push(media);
    if (signature) this.sign(signature);
  }

  private push(part: IrPart): void {
    this.reasoning = undefined;
    this.list.push(part);
  }

  private thought(text: string): void {
    if (this.reasoning && this.reasoning.signature === undefined && this.reasoning.redacted === undefined) {
      this.reasoning.text += text;
      return;
    }
    this.push({ type: 'reasoning', text });
    this.reasoning = this.list.at(-1) as IrReasoningPart;
  }

  private sign(value: string): void {
    const open = this.reasoning && this.reasoning.signature === undefined && this.reasoning.redacted === undefined ? this.reasoning : undefined;
    const carried = carriedReasoning(value, 'gemini');
    if (open) Object.assign(open, carried);
    else this.push({ type: 'reasoning', text: '', ...carried });
    // A signed thought is complete: the next thought starts a new one.
    this.reasoning = undefined;
  }

  private call(call: JsonObject, signature: string | undefined, calls: CallPairs, minted: string): void {
    const name = stringOr(call.name) ?? '';
    const id = stringOr(call.id) || minted;
    calls.call(id, name);
    const carried = signature ? carriedReasoning(signature, 'gemini') : undefined;
    const signed: IrToolCallPart['signature'] = carried?.provider && carried.signature !== undefined ? { provider: carried.provider, value: carried.signature } : undefined;
    this.push({ type: 'tool_call', id, name, arguments: JSON.stringify(isRecord(call.args) ? call.args : {}), ...(signed ? { signature: signed } : {}) });
  }
}

/**
 * A `functionResponse` → a tool result. Gemini clients answer `{output}` (or
 * `{result}`, `{content}`) on success and `{error}` on failure; a lone string
 * under one of those keys is the result's text, anything else goes as JSON.
 */
function resultOf(response: JsonObject, calls: CallPairs, minted: string, path: string): IrToolResultPart {
  const name = stringOr(response.name) ?? '';
  const callId = calls.result(stringOr(response.id) || undefined, name, () => minted);
  const body = isRecord(response.response) ? response.response : {};
  const isError = body.error !== undefined && body.output === undefined;
  const keys = Object.keys(body);
  const only = keys.length === 1 ? body[keys[0] as string] : undefined;
  const text = typeof only === 'string' ? only : JSON.stringify(body);
  const images = records(response.parts).flatMap((part, index) => mediaOf(part, `${path}.functionResponse.parts[${index}]`) ?? []);
  return { type: 'tool_result', callId, name, content: [{ type: 'text', text } satisfies IrTextPart, ...images], ...(isError ? { isError } : {}) };
}

/** `inlineData` and `fileData` → an image; other media have no IR form (only Gemini models read them). */
function mediaOf(part: JsonObject, path: string): IrImagePart | undefined {
  const inline = isRecord(part.inlineData) ? part.inlineData : undefined;
  const file = isRecord(part.fileData) ? part.fileData : undefined;
  const media = inline ?? file;
  if (!media) return undefined;
  const mimeType = stringOr(media.mimeType) ?? '';
  if (!mimeType.startsWith('image/')) {
    throw new ProxyError('invalid_request', `${path}: ${inline ? 'inlineData' : 'fileData'} of type '${mimeType}' can only be sent to Gemini models; images are the only media other families read`, {
      param: path,
    });
  }
  if (inline) return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data: stringOr(inline.data) ?? '' } };
  return { type: 'image', source: { kind: 'url', url: stringOr(media.fileUri) ?? '' } };
}
