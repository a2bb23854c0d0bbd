import { applyStreamQuirks, hexOf, isObject, type QuirkEvent, type StreamQuirk } from './frames.js';

/**
 * Quirks of Anthropic Messages streams as relays deliver them (wire-formats.md
 * §7 "Duplicate or spliced message_start", with the recorded
 * `duplicate-message-start` and `spliced-message-start` streams of vercel/ai;
 * clients.md §7 for a missing `message_stop`).
 */

const typeOf = (event: QuirkEvent): unknown => event.json?.type;

/** The same `message_start` twice in a row (recorded `duplicate-message-start`). */
const duplicateMessageStart: StreamQuirk = (events) =>
  events.flatMap((event) => (typeOf(event) === 'message_start' ? [event, { ...event, json: structuredClone(event.json) }] : [event]));

/**
 * A first attempt cut in the middle of its last content block, then the
 * whole answer again under another message id (recorded
 * `spliced-message-start`: the first attempt's tool_use block stops after
 * half its arguments). The first attempt's id here is the emulator's own.
 */
const splicedMessageStart: StreamQuirk = (events) => {
  const lastStart = events.findLastIndex((event) => typeOf(event) === 'content_block_start');
  const startIndex = events.findIndex((event) => typeOf(event) === 'message_start');
  let cut = startIndex + 1;
  if (lastStart !== -1) {
    const stop = events.findIndex((event, i) => i > lastStart && typeOf(event) === 'content_block_stop');
    const deltas = (stop === -1 ? events.length : stop) - lastStart - 1;
    cut = lastStart + 1 + Math.max(1, Math.floor(deltas / 2));
  }
  const first = events.slice(0, cut).map((event) => ({ ...event, json: structuredClone(event.json) }));
  const message = first[startIndex]?.json?.message;
  if (isObject(message)) message.id = `msg_${hexOf(String(message.id), 24)}`;
  return [...first, ...events];
};

/** The stream ends after `message_delta` (stop_reason set) without `message_stop` (clients.md §7). */
const noMessageStop: StreamQuirk = (events) => events.filter((event) => typeOf(event) !== 'message_stop');

const ANTHROPIC_STREAM_QUIRKS: readonly (readonly [string, StreamQuirk])[] = [
  ['anthropic-duplicate-message-start', duplicateMessageStart],
  ['anthropic-spliced-message-start', splicedMessageStart],
  ['anthropic-no-message-stop', noMessageStop],
];

export function applyAnthropicStreamQuirks(frames: string[], quirks: ReadonlySet<string>): string[] {
  return applyStreamQuirks(frames, quirks, ANTHROPIC_STREAM_QUIRKS);
}
