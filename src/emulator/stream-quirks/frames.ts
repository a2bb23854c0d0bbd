import { createHash } from 'node:crypto';

/**
 * The emulator's own SSE frames (`event: x\ndata: {…}\n\n` or `data: …\n\n`),
 * parsed so a quirk can reshape a rendered stream. Independent of the proxy's
 * SSE code on purpose (see ../types.ts).
 */
export interface QuirkEvent {
  event: string | undefined;
  data: string;
  /** The data as an object, when it is one (`[DONE]` is not). Quirks edit this. */
  json: Record<string, unknown> | undefined;
}

/** A stream quirk: the rendered events in, the misbehaving events out. */
export type StreamQuirk = (events: QuirkEvent[]) => QuirkEvent[];

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseFrames(frames: readonly string[]): QuirkEvent[] {
  return frames.map((frame) => {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice('event: '.length);
      else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
    }
    const text = data.join('\n');
    let json: Record<string, unknown> | undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (isObject(value)) json = value;
    } catch {
      json = undefined;
    }
    return { event, data: text, json };
  });
}

export function formatEvents(events: readonly QuirkEvent[]): string[] {
  return events.map(({ event, data, json }) => {
    const body = json ? JSON.stringify(json) : data;
    return event === undefined ? `data: ${body}\n\n` : `event: ${event}\ndata: ${body}\n\n`;
  });
}

/** An event whose `event:` line repeats its JSON `type` (Anthropic and Responses frames). */
export function typedEvent(json: Record<string, unknown> & { type: string }): QuirkEvent {
  return { event: json.type, data: JSON.stringify(json), json };
}

/** Applies the quirks of a table that are switched on, in table order; untouched frames when none is. */
export function applyStreamQuirks(
  frames: string[],
  quirks: ReadonlySet<string>,
  table: readonly (readonly [string, StreamQuirk])[],
  finish: (events: QuirkEvent[]) => QuirkEvent[] = (events) => events,
): string[] {
  const active = table.filter(([id]) => quirks.has(id));
  if (active.length === 0) return frames;
  const events = active.reduce((current, [, quirk]) => quirk(current), parseFrames(frames));
  return formatEvents(finish(events));
}

/** Deterministic hex of any length from a seed, for ids shaped like Databricks' long ones. */
export function hexOf(seed: string, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round++) out += createHash('sha256').update(`${seed}:${round}`).digest('hex');
  return out.slice(0, length);
}
