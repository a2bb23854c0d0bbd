/**
 * tool-call-lifecycle: every function call reaches the client as the full
 * Responses sequence, once.
 *
 * Fixes: on Responses streams, a function call whose argument deltas come
 * without `output_item.added` (the openai SDK throws `missing output at index
 * N`); a call whose arguments come only whole, in
 * `function_call_arguments.done` or only as `output_item.done` (adapters that
 * forward deltas send `{}` as the input); and a call re-emitted with the same
 * call id (the SDK throws `duplicate output item identity`, agents run the
 * tool twice). Calls that arrive without `.added` are held until their
 * `output_item.done` names them, then sent as added → deltas → arguments.done
 * → done; argument text never sent as a delta goes out as one delta before
 * `.done`; a re-emitted call is dropped with everything at its output_index.
 * Source: reference databricks.md §8 (`@databricks/ai-sdk-provider` 0.5.1:
 * no tool-input events, a bare tool call from `output_item.done`, calls
 * re-emitted at flush; the seed PR's middleware synthesises tool-input-start
 * and dedupes by toolCallId); wire-formats.md §7 "Arguments only on .done"
 * (litellm #25321).
 * Applies: routes whose upstream speaks Responses, both surfaces.
 * Emulator: `responses-function-call-no-added`,
 * `responses-function-call-arguments-at-done`,
 * `responses-function-call-done-only`, `responses-function-call-repeated`.
 */
import { markEdited, type Repair, type RepairContext, type StreamRepair, type WireEvent } from '../types.js';
import { isRecord, numberOr, stringOr, type JsonObject } from '../../dialects/common/json.js';
import { isFunctionCall, responsesEvent, SequenceNumbers } from './responses-events.js';
import { lifecycleBroken, provokeCall } from './tool-call-probe.js';

interface CallState {
  /** `output_item.added` has gone to the client. */
  announced: boolean;
  /** The argument text the client has received as deltas. */
  sent: string;
  argumentsDone: boolean;
  /** A re-emission of a call already made: everything at its output_index is dropped. */
  dropped: boolean;
  /** Argument events that came before `.added`, held until `output_item.done` names the call. */
  held: WireEvent[];
}

class ToolCallLifecycle implements StreamRepair {
  private readonly calls = new Map<number, CallState>();
  /** The output_index where each call id first appeared. */
  private readonly callIndex = new Map<string, number>();
  private readonly sequence = new SequenceNumbers();

  /** One handler per event type this repair acts on; every other event passes (unless its call was dropped). */
  private readonly handlers: Record<string, (event: WireEvent, json: JsonObject, index: number) => WireEvent[]> = {
    'response.output_item.added': (event, json, index) => this.added(event, json, index),
    'response.function_call_arguments.delta': (event, json, index) => this.argumentsDelta(event, json, index),
    'response.function_call_arguments.done': (event, json, index) => this.argumentsDone(event, json, index),
    'response.output_item.done': (event, json, index) => this.itemDone(event, json, index),
  };

  constructor(private readonly context: RepairContext) {}

  event(event: WireEvent): WireEvent[] {
    const json = event.json;
    if (!json) return [event];
    if ((json.type === 'response.completed' || json.type === 'response.incomplete') && this.dedupeFinalOutput(json)) markEdited(event);
    const index = numberOr(json.output_index);
    if (index === undefined) return this.sequence.stamp([event]);
    const handler = typeof json.type === 'string' ? this.handlers[json.type] : undefined;
    if (handler) return this.sequence.stamp(handler(event, json, index));
    return this.sequence.stamp(this.calls.get(index)?.dropped ? [] : [event]);
  }

  end(): WireEvent[] {
    const unnamed = [...this.calls.values()].filter((call) => call.held.length > 0).length;
    if (unnamed > 0) this.context.warn('function call arguments arrived without the call they belong to; dropped', { calls: unnamed });
    return [];
  }

  private state(index: number): CallState {
    let call = this.calls.get(index);
    if (!call) {
      call = { announced: false, sent: '', argumentsDone: false, dropped: false, held: [] };
      this.calls.set(index, call);
    }
    return call;
  }

  /** A call id seen before at another index marks a re-emission. */
  private isRepeat(item: JsonObject, index: number): boolean {
    const callId = stringOr(item.call_id);
    if (!callId) return false;
    const first = this.callIndex.get(callId);
    if (first === undefined) this.callIndex.set(callId, index);
    return first !== undefined && first !== index;
  }

