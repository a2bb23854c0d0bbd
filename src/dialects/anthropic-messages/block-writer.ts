import type { IrBlockStart, IrDelta } from '../../ir/stream.js';
import { clientSignature } from './client-ids.js';
import type { WireContentBlock, WireStreamEvent } from './wire.js';

/**
 * Writes one IR block as Anthropic content-block events. Text and thinking
 * blocks open lazily, on their first content, so that an IR block with
 * nothing in it (Gemini's empty signature parts, say) never reaches the
 * client as an empty block, which Anthropic would refuse when replayed.
 */
export class BlockWriter {
  private index: number | undefined;
  private signature: string | undefined;
  private argsSent = false;

  constructor(
    private readonly start: IrBlockStart,
    /** Hands out the next client block index (contiguous from 0 across the message). */
    private readonly takeIndex: () => number,
    /** Whether answer text has already been written in this message. */
    private readonly afterText: () => boolean = () => false,
  ) {}

  /** Whether this block has reached the client as answer text. */
  get wroteText(): boolean {
    return this.start.type === 'text' && this.index !== undefined;
  }

  /** Tool calls and redacted reasoning are complete or identified at start, so they open at once. */
  begin(): WireStreamEvent[] {
    return this.start.type === 'tool_call' || this.start.type === 'redacted_reasoning' ? this.openEvents() : [];
  }

  delta(delta: IrDelta): WireStreamEvent[] {
    const kind = this.start.type;
    if (delta.type === 'text' && kind === 'text' && delta.text !== '') {
      return this.deltaEvents({ type: 'text_delta', text: delta.text });
    }
    if (delta.type === 'reasoning' && kind === 'reasoning' && delta.text !== '') {
      return this.deltaEvents({ type: 'thinking_delta', thinking: delta.text });
    }
    if (delta.type === 'signature' && kind === 'reasoning') {
      // Held until the block stops: Anthropic sends the signature right before content_block_stop.
      this.signature = delta.signature;
      return [];
    }
    if (delta.type === 'tool_args' && kind === 'tool_call' && delta.json !== '') {
      this.argsSent = true;
      return this.deltaEvents({ type: 'input_json_delta', partial_json: delta.json });
    }
    // Deltas that do not fit the block (and empty ones) carry nothing the client could use.
    return [];
  }

  finish(): WireStreamEvent[] {
    const out: WireStreamEvent[] = [];
    if (this.start.type === 'reasoning' && this.signature && !this.isTrailingSignature()) {
      // A signed block with no visible text (`display: "omitted"`) is still replayable thinking.
      const provider = this.start.provider;
      out.push(...this.deltaEvents({ type: 'signature_delta', signature: clientSignature(provider, this.signature) }));
    }
    // A tool without arguments streams exactly one empty fragment, as Anthropic does.
    if (this.start.type === 'tool_call' && !this.argsSent) out.push(...this.deltaEvents({ type: 'input_json_delta', partial_json: '' }));
    if (this.index !== undefined) out.push({ type: 'content_block_stop', index: this.index });
    return out;
  }

  /**
   * A signature with no thinking text after the answer text: Gemini's closing
   * `{text: "", thoughtSignature}` part of a text answer. Anthropic never puts
   * thinking after the answer, and Claude Code takes the last block of a turn
   * as its result (an empty one here), so it is not written. Gemini validates
   * signatures on function calls only (wire-formats.md §4), so the next turn
   * loses nothing by not replaying it.
   */
  private isTrailingSignature(): boolean {
    return this.index === undefined && this.afterText();
  }

  private openEvents(): WireStreamEvent[] {
    if (this.index !== undefined) return [];
    const block = this.contentBlock();
    if (!block) return [];
    this.index = this.takeIndex();
    return [{ type: 'content_block_start', index: this.index, content_block: block }];
  }

  private contentBlock(): WireContentBlock | undefined {
    const start = this.start;
    switch (start.type) {
      case 'text':
        return { type: 'text', text: '' };
      case 'reasoning':
        return { type: 'thinking', thinking: '', signature: '' };
      case 'redacted_reasoning':
        return start.data ? { type: 'redacted_thinking', data: clientSignature(start.provider, start.data) } : undefined;
      case 'tool_call':
        return { type: 'tool_use', id: start.id, name: start.name, input: {} };
    }
  }

  /** A delta, opening the block first if it is not open yet. */
  private deltaEvents(delta: Extract<WireStreamEvent, { type: 'content_block_delta' }>['delta']): WireStreamEvent[] {
    const out = this.openEvents();
    if (this.index !== undefined) out.push({ type: 'content_block_delta', index: this.index, delta });
    return out;
  }
}
