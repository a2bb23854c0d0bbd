/**
 * A Databricks Responses stream → IR stream events. Items are followed by
 * `output_index`, never by item id: Databricks' gateway changes an item's id
 * between its events (databricks.md §5.3). The decoder promises the IR
 * contract whatever arrives: `start` first, one block open at a time, then
 * exactly one `finish` (completed or incomplete) or `error` (failed, an
 * `error` event, or a stream that ends without a terminal event).
 */
import { randomUUID } from 'node:crypto';
import { ProxyError } from '../../errors/proxy-error.js';
import { type CodecContext, FAMILY_SIGNER } from '../../ir/codec.js';
import type { IrStopReason } from '../../ir/response.js';
import type { IrStreamDecoder, IrStreamEvent } from '../../ir/stream.js';
import { ItemBlocks, type ItemKind, type ItemState } from './item-blocks.js';
import { isRecord, type JsonObject, numberOr, parseObject, records, stringOr } from '../common/json.js';
import { completedStopReason, irUsage, stopReasonForIncomplete } from './maps.js';
import { errorOf, failureOf } from './upstream-error.js';

/** Output item type → how its events are followed; hosted-tool items and the like are followed as `other` and give nothing. */
const ITEM_KINDS: Record<string, ItemKind> = { message: 'message', reasoning: 'reasoning', function_call: 'function_call' };

function kindOf(type: unknown): ItemKind {
  return typeof type === 'string' && Object.hasOwn(ITEM_KINDS, type) ? (ITEM_KINDS[type] as ItemKind) : 'other';
}

type Handler = (decoder: ResponsesStreamDecoder, payload: JsonObject) => void;

/** Event type → what it does. Anything not listed (keepalive, annotations, hosted-tool progress) is skipped. */
const HANDLERS: Record<string, Handler> = {
  'response.created': (decoder, payload) => decoder.begin(payload.response),
  'response.in_progress': (decoder, payload) => decoder.begin(payload.response),
  'response.queued': (decoder, payload) => decoder.begin(payload.response),
  'response.output_item.added': (decoder, payload) => decoder.itemAdded(payload),
  'response.output_item.done': (decoder, payload) => decoder.itemDone(numberOr(payload.output_index), payload.item, false),
  'response.output_text.delta': (decoder, payload) => decoder.text(payload, 'delta', false),
  'response.output_text.done': (decoder, payload) => decoder.text(payload, 'text', false),
  'response.refusal.delta': (decoder, payload) => decoder.text(payload, 'delta', true),
  'response.refusal.done': (decoder, payload) => decoder.text(payload, 'refusal', true),
  'response.content_part.done': (decoder, payload) => decoder.contentPartDone(payload),
  'response.reasoning_summary_text.delta': (decoder, payload) => decoder.reasoning(payload, 's', 'summary_index', 'delta'),
  'response.reasoning_summary_text.done': (decoder, payload) => decoder.reasoning(payload, 's', 'summary_index', 'text'),
  'response.reasoning_text.delta': (decoder, payload) => decoder.reasoning(payload, 'r', 'content_index', 'delta'),
  'response.reasoning_text.done': (decoder, payload) => decoder.reasoning(payload, 'r', 'content_index', 'text'),
  'response.function_call_arguments.delta': (decoder, payload) => decoder.args(payload, false),
  'response.function_call_arguments.done': (decoder, payload) => decoder.args(payload, true),
  'response.completed': (decoder, payload) => decoder.complete(payload.response, (seen) => completedStopReason(seen)),
  'response.incomplete': (decoder, payload) =>
    decoder.complete(payload.response, () => stopReasonForIncomplete(isRecord(payload.response) && isRecord(payload.response.incomplete_details) ? payload.response.incomplete_details.reason : undefined)),
  'response.failed': (decoder, payload) => decoder.fail(failureOf(isRecord(payload.response) ? payload.response : {})),
  error: (decoder, payload) => decoder.fail(errorOf(payload) ?? new ProxyError('upstream', 'The upstream stream reported an error')),
};

export function createResponsesStreamDecoder(context: CodecContext): IrStreamDecoder {
  return new ResponsesStreamDecoder(context);
}

class ResponsesStreamDecoder implements IrStreamDecoder {
  private out: IrStreamEvent[] = [];
  private started = false;
  private finished = false;
  private readonly blocks: ItemBlocks;

  constructor(private readonly context: CodecContext) {
    this.blocks = new ItemBlocks((event) => this.push(event), FAMILY_SIGNER[context.family]);
  }

  frame(event: string | undefined, data: string, parsed?: JsonObject): IrStreamEvent[] {
    if (this.finished) return [];
    const payload = parsed ?? parseObject(data);
    if (!payload) return [];
    this.out = [];
    const type = stringOr(payload.type) ?? event;
    if (type !== undefined && Object.hasOwn(HANDLERS, type)) (HANDLERS[type] as Handler)(this, payload);
    else if (type === undefined) {
      // A frame without a type can only be an error body (Databricks' `{error_code, message}`).
      const error = errorOf(payload);
      if (error) this.fail(error);
    }
    return this.out;
  }

  end(): IrStreamEvent[] {
    if (this.finished) return [];
    this.out = [];
    this.fail(new ProxyError('upstream', 'The upstream stream ended before the response was completed'));
    return this.out;
  }

  /** `start`, from the first lifecycle event's response when there is one. */
  begin(response: unknown): void {
    if (this.started) return;
    this.started = true;
    const known = isRecord(response) ? response : {};
    this.out.push({ type: 'start', id: stringOr(known.id) || `resp_${randomUUID().replaceAll('-', '')}`, model: stringOr(known.model) || this.context.endpoint });
  }

