/**
 * IR stream → a client's Responses stream. The strictest of the dialects
 * (wire-formats §6.3, clients.md §7), so the encoder guarantees, whatever it
 * is given: `response.created` then `response.in_progress` first;
 * `sequence_number` from 0, +1 per event; one output item per IR block (two
 * text blocks in a row are two message items), each event carrying its
 * item's id and `output_index`; nothing after the terminal event, which is
 * exactly one of completed / incomplete / failed with the full `output` and
 * `usage`. On an IR error nothing more is closed: the nested `error` event,
 * then `response.failed` with the output finished so far.
 */
import type { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrRequest } from '../../ir/request.js';
import { EMPTY_USAGE, type IrUsage } from '../../ir/response.js';
import type { IrBlockStart, IrStreamEncoder, IrStreamEvent } from '../../ir/stream.js';
import { formatFrame } from '../../sse/parse-frame.js';
import { openAiErrorObject } from '../openai-error.js';
import { clientResponseId, itemStem } from './ids.js';
import { RESPONSE_ENDING, type ResponseEnding } from './maps.js';
import { modelStopError, nowInSeconds, type ResponseIdentity, responseObject, type ResponseState } from './response-object.js';
import { addedEvents, closeEvents, deltaEvents, type OpenItem, openItem } from './stream-items.js';
import type { ResponseOutputItem, Unsequenced, WireLifecycleEvent, WireStreamEvent } from './wire.js';

/** The terminal event of each way a Response can end. */
const TERMINAL_EVENT: Record<ResponseEnding['status'], WireLifecycleEvent['type']> = {
  completed: 'response.completed',
  incomplete: 'response.incomplete',
  failed: 'response.failed',
};

export function createResponsesStreamEncoder(request: IrRequest, context: CodecContext): IrStreamEncoder {
  return new ResponsesStreamEncoder(request, context);
}

class ResponsesStreamEncoder implements IrStreamEncoder {
  private sequence = 0;
  private identity: ResponseIdentity | undefined;
  private stem = '';
  /** Items still open, by IR block index. */
  private readonly open = new Map<number, OpenItem>();
  /** Finished items, by output index. */
  private readonly output: ResponseOutputItem[] = [];
  private nextOutputIndex = 0;
  private usage: IrUsage | undefined;
  private finished = false;
  private frames = '';

  constructor(
    private readonly request: IrRequest,
    private readonly context: CodecContext,
  ) {}

  encode(event: IrStreamEvent): string {
    if (this.finished) return '';
    this.frames = '';
    this.start(event.type === 'start' ? event : undefined);
    switch (event.type) {
      case 'start':
        break;
      case 'block_start':
        this.openBlock(event.index, event.block);
        break;
      case 'delta': {
        const item = this.open.get(event.index);
        if (item) this.emitAll(deltaEvents(item, event.delta));
        break;
      }
      case 'block_stop':
        this.closeBlock(event.index);
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'finish':
        this.finish(RESPONSE_ENDING[event.stopReason]);
        break;
      case 'error':
        this.fail(event.error);
        break;
    }
    return this.frames;
  }

  /** Opens the response once; an encoder given no `start` still opens it, with an id of its own. */
  private start(event: Extract<IrStreamEvent, { type: 'start' }> | undefined): void {
    if (this.identity) return;
    const id = clientResponseId(event?.id ?? '');
    this.identity = { id, createdAt: nowInSeconds(), model: this.context.clientModel };
    this.stem = itemStem(id);
    this.usage = event?.usage;
    this.emitLifecycle('response.created', { status: 'in_progress', output: [] });
    this.emitLifecycle('response.in_progress', { status: 'in_progress', output: [] });
  }

  private openBlock(index: number, block: IrBlockStart): void {
    if (this.open.has(index)) return;
    const item = openItem(block, this.stem, this.nextOutputIndex);
    if (!item) return;
    this.nextOutputIndex += 1;
    this.open.set(index, item);
    this.emitAll(addedEvents(item));
  }

  private closeBlock(index: number): void {
    const item = this.open.get(index);
    if (!item) return;
    this.open.delete(index);
    const { events, done } = closeEvents(item);
    this.output[item.outputIndex] = done;
    this.emitAll(events);
  }

  private finish(ending: ResponseEnding): void {
    for (const index of [...this.open.keys()].sort((a, b) => a - b)) this.closeBlock(index);
    this.emitLifecycle(TERMINAL_EVENT[ending.status], {
      status: ending.status,
      output: this.finishedOutput(),
      usage: this.usage ?? EMPTY_USAGE,
      ...(ending.incompleteReason ? { incompleteReason: ending.incompleteReason } : {}),
      ...(ending.status === 'failed' ? { error: modelStopError() } : {}),
    });
    this.finished = true;
  }

  private fail(error: ProxyError): void {
    this.emit({ type: 'error', error: openAiErrorObject(error) });
    this.emitLifecycle('response.failed', { status: 'failed', output: this.finishedOutput(), error, usage: this.usage ?? EMPTY_USAGE });
    this.finished = true;
  }

  private finishedOutput(): ResponseOutputItem[] {
    return this.output.filter((item): item is ResponseOutputItem => item !== undefined);
  }

  private emitLifecycle(type: WireLifecycleEvent['type'], state: ResponseState): void {
    if (!this.identity) return;
    this.emit({ type, response: responseObject(this.identity, this.request, state) });
  }

  private emitAll(events: readonly Unsequenced<WireStreamEvent>[]): void {
    for (const event of events) this.emit(event);
  }

  private emit(event: Unsequenced<WireStreamEvent>): void {
    const sequenced = { ...event, sequence_number: this.sequence++ };
    this.frames += formatFrame(JSON.stringify(sequenced), event.type);
  }
}
