import type { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import { EMPTY_USAGE, type IrStopReason, type IrUsage } from '../../ir/response.js';
import type { IrBlockStart, IrDelta, IrStreamEncoder, IrStreamEvent } from '../../ir/stream.js';
import { formatFrame } from '../../sse/parse-frame.js';
import { BlockWriter } from './block-writer.js';
import { clientMessageId } from './client-ids.js';
import { anthropicErrorBody } from './errors.js';
import { STOP_REASON_TO_ANTHROPIC } from './maps.js';
import { wireUsage } from './usage.js';
import type { WireStreamEvent } from './wire.js';

/** An IR block not yet fully written: its deltas wait here until it is the block being written. */
interface PendingBlock {
  irIndex: number;
  writer: BlockWriter;
  waiting: IrDelta[];
  /** Whether it has been the head, the block being written. */
  begun: boolean;
  stopped: boolean;
}

/**
 * IR events → a Messages stream. The guarantees clients need (reference
 * clients.md §7, wire-formats §6.5): `message_start` first; blocks that never
 * interleave, with indexes contiguous from 0 (IR blocks that overlap are
 * written one after the other, in start order); `message_delta` with a stop
 * reason and cumulative usage; and always `message_stop` last (opencode
 * re-requests forever without it), after an `error` event on failure.
 * Every frame has an `event:` line: the Anthropic SDK skips frames without.
 */
export class MessagesStreamEncoder implements IrStreamEncoder {
  private started = false;
  private ended = false;
  private usage: IrUsage = EMPTY_USAGE;
  private outputReported = 0;
  private readonly pending: PendingBlock[] = [];
  private nextIndex = 0;
  /** Whether answer text has reached the client (a bare signature after it is not written, see BlockWriter). */
  private textWritten = false;

  constructor(private readonly context: CodecContext) {}

  encode(event: IrStreamEvent): string {
    if (this.ended) return '';
    return this.events(event)
      .map((wire) => formatFrame(JSON.stringify(wire), wire.type))
      .join('');
  }

  /** The client events for one IR event (an `error` frame included, whose body errors.ts shapes). */
  private events(event: IrStreamEvent): (WireStreamEvent | ErrorFrame)[] {
    switch (event.type) {
      case 'start':
        if (event.usage) this.usage = event.usage;
        return this.messageStart(event.id);
      case 'usage':
        this.usage = event.usage;
        return this.messageStart(undefined);
      case 'block_start':
        return [...this.messageStart(undefined), ...this.blockStart(event.index, event.block)];
      case 'delta':
        return [...this.messageStart(undefined), ...this.blockDelta(event.index, event.delta)];
      case 'block_stop':
        return [...this.messageStart(undefined), ...this.blockStop(event.index)];
      case 'finish':
        return [...this.messageStart(undefined), ...this.flushAll(), ...this.messageEnd(event.stopReason, event.stopSequence)];
      case 'error':
        return this.failure(event.error);
    }
  }

  private messageStart(id: string | undefined): WireStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    this.outputReported = this.usage.outputTokens;
    return [
      {
        type: 'message_start',
        message: {
          id: clientMessageId(id),
          type: 'message',
          role: 'assistant',
          model: this.context.clientModel,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: wireUsage(this.usage),
        },
      },
    ];
  }

  private blockStart(irIndex: number, start: IrBlockStart): WireStreamEvent[] {
    const writer = new BlockWriter(start, () => this.nextIndex++, () => this.textWritten);
    this.pending.push({ irIndex, writer, waiting: [], begun: false, stopped: false });
    return this.pump();
  }

  private blockDelta(irIndex: number, delta: IrDelta): WireStreamEvent[] {
    this.pending.find((block) => block.irIndex === irIndex)?.waiting.push(delta);
    return this.pump();
  }

  private blockStop(irIndex: number): WireStreamEvent[] {
    const block = this.pending.find((candidate) => candidate.irIndex === irIndex);
    if (block) block.stopped = true;
    return this.pump();
  }

  /** Writes the head block's waiting deltas, and moves on to the next block each time the head is complete. */
  private pump(): WireStreamEvent[] {
    const out: WireStreamEvent[] = [];
    for (let head = this.pending[0]; head; head = this.pending[0]) {
      if (!head.begun) {
        head.begun = true;
        out.push(...head.writer.begin());
      }
      for (const delta of head.waiting.splice(0)) out.push(...head.writer.delta(delta));
      this.textWritten ||= head.writer.wroteText;
      if (!head.stopped) break;
      out.push(...head.writer.finish());
      this.pending.shift();
    }
    return out;
  }

  /** At the end of the message every block still pending is written out and closed, in order. */
  private flushAll(): WireStreamEvent[] {
    for (const block of this.pending) block.stopped = true;
    return this.pump();
  }

  private messageEnd(stopReason: IrStopReason, stopSequence: string | undefined): WireStreamEvent[] {
    this.ended = true;
    // Clients read output_tokens as a running total, so it never goes down.
    this.outputReported = Math.max(this.outputReported, this.usage.outputTokens);
    return [
      {
        type: 'message_delta',
        delta: { stop_reason: STOP_REASON_TO_ANTHROPIC[stopReason], stop_sequence: stopSequence ?? null },
        usage: { ...wireUsage(this.usage), output_tokens: this.outputReported },
      },
      { type: 'message_stop' },
    ];
  }

  /** The open block is closed, then the error, then `message_stop` (as the server's own failure tail does). */
  private failure(error: ProxyError): (WireStreamEvent | ErrorFrame)[] {
    const closing = this.started ? this.flushAll() : [];
    this.ended = true;
    return [...closing, anthropicErrorBody(error), { type: 'message_stop' }];
  }
}

type ErrorFrame = ReturnType<typeof anthropicErrorBody>;