  itemAdded(payload: JsonObject): void {
    const outputIndex = numberOr(payload.output_index);
    const item = isRecord(payload.item) ? payload.item : undefined;
    if (outputIndex === undefined || !item) return;
    const state = this.blocks.itemAt(outputIndex, kindOf(item.type));
    if (!state) return;
    if (state.kind === 'reasoning') {
      state.itemId ??= stringOr(item.id) || undefined;
      state.earlySignature = stringOr(item.encrypted_content) || undefined;
    } else if (state.kind === 'function_call') {
      this.openCall(state, item, outputIndex);
      this.blocks.fillArgs(state, stringOr(item.arguments) ?? '');
    }
  }

  /**
   * An item is finished: what its final form holds beyond the deltas is sent,
   * then it is closed. Also used for the terminal event's `output` (`final`),
   * so an item the stream never showed still becomes a whole block.
   */
  itemDone(outputIndex: number | undefined, raw: unknown, final: boolean): void {
    if (outputIndex === undefined || !isRecord(raw)) return;
    const kind = kindOf(raw.type);
    const state = this.blocks.itemAt(outputIndex, kind);
    if (!state || state.settled) return;
    if (kind === 'message') {
      records(raw.content).forEach((part, i) => this.contentPart(outputIndex, i, part));
    } else if (kind === 'reasoning') {
      state.itemId ??= stringOr(raw.id) || undefined;
      records(raw.summary).forEach((part, i) => this.blocks.fillReasoning(state, `s${i}`, stringOr(part.text) ?? ''));
      records(raw.content).forEach((part, i) => this.blocks.fillReasoning(state, `r${i}`, stringOr(part.text) ?? ''));
      const signature = stringOr(raw.encrypted_content);
      if (signature) state.signature = signature;
    } else if (kind === 'function_call') {
      this.openCall(state, raw, outputIndex);
      this.blocks.fillArgs(state, stringOr(raw.arguments) ?? '');
    }
    this.blocks.settle(state, final);
  }

  text(payload: JsonObject, field: 'delta' | 'text' | 'refusal', refusal: boolean): void {
    const outputIndex = numberOr(payload.output_index);
    const text = stringOr(payload[field]);
    if (outputIndex === undefined || text === undefined) return;
    const state = this.blocks.itemAt(outputIndex, 'message');
    if (!state) return;
    if (refusal) this.blocks.seen.refusal = true;
    const key = `c${numberOr(payload.content_index) ?? 0}`;
    if (field === 'delta') this.blocks.sendText(state, key, text);
    else this.blocks.fillText(state, key, text);
  }

  contentPartDone(payload: JsonObject): void {
    const outputIndex = numberOr(payload.output_index);
    if (outputIndex !== undefined && isRecord(payload.part)) this.contentPart(outputIndex, numberOr(payload.content_index) ?? 0, payload.part);
  }

  reasoning(payload: JsonObject, prefix: 's' | 'r', indexField: 'summary_index' | 'content_index', field: 'delta' | 'text'): void {
    const outputIndex = numberOr(payload.output_index);
    const text = stringOr(payload[field]);
    if (outputIndex === undefined || text === undefined) return;
    const state = this.blocks.itemAt(outputIndex, 'reasoning');
    if (!state) return;
    const key = `${prefix}${numberOr(payload[indexField]) ?? 0}`;
    if (field === 'delta') this.blocks.sendReasoning(state, key, text);
    else this.blocks.fillReasoning(state, key, text);
  }

  args(payload: JsonObject, done: boolean): void {
    const outputIndex = numberOr(payload.output_index);
    if (outputIndex === undefined) return;
    const state = this.blocks.itemAt(outputIndex, 'function_call');
    if (!state) return;
    if (done) this.blocks.fillArgs(state, stringOr(payload.arguments) ?? '');
    else this.blocks.sendArgs(state, stringOr(payload.delta) ?? '');
  }

  /** completed / incomplete: items the stream left unfinished are finished from the response's output, then usage and finish. */
  complete(response: unknown, stopReason: (seen: ItemBlocks['seen']) => IrStopReason): void {
    const known = isRecord(response) ? response : {};
    if (Array.isArray(known.output)) known.output.forEach((item: unknown, index) => this.itemDone(index, item, true));
    this.blocks.settleAll();
    if (isRecord(known.usage)) this.push({ type: 'usage', usage: irUsage(known.usage) });
    this.push({ type: 'finish', stopReason: stopReason(this.blocks.seen) });
    this.finished = true;
  }

  fail(error: ProxyError): void {
    this.blocks.abandon();
    this.push({ type: 'error', error });
    this.finished = true;
  }

  private contentPart(outputIndex: number, contentIndex: number, part: JsonObject): void {
    const state = this.blocks.itemAt(outputIndex, 'message');
    if (!state) return;
    if (part.type === 'refusal') this.blocks.seen.refusal = true;
    const text = part.type === 'refusal' ? stringOr(part.refusal) : stringOr(part.text);
    if (text !== undefined) this.blocks.fillText(state, `c${contentIndex}`, text);
  }

  /** A call opens once its call_id is known (a call without one is named after its item). */
  private openCall(state: ItemState, item: JsonObject, outputIndex: number): void {
    const callId = stringOr(item.call_id) || stringOr(item.id) || `call_${outputIndex}`;
    this.blocks.openCall(state, callId, stringOr(item.name) ?? '');
  }

  private push(event: IrStreamEvent): void {
    if (!this.started && event.type !== 'start') this.begin(undefined);
    this.out.push(event);
  }
}
