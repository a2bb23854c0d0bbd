import { markEdited, type WireEvent } from '../types.js';
import { isRecord, type JsonObject } from '../../dialects/common/json.js';

/** A function-call output item. */
export function isFunctionCall(item: unknown): item is JsonObject {
  return isRecord(item) && item.type === 'function_call';
}

/** A Responses event made by a repair: the `event:` line repeats the JSON's `type`, as the real API's do. */
export function responsesEvent(json: JsonObject & { type: string }): WireEvent {
  return { event: json.type, data: JSON.stringify(json), json, edited: true };
}

/**
 * Keeps `sequence_number` going 0, +1, +1… (clients.md §7) on the events a
 * stage passes after it added or dropped some. It numbers from the first
 * number it sees, so a stream that needed no change keeps its numbers, and
 * its bytes.
 */
export class SequenceNumbers {
  private next: number | undefined;

  stamp(events: WireEvent[]): WireEvent[] {
    for (const event of events) {
      const json = event.json;
      if (!json || typeof json.sequence_number !== 'number') continue;
      this.next ??= json.sequence_number;
      if (json.sequence_number !== this.next) {
        json.sequence_number = this.next;
        markEdited(event);
      }
      this.next += 1;
    }
    return events;
  }

  /** The number the next event gets (for an event made before any other was seen: 0). */
  peek(): number {
    return this.next ?? 0;
  }
}
