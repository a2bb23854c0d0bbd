/**
 * Turns the output items of an upstream Responses stream into IR blocks,
 * one open at a time (the IR never interleaves blocks). Items are known by
 * their `output_index` only.
 *
 * - Text and reasoning open their block on the first text (no empty blocks);
 *   a `.done` carrying more text than the deltas did sends the rest.
 * - A reasoning block stays open after its item is done when no encrypted
 *   content came with it, so the terminal event's copy can still become the
 *   block's signature; it is settled (closed with the best signature known)
 *   as soon as a later item opens a block.
 * - A call opens when its call_id is known; its arguments are sent as they
 *   come, and whatever `.done` holds beyond them is sent as one more delta (a
 *   documented Databricks gap); a call with a call_id already seen is ignored.
 */
import type { IrBlockStart, IrStreamEvent } from '../../ir/stream.js';
import type { SignatureProvider } from '../../ir/signatures.js';
import { SUMMARY_JOIN } from './summary.js';

export type ItemKind = 'message' | 'reasoning' | 'function_call' | 'other';

export interface ItemState {
  kind: ItemKind;
  outputIndex: number;
  /** True once the item's block is closed for good (its `.done` was handled). */
  settled: boolean;
  /** Text sent so far per part (`c<n>` content, `s<n>` summary, `r<n>` reasoning text). */
  sent: Map<string, string>;
  /** Reasoning: the item id, and the encrypted content from `.done`/terminal, or from `.added` (a fallback). */
  itemId?: string;
  signature?: string;
  earlySignature?: string;
  /** Calls: arguments sent (or held until the call can open), and whether it opened or was a repeat. */
  args: string;
  callOpened: boolean;
  ignored: boolean;
}

export class ItemBlocks {
  private readonly items = new Map<number, ItemState>();
  private readonly callIds = new Set<string>();
  private current: ItemState | undefined;
  private currentIndex = -1;
  private nextIndex = 0;
  /** What the blocks showed, for the stop reason of a completed response. */
  readonly seen = { toolCall: false, refusal: false };

  constructor(
    private readonly emit: (event: IrStreamEvent) => void,
    private readonly provider: SignatureProvider | undefined,
  ) {}

  /** The item at an output index, created on first sight; undefined when the index holds an item of another kind. */
  itemAt(outputIndex: number, kind: ItemKind): ItemState | undefined {
    const known = this.items.get(outputIndex);
    if (known) return known.kind === kind ? known : undefined;
    const created: ItemState = { kind, outputIndex, settled: false, sent: new Map(), args: '', callOpened: false, ignored: false };
    this.items.set(outputIndex, created);
    return created;
  }

  has(outputIndex: number): boolean {
    return this.items.has(outputIndex);
  }

  sendText(item: ItemState, key: string, text: string): void {
    if (text === '' || item.settled) return;
    if (this.current !== item) this.open(item, { type: 'text' });
    this.delta({ type: 'text', text });
    item.sent.set(key, (item.sent.get(key) ?? '') + text);
  }

  /** Sends what `full` holds beyond the text already sent for that part. */
  fillText(item: ItemState, key: string, full: string): void {
    const rest = remainder(item.sent.get(key) ?? '', full);
    if (rest) this.sendText(item, key, rest);
  }

  sendReasoning(item: ItemState, key: string, text: string): void {
    if (text === '' || item.settled) return;
    // Summary parts join with a blank line, as the non-stream reader joins them.
    const joins = !item.sent.has(key) && [...item.sent.values()].some((sent) => sent !== '');
    if (this.current !== item) this.open(item, this.reasoningStart(item));
    if (joins) this.delta({ type: 'reasoning', text: SUMMARY_JOIN });
    this.delta({ type: 'reasoning', text });
    item.sent.set(key, (item.sent.get(key) ?? '') + text);
  }

  fillReasoning(item: ItemState, key: string, full: string): void {
    const rest = remainder(item.sent.get(key) ?? '', full);
    if (rest) this.sendReasoning(item, key, rest);
  }

