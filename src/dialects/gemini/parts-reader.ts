/**
 * Gemini answer parts (each chunk carries only its new parts) → IR blocks.
 *
 * - `thought: true` text → a reasoning block (provider `gemini`). Thought
 *   text after the block's signature starts a new block, so that each
 *   signature goes back with the thoughts it came after.
 * - Plain text → a text block. A signature never becomes visible text: an
 *   empty `text: ""` part carrying only a `thoughtSignature` (how a streamed
 *   turn without calls ends, recorded `google-text`), or a signature on a
 *   text part, signs the open reasoning block when one is open and unsigned;
 *   otherwise it becomes a reasoning block of its own with no text. It is not
 *   dropped: Gemini asks for every signature back (wire-formats.md §4), and
 *   the encoder returns such a block as the empty signed part it came as.
 * - `functionCall` → one complete tool_call block: start (the call's `id`, or
 *   a minted one; its signature), one tool_args delta with the JSON of
 *   `args`, stop. Calls whose arguments stream in pieces are assembled first.
 * - Other part kinds (inline images, code execution) have no IR output form.
 */
import type { IrToolCallPart } from '../../ir/request.js';
import type { IrBlocks } from '../common/ir-blocks.js';
import { isRecord, type JsonObject, stringOr } from '../common/json.js';
import { PartialCall } from './partial-call.js';

export class PartsReader {
  private partial: PartialCall | undefined;
  private callCount = 0;

  constructor(
    private readonly blocks: IrBlocks,
    private readonly mintId: () => string,
  ) {}

  /** How many calls the answer made (a STOP with calls is a tool_use stop). */
  get calls(): number {
    return this.callCount;
  }

  part(part: JsonObject): void {
    const signature = stringOr(part.thoughtSignature) || undefined;
    if (isRecord(part.functionCall)) return this.functionCall(part.functionCall, signature);
    const text = stringOr(part.text) ?? '';
    if (part.thought === true) this.thought(text);
    else if (text !== '') this.text(text);
    if (signature) this.sign(signature);
  }

  /** The answer is over: a call still assembling goes out with what it has. */
  flush(): void {
    if (this.partial) this.emitPartial(this.partial);
  }

  private thought(text: string): void {
    if (text === '') return;
    this.openReasoning();
    this.blocks.delta({ type: 'reasoning', text });
  }

  private text(text: string): void {
    if (this.blocks.current?.kind !== 'text') this.blocks.start({ type: 'text' });
    this.blocks.delta({ type: 'text', text });
  }

  private sign(signature: string): void {
    this.openReasoning();
    this.blocks.delta({ type: 'signature', signature });
  }

  private openReasoning(): void {
    const current = this.blocks.current;
    if (current?.kind !== 'reasoning' || current.signed) this.blocks.start({ type: 'reasoning', provider: 'gemini' });
  }

  /**
   * A named part starts a call (whole, or assembling when `willContinue`); a
   * nameless one continues the assembling call, and ends it unless it says
   * more follows. A nameless part with no call assembling is dropped.
   */
  private functionCall(call: JsonObject, signature: string | undefined): void {
    const name = stringOr(call.name);
    const id = stringOr(call.id) || undefined;
    if (name) {
      this.flush();
      if (call.willContinue === true) {
        this.partial = new PartialCall(name, id, signature);
        this.partial.apply(call.partialArgs);
        return;
      }
      return this.emit(name, id, isRecord(call.args) ? call.args : {}, signature);
    }
    if (!this.partial) return;
    this.partial.apply(call.partialArgs);
    if (call.willContinue !== true) this.emitPartial(this.partial);
  }

  private emitPartial(partial: PartialCall): void {
    this.partial = undefined;
    this.emit(partial.name, partial.id, partial.args, partial.signature);
  }

  private emit(name: string, id: string | undefined, args: JsonObject, signature: string | undefined): void {
    this.callCount += 1;
    const signed: IrToolCallPart['signature'] = signature ? { provider: 'gemini', value: signature } : undefined;
    this.blocks.start({ type: 'tool_call', id: id ?? this.mintId(), name, ...(signed ? { signature: signed } : {}) });
    this.blocks.delta({ type: 'tool_args', json: JSON.stringify(args) });
    this.blocks.close();
  }
}
