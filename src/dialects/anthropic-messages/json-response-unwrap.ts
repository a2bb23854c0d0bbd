/**
 * The way back of structured output on Claude (json-response-tool.ts): the
 * model's call to the JSON tool becomes the answer's text (its arguments, a
 * JSON string), so the client sees an ordinary JSON text answer with a normal
 * stop reason, in whole answers and streams alike.
 *
 * - Only calls to the JSON tool are touched; calls to the client's own tools
 *   pass as they are (a model that called one was not answering yet).
 * - A second JSON call in one answer is dropped: two JSON texts side by side
 *   would not parse. (The tool is forced with parallel use disabled; a second
 *   call can only come when it was offered alongside client tools.)
 * - `tool_use` becomes `end_turn` when no client tool call is left.
 */
import type { IrRequest } from '../../ir/request.js';
import type { IrOutputPart, IrResponse } from '../../ir/response.js';
import type { IrStreamDecoder, IrStreamEvent } from '../../ir/stream.js';
import { JSON_RESPONSE_TOOL } from './json-response-tool.js';

/** Whether the encoder added the JSON tool to this request. */
export function wantsJsonResponse(request: IrRequest | undefined): boolean {
  return request?.responseFormat !== undefined;
}

export function unwrapJsonResponse(response: IrResponse): IrResponse {
  let unwrapped = false;
  const content = response.content.flatMap((part): IrOutputPart[] => {
    if (part.type !== 'tool_call' || part.name !== JSON_RESPONSE_TOOL) return [part];
    if (unwrapped) return [];
    unwrapped = true;
    return [{ type: 'text', text: part.arguments }];
  });
  if (!unwrapped) return response;
  const callsLeft = content.some((part) => part.type === 'tool_call');
  return { ...response, content, stopReason: response.stopReason === 'tool_use' && !callsLeft ? 'end_turn' : response.stopReason };
}

/**
 * Wraps a Messages stream decoder: the JSON tool's block starts as a text
 * block and its argument fragments become text deltas. Dropped blocks leave
 * no gap: indexes are renumbered so they still count from 0 in order.
 */
export class JsonResponseStreamDecoder implements IrStreamDecoder {
  /** Upstream IR index → the index the client sees, or null for a dropped block. */
  private readonly indexes = new Map<number, number | null>();
  /** Upstream indexes of the unwrapped JSON block, with whether any argument text came yet. */
  private readonly jsonBlocks = new Map<number, { wrote: boolean }>();
  private nextIndex = 0;
  private unwrapped = false;
  private clientCalls = false;

  constructor(private readonly inner: IrStreamDecoder) {}

  frame(event: string | undefined, data: string): IrStreamEvent[] {
    return this.inner.frame(event, data).flatMap((ir) => this.map(ir));
  }

  end(): IrStreamEvent[] {
    return this.inner.end().flatMap((ir) => this.map(ir));
  }

  private map(event: IrStreamEvent): IrStreamEvent[] {
    switch (event.type) {
      case 'block_start':
        return this.blockStart(event.index, event.block);
      case 'delta': {
        const index = this.indexes.get(event.index);
        if (index === null || index === undefined) return [];
        const json = this.jsonBlocks.get(event.index);
        if (!json) return [{ ...event, index }];
        if (event.delta.type !== 'tool_args') return [];
        json.wrote = true;
        return [{ type: 'delta', index, delta: { type: 'text', text: event.delta.json } }];
      }
      case 'block_stop': {
        const index = this.indexes.get(event.index);
        if (index === null || index === undefined) return [];
        // A call without arguments streams no fragment; its whole-answer form is `{}`, and so is the text here.
        const empty = this.jsonBlocks.get(event.index)?.wrote === false;
        const text: IrStreamEvent[] = empty ? [{ type: 'delta', index, delta: { type: 'text', text: '{}' } }] : [];
        return [...text, { type: 'block_stop', index }];
      }
      case 'finish':
        return [event.stopReason === 'tool_use' && this.unwrapped && !this.clientCalls ? { ...event, stopReason: 'end_turn' } : event];
      default:
        return [event];
    }
  }

  private blockStart(upstream: number, block: Extract<IrStreamEvent, { type: 'block_start' }>['block']): IrStreamEvent[] {
    const isJson = block.type === 'tool_call' && block.name === JSON_RESPONSE_TOOL;
    if (isJson && this.unwrapped) {
      this.indexes.set(upstream, null);
      return [];
    }
    const index = this.nextIndex++;
    this.indexes.set(upstream, index);
    if (!isJson) {
      if (block.type === 'tool_call') this.clientCalls = true;
      return [{ type: 'block_start', index, block }];
    }
    this.unwrapped = true;
    this.jsonBlocks.set(upstream, { wrote: false });
    return [{ type: 'block_start', index, block: { type: 'text' } }];
  }
}
