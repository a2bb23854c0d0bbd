import { ProxyError } from '../../errors/proxy-error.js';
import { EMPTY_USAGE, type IrStopReason, type IrUsage } from '../../ir/response.js';
import type { IrBlockStart, IrDelta, IrStreamDecoder, IrStreamEvent } from '../../ir/stream.js';
import { clientMessageId } from './client-ids.js';
import { isRecord, numberOr, parseObject, stringOr, type JsonObject } from '../common/json.js';
import { errorKindFromAnthropic, stopReasonFromAnthropic } from './maps.js';
import { usageFromAnthropic } from './usage.js';

/** The delta types each IR block kind accepts (Anthropic pairs them the same way). */
const DELTA_BLOCK: Record<string, IrBlockStart['type']> = {
  text_delta: 'text',
  thinking_delta: 'reasoning',
  signature_delta: 'reasoning',
  input_json_delta: 'tool_call',
};

/** One Anthropic delta → an IR delta; empty fragments (a no-argument tool's `partial_json: ""`) carry nothing. */
function irDelta(delta: JsonObject): IrDelta | undefined {
  const text = (field: string): string => stringOr(delta[field]) ?? '';
  const made: Record<string, () => IrDelta> = {
    text_delta: () => ({ type: 'text', text: text('text') }),
    thinking_delta: () => ({ type: 'reasoning', text: text('thinking') }),
    signature_delta: () => ({ type: 'signature', signature: text('signature') }),
    input_json_delta: () => ({ type: 'tool_args', json: text('partial_json') }),
  };
  const ir = typeof delta.type === 'string' ? made[delta.type]?.() : undefined;
  if (!ir) return undefined;
  const payload = ir.type === 'signature' ? ir.signature : ir.type === 'tool_args' ? ir.json : ir.text;
  return payload === '' ? undefined : ir;
}

/**
 * A `content_block_start` → the IR block and the deltas its start already
 * carries (normally none: Anthropic starts blocks empty). Server-tool blocks
 * and unknown types give undefined and are skipped with their deltas.
 */
