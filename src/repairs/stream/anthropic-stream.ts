/**
 * anthropic-stream: one `message_start`, and `message_stop` at the end of a
 * complete answer.
 *
 * Fixes: on Anthropic Messages streams,
 * - a repeated `message_start` (the same message announced twice, or a relay
 *   that restarted the answer and spliced the new attempt's stream into the
 *   open one): the Anthropic SDK throws "Unexpected event order, got
 *   message_start before receiving message_stop". The repeat is dropped and
 *   the new attempt's blocks are renumbered after the blocks the client
 *   already has, open ones closed first, so the client sees one message.
 *   When the restart cuts a tool_use block (its JSON arguments are partial)
 *   or a thinking block (unsigned: a replay would be refused), no message can
 *   be made of it: the client gets an error event and `message_stop`, and
 *   the rest is dropped, so no tool ever runs on cut arguments.
 * - a stream that ends after a `message_delta` with a `stop_reason` but
 *   without `message_stop`: a complete answer, so a plain `message_stop` is
 *   sent (opencode loops without it). A stream cut before any stop_reason is
 *   not complete and is left to the proxy's stream tracker (passthrough) or
 *   the stream decoder (translated), which end it with an error event.
 * Source: wire-formats.md §7 "Duplicate or spliced message_start" (recorded
 * `duplicate-message-start`, `spliced-message-start` from vercel/ai) and §6.1
 * (the SDK's throws); clients.md §7 (no `message_stop`: opencode runaway loop).
 * The reference gives no fix for a splice: renumbering is this repair's own;
 * vercel/ai fails the stream instead.
 * Applies: routes whose upstream speaks Anthropic Messages (Claude), both surfaces.
 * Emulator: `anthropic-duplicate-message-start`,
 * `anthropic-spliced-message-start`, `anthropic-no-message-stop`.
 */
import { anthropicErrorBody } from '../../dialects/anthropic-messages/errors.js';
import { ProxyError } from '../../errors/proxy-error.js';
import { markEdited, type Repair, type StreamRepair, type WireEvent } from '../types.js';
import { isRecord, numberOr, stringOr, type JsonObject } from '../../dialects/common/json.js';

/** Block types that stay usable when the upstream restarts while they are open. */
const SAFE_TO_CUT = new Set(['text']);

function anthropicEvent(json: JsonObject & { type: string }): WireEvent {
  return { event: json.type, data: JSON.stringify(json), json, edited: true };
}

class AnthropicStream implements StreamRepair {
  private started = false;
  /** Shift applied to the current attempt's block indexes. */
  private offset = 0;
  /** How many block indexes the client has seen. */
  private blocks = 0;
  /** Open blocks (client index → block type). */
  private readonly open = new Map<number, string>();
  private stopReason = false;
  private stopped = false;
  /** Ended by this repair: nothing more goes out. */
  private abandoned = false;

  event(event: WireEvent): WireEvent[] {
    if (this.abandoned) return [];
    const json = event.json;
    const type = stringOr(json?.type) ?? event.event;
    if (!json || type === undefined) return [event];
    switch (type) {
      case 'message_start':
        if (!this.started) {
          this.started = true;
          return [event];
        }
        return this.restart();
      case 'content_block_start':
      case 'content_block_delta':
      case 'content_block_stop':
        this.block(type, event, json);
        return [event];
      case 'message_delta':
        if (isRecord(json.delta) && typeof json.delta.stop_reason === 'string') this.stopReason = true;
        return [event];
      case 'message_stop':
        this.stopped = true;
        return [event];
      default:
        return [event];
    }
  }

  end(): WireEvent[] {
    if (this.abandoned || this.stopped || !this.stopReason) return [];
    return [anthropicEvent({ type: 'message_stop' })];
  }

  private block(type: string, event: WireEvent, json: JsonObject): void {
    const upstreamIndex = numberOr(json.index);
    if (upstreamIndex === undefined) return;
    const index = upstreamIndex + this.offset;
    if (this.offset !== 0) {
      json.index = index;
      markEdited(event);
    }
    if (type === 'content_block_start') {
      this.open.set(index, stringOr(isRecord(json.content_block) ? json.content_block.type : undefined) ?? 'unknown');
      this.blocks = Math.max(this.blocks, index + 1);
    }
    if (type === 'content_block_stop') this.open.delete(index);
  }

  /** A second `message_start`: the upstream begins the answer again. */
  private restart(): WireEvent[] {
    if ([...this.open.values()].some((blockType) => !SAFE_TO_CUT.has(blockType))) {
      this.abandoned = true;
      const error = new ProxyError(
        'upstream',
        'The upstream restarted its answer in the middle of a tool call or thinking block, which cannot be used; please retry',
      );
      return [anthropicEvent(anthropicErrorBody(error)), anthropicEvent({ type: 'message_stop' })];
    }
    const closing = [...this.open.keys()].map((index) => anthropicEvent({ type: 'content_block_stop', index }));
    this.open.clear();
    this.offset = this.blocks;
    this.stopReason = false;
    return closing;
  }
}

/** Whether a stream repeats `message_start` or ends a complete answer without `message_stop` (the probe's test). */
function misframed(events: readonly WireEvent[]): boolean {
  const types = events.map(({ json, event }) => stringOr(json?.type) ?? event);
  return types.filter((type) => type === 'message_start').length > 1 || !types.includes('message_stop');
}

export const anthropicStreamRepair: Repair = {
  id: 'anthropic-stream',
  summary: 'A repeated message_start is folded into one message, and a complete answer missing message_stop gets one',
  source: 'wire-formats.md §7 (recorded duplicate/spliced message_start, vercel/ai), §6.1; clients.md §7',
  quirk: 'anthropic-duplicate-message-start',
  appliesTo: { upstream: ['anthropic-messages'] },
  stream: () => new AnthropicStream(),
  probe: { stream: true, provoke: () => true, shows: ({ events }) => misframed(events) },
};