  private added(event: WireEvent, json: JsonObject, index: number): WireEvent[] {
    if (!isFunctionCall(json.item)) return [event];
    const call = this.state(index);
    if (call.dropped || this.isRepeat(json.item, index)) {
      call.dropped = true;
      return [];
    }
    call.announced = true;
    return [event];
  }

  /**
   * The call an argument event belongs to, once `.added` has announced it;
   * undefined when the event is dropped (a re-emitted call) or held until the
   * call is named.
   */
  private announcedCall(event: WireEvent, index: number): CallState | undefined {
    const call = this.state(index);
    if (call.dropped) return undefined;
    if (call.announced) return call;
    call.held.push(event);
    return undefined;
  }

  private argumentsDelta(event: WireEvent, json: JsonObject, index: number): WireEvent[] {
    const call = this.announcedCall(event, index);
    if (!call) return [];
    call.sent += stringOr(json.delta) ?? '';
    return [event];
  }

  private argumentsDone(event: WireEvent, json: JsonObject, index: number): WireEvent[] {
    const call = this.announcedCall(event, index);
    if (!call) return [];
    call.argumentsDone = true;
    return [...this.catchUp(call, stringOr(json.item_id), index, stringOr(json.arguments) ?? ''), event];
  }

  private itemDone(event: WireEvent, json: JsonObject, index: number): WireEvent[] {
    const item = json.item;
    if (!isFunctionCall(item)) return [event];
    const call = this.state(index);
    if (call.dropped || (!call.announced && this.isRepeat(item, index))) {
      call.dropped = true;
      return [];
    }
    const out: WireEvent[] = [];
    if (!call.announced) {
      out.push(
        responsesEvent({
          type: 'response.output_item.added',
          sequence_number: 0,
          output_index: index,
          item: { ...item, status: 'in_progress', arguments: '' },
        }),
      );
      call.announced = true;
      for (const held of call.held.splice(0)) {
        if (held.json) out.push(...this.handlers[String(held.json.type)]!(held, held.json, index));
      }
    }
    if (!call.argumentsDone) {
      const args = stringOr(item.arguments) ?? '';
      const itemId = stringOr(item.id);
      out.push(...this.catchUp(call, itemId, index, args));
      out.push(
        responsesEvent({
          type: 'response.function_call_arguments.done',
          sequence_number: 0,
          ...(itemId === undefined ? {} : { item_id: itemId }),
          output_index: index,
          name: item.name,
          arguments: args,
        }),
      );
      call.argumentsDone = true;
    }
    out.push(event);
    return out;
  }

  /**
   * The part of the final arguments the client has not had as deltas, as one
   * delta (wire-formats §7). When the deltas disagree with the final text
   * nothing is added: `.done` carries the arguments that count.
   */
  private catchUp(call: CallState, itemId: string | undefined, index: number, args: string): WireEvent[] {
    if (!args.startsWith(call.sent) || args.length === call.sent.length) return [];
    const delta = args.slice(call.sent.length);
    call.sent = args;
    return [
      responsesEvent({
        type: 'response.function_call_arguments.delta',
        sequence_number: 0,
        ...(itemId === undefined ? {} : { item_id: itemId }),
        output_index: index,
        delta,
      }),
    ];
  }

  /** The final `output` lists each call once, like the stream now does. */
  private dedupeFinalOutput(json: JsonObject): boolean {
    const response = json.response;
    if (!isRecord(response) || !Array.isArray(response.output)) return false;
    const seen = new Set<string>();
    const output = response.output.filter((item: unknown) => {
      const callId = isFunctionCall(item) ? stringOr(item.call_id) : undefined;
      if (callId === undefined) return true;
      if (seen.has(callId)) return false;
      seen.add(callId);
      return true;
    });
    if (output.length === response.output.length) return false;
    response.output = output;
    return true;
  }
}

export const toolCallLifecycleRepair: Repair = {
  id: 'tool-call-lifecycle',
  summary: 'Function calls always stream as added → argument deltas → arguments.done → done, and a re-emitted call is dropped',
  source: 'reference databricks.md §8 (@databricks/ai-sdk-provider 0.5.1 gaps, seed PR middleware); wire-formats.md §7 (litellm #25321)',
  quirk: 'responses-function-call-no-added',
  appliesTo: { upstream: ['openai-responses'] },
  stream: (context) => new ToolCallLifecycle(context),
  probe: { stream: true, provoke: provokeCall, shows: ({ events }) => lifecycleBroken(events) },
};