function irBlock(block: JsonObject): { start: IrBlockStart; deltas: IrDelta[] } | undefined {
  const deltas = (...candidates: (IrDelta | undefined)[]): IrDelta[] => candidates.filter((delta) => delta !== undefined);
  switch (block.type) {
    case 'text':
      return { start: { type: 'text' }, deltas: deltas(irDelta({ type: 'text_delta', text: block.text })) };
    case 'thinking':
      return {
        start: { type: 'reasoning', provider: 'anthropic' },
        deltas: deltas(
          irDelta({ type: 'thinking_delta', thinking: block.thinking }),
          irDelta({ type: 'signature_delta', signature: block.signature }),
        ),
      };
    case 'redacted_thinking':
      return { start: { type: 'redacted_reasoning', data: stringOr(block.data) ?? '', provider: 'anthropic' }, deltas: [] };
    case 'tool_use': {
      const input = isRecord(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : '';
      return {
        start: { type: 'tool_call', id: stringOr(block.id) ?? '', name: stringOr(block.name) ?? '' },
        deltas: deltas(irDelta({ type: 'input_json_delta', partial_json: input })),
      };
    }
    default:
      return undefined;
  }
}

/**
 * Databricks Anthropic stream → IR events. Whatever the upstream sends, the
 * output is well formed: one `start`, blocks that never interleave (a block
 * still open when another starts is closed first), indexes from 0 in order,
 * and exactly one `finish` or `error`.
 */
export class MessagesStreamDecoder implements IrStreamDecoder {
  private started = false;
  private done = false;
  private usage: IrUsage = EMPTY_USAGE;
  private stop: { reason: IrStopReason; sequence?: string } | undefined;
  /** The block being streamed: its upstream index, IR index and kind. */
  private open: { upstream: number; index: number; kind: IrBlockStart['type'] } | undefined;
  private nextIndex = 0;

  constructor(private readonly model: string) {}

  frame(event: string | undefined, data: string, parsed?: JsonObject): IrStreamEvent[] {
    if (this.done) return [];
    // Anthropic never sends non-JSON data; such a frame carries nothing to decode.
    const json = parsed ?? parseObject(data);
    const type = stringOr(json?.type) ?? event;
    if (!json || !type) return [];
    switch (type) {
      case 'message_start':
        return this.messageStart(json);
      case 'content_block_start':
        return this.blockStart(json);
      case 'content_block_delta':
        return this.blockDelta(json);
      case 'content_block_stop':
        return this.open && numberOr(json.index) === this.open.upstream ? this.closeOpen() : [];
      case 'message_delta':
        return this.messageDelta(json);
      case 'message_stop':
        return this.finish(this.stop ?? { reason: 'end_turn' });
      case 'error':
        return this.fail(json);
      default:
        // `ping` and event types added after this codec was written.
        return [];
    }
  }

  end(): IrStreamEvent[] {
    if (this.done) return [];
    if (this.stop) return this.finish(this.stop);
    this.done = true;
    return [...this.closeOpen(), { type: 'error', error: new ProxyError('upstream', 'The upstream stream ended before message_stop') }];
  }

  private messageStart(json: JsonObject): IrStreamEvent[] {
    // A relay that repeats or splices message_start: the earlier message's open block gets no more deltas.
    if (this.started) return this.closeOpen();
    this.started = true;
    const message = isRecord(json.message) ? json.message : {};
    this.usage = usageFromAnthropic(message.usage, EMPTY_USAGE);
    return [{ type: 'start', id: clientMessageId(stringOr(message.id)), model: stringOr(message.model) ?? this.model, usage: this.usage }];
  }

  /** A `start` for a stream that skipped message_start. */
  private ensureStarted(): IrStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    return [{ type: 'start', id: clientMessageId(undefined), model: this.model }];
  }

  private blockStart(json: JsonObject): IrStreamEvent[] {
    const out = [...this.ensureStarted(), ...this.closeOpen()];
    const upstream = numberOr(json.index);
    const block = isRecord(json.content_block) ? irBlock(json.content_block) : undefined;
    if (upstream === undefined || !block) return out;
    const index = this.nextIndex++;
    this.open = { upstream, index, kind: block.start.type };
    out.push({ type: 'block_start', index, block: block.start });
    for (const delta of block.deltas) out.push({ type: 'delta', index, delta });
    return out;
  }

  private blockDelta(json: JsonObject): IrStreamEvent[] {
    const open = this.open;
    if (!open || numberOr(json.index) !== open.upstream || !isRecord(json.delta)) return [];
    // A delta that does not fit its block (citations, a mismatched type) is dropped, as the Anthropic SDK does.
    const type = stringOr(json.delta.type);
    if (!type || DELTA_BLOCK[type] !== open.kind) return [];
    const delta = irDelta(json.delta);
    return delta ? [{ type: 'delta', index: open.index, delta }] : [];
  }

  private messageDelta(json: JsonObject): IrStreamEvent[] {
    const out = this.ensureStarted();
    const delta = isRecord(json.delta) ? json.delta : {};
    if (typeof delta.stop_reason === 'string') {
      const sequence = stringOr(delta.stop_sequence);
      this.stop = { reason: stopReasonFromAnthropic(delta.stop_reason), ...(sequence !== undefined ? { sequence } : {}) };
    }
    if (isRecord(json.usage)) {
      this.usage = usageFromAnthropic(json.usage, this.usage);
      out.push({ type: 'usage', usage: this.usage });
    }
    return out;
  }

  private finish(stop: { reason: IrStopReason; sequence?: string }): IrStreamEvent[] {
    const out = [...this.ensureStarted(), ...this.closeOpen()];
    this.done = true;
    out.push({ type: 'finish', stopReason: stop.reason, ...(stop.sequence !== undefined ? { stopSequence: stop.sequence } : {}) });
    return out;
  }

  private fail(json: JsonObject): IrStreamEvent[] {
    const error = isRecord(json.error) ? json.error : {};
    const out = this.closeOpen();
    this.done = true;
    out.push({
      type: 'error',
      error: new ProxyError(errorKindFromAnthropic(error.type), stringOr(error.message) ?? 'The upstream stream failed'),
    });
    return out;
  }

  private closeOpen(): IrStreamEvent[] {
    if (!this.open) return [];
    const { index } = this.open;
    this.open = undefined;
    return [{ type: 'block_stop', index }];
  }
}
