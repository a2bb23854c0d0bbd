/**
 * What the OpenAI SDK silently accepts in a Responses stream but clients do
 * not (wire-formats §6.5, clients.md §7), asserted on the SSE text itself.
 */
import { expect } from 'vitest';
import { type SseEvent, sseEvents } from './helpers.js';

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

type Json = Record<string, unknown>;

export function expectStrictResponsesStream(sse: string): SseEvent[] {
  const events = sseEvents(sse);
  // Every frame names its event, the same as its data's type; numbering goes 0, 1, 2, …
  events.forEach(({ event, data }, i) => {
    expect(event).toBe(data.type);
    expect(data.sequence_number).toBe(i);
  });
  expect(events[0]?.data.type).toBe('response.created');
  expect(events[1]?.data.type).toBe('response.in_progress');
  const terminals = events.filter(({ data }) => TERMINAL.has(data.type as string));
  expect(terminals).toHaveLength(1);
  expect(events.at(-1)).toBe(terminals[0]);

  const responseIds = new Set(events.filter(({ data }) => isRecord(data.response)).map(({ data }) => (data.response as Json).id));
  expect(responseIds.size).toBe(1);

  const added = new Map<number, Json>();
  const done = new Map<number, Json>();
  const texts = new Map<string, string>();
  for (const { data } of events) {
    const type = data.type as string;
    const outputIndex = data.output_index as number;
    if (type === 'response.output_item.added') {
      expect(added.has(outputIndex)).toBe(false);
      expect(outputIndex).toBe(added.size);
      added.set(outputIndex, data.item as Json);
      continue;
    }
    if (type === 'response.output_item.done') {
      expect(added.has(outputIndex)).toBe(true);
      expect(done.has(outputIndex)).toBe(false);
      const item = data.item as Json;
      const announced = added.get(outputIndex) as Json;
      expect(item.id).toBe(announced.id);
      expect(item.type).toBe(announced.type);
      if (item.type === 'function_call') expect(item.call_id).toBe(announced.call_id);
      done.set(outputIndex, item);
      continue;
    }
    if (typeof data.item_id === 'string') {
      // Item events come after their item is added and before it is done, with its id.
      expect(added.get(outputIndex)?.id).toBe(data.item_id);
      expect(done.has(outputIndex)).toBe(false);
      const key = `${outputIndex}/${String(data.content_index ?? data.summary_index ?? '')}/${type.replace(/\.(delta|done)$/, '')}`;
      if (type.endsWith('.delta')) texts.set(key, (texts.get(key) ?? '') + (data.delta as string));
      if (type.endsWith('.done') && type !== 'response.reasoning_summary_part.done' && type !== 'response.content_part.done') {
        const full = (data.text ?? data.arguments ?? data.refusal) as string;
        expect(full).toBe(texts.get(key) ?? '');
      }
    }
  }

  const terminal = terminals[0]?.data as Json;
  const response = terminal.response as Json;
  if (terminal.type !== 'response.failed') {
    // Every added item is done, and the terminal output is exactly the finished items.
    expect([...done.keys()]).toEqual([...added.keys()]);
    expect(response.output).toEqual([...done.values()]);
    expect(isRecord(response.usage)).toBe(true);
  }
  const ids = [...added.values()].map((item) => item.id as string);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
  return events;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