  /** Opens a call's block, unless its call_id was seen before (a repeat of the same call). */
  openCall(item: ItemState, callId: string, name: string): void {
    if (item.callOpened || item.ignored) return;
    if (this.callIds.has(callId)) {
      item.ignored = true;
      return;
    }
    this.callIds.add(callId);
    this.seen.toolCall = true;
    item.callOpened = true;
    this.open(item, { type: 'tool_call', id: callId, name });
    if (item.args !== '') this.delta({ type: 'tool_args', json: item.args });
  }

  sendArgs(item: ItemState, json: string): void {
    if (json === '' || item.ignored || item.settled) return;
    // Arguments before the call is known wait for it; once its block is closed, a call cannot reopen.
    if (!item.callOpened) {
      item.args += json;
      return;
    }
    if (this.current !== item) return;
    this.delta({ type: 'tool_args', json });
    item.args += json;
  }

  fillArgs(item: ItemState, full: string): void {
    const rest = remainder(item.args, full);
    if (rest) this.sendArgs(item, rest);
  }

  /** Closes an item whose `.done` was handled; a reasoning item without a signature waits unless `final`. */
  settle(item: ItemState, final: boolean): void {
    if (item.settled) return;
    if (item.kind === 'reasoning' && item.signature === undefined && !final) return;
    if (item.kind === 'reasoning') this.finishReasoning(item);
    else if (this.current === item) this.closeCurrent();
    item.settled = true;
  }

  /** Settles every reasoning item still waiting (the response is over). */
  settleAll(): void {
    this.closeCurrent();
    for (const item of this.ordered()) if (item.kind === 'reasoning' && !item.settled) this.finishReasoning(item);
  }

  /** Closes the open block as is (a failed stream: nothing more is sent for it). */
  abandon(): void {
    if (this.current) this.emit({ type: 'block_stop', index: this.currentIndex });
    this.current = undefined;
  }

  private open(item: ItemState, block: IrBlockStart): void {
    this.closeCurrent();
    // Reasoning earlier in the output is settled first, so blocks keep the output's order.
    for (const earlier of this.ordered()) {
      if (earlier.kind === 'reasoning' && !earlier.settled && earlier.outputIndex < item.outputIndex && earlier !== item) this.finishReasoning(earlier);
    }
    this.start(item, block);
  }

  private start(item: ItemState, block: IrBlockStart): void {
    this.current = item;
    this.currentIndex = this.nextIndex++;
    this.emit({ type: 'block_start', index: this.currentIndex, block });
  }

  private closeCurrent(): void {
    const item = this.current;
    if (!item) return;
    if (item.kind === 'reasoning' && !item.settled) return this.finishReasoning(item);
    // A call that got no arguments takes none.
    if (item.kind === 'function_call' && item.args === '') this.delta({ type: 'tool_args', json: '{}' });
    if (item.kind === 'function_call') item.settled = true;
    this.emit({ type: 'block_stop', index: this.currentIndex });
    this.current = undefined;
  }

  /** Closes a reasoning item with the best signature known, opening its block if only the signature shows it. */
  private finishReasoning(item: ItemState): void {
    item.settled = true;
    const signature = item.signature ?? item.earlySignature;
    if (this.current !== item) {
      if (signature === undefined) return;
      this.closeCurrent();
      this.start(item, this.reasoningStart(item));
    }
    if (signature !== undefined) this.delta({ type: 'signature', signature });
    this.emit({ type: 'block_stop', index: this.currentIndex });
    this.current = undefined;
  }

  private reasoningStart(item: ItemState): IrBlockStart {
    return { type: 'reasoning', ...(this.provider ? { provider: this.provider } : {}), ...(item.itemId ? { id: item.itemId } : {}) };
  }

  private delta(delta: Extract<IrStreamEvent, { type: 'delta' }>['delta']): void {
    this.emit({ type: 'delta', index: this.currentIndex, delta });
  }

  private ordered(): ItemState[] {
    return [...this.items.values()].sort((a, b) => a.outputIndex - b.outputIndex);
  }
}

/** What `full` holds beyond `sent`, when `full` continues it; nothing when they disagree (what went out cannot be taken back). */
function remainder(sent: string, full: string): string {
  return full.length > sent.length && full.startsWith(sent) ? full.slice(sent.length) : '';
}
