/** Feeding recorded SSE bytes to a codec's stream decoder, the way the proxy does, cut wherever a test likes. */
import type { IrStreamDecoder, IrStreamEncoder, IrStreamEvent } from '../../src/ir/stream.js';
import { FrameSplitter } from '../../src/sse/frame-splitter.js';
import { parseFrame } from '../../src/sse/parse-frame.js';

/** Feeds SSE bytes, cut at the given byte offsets, through FrameSplitter + parseFrame into the decoder, then ends it. */
export function decodeSseBytes(decoder: IrStreamDecoder, bytes: Uint8Array, cuts: readonly number[] = []): IrStreamEvent[] {
  const splitter = new FrameSplitter();
  const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  const events: IrStreamEvent[] = [];
  for (let i = 1; i < points.length; i++) {
    for (const raw of splitter.push(bytes.subarray(points[i - 1], points[i]))) {
      const frame = parseFrame(raw);
      if (frame.data !== undefined) events.push(...decoder.frame(frame.event, frame.data));
    }
  }
  events.push(...decoder.end());
  return events;
}

/** The client-facing text an encoder writes for a whole IR stream. */
export function encodeAll(encoder: IrStreamEncoder, events: readonly IrStreamEvent[]): string {
  return events.map((event) => encoder.encode(event)).join('');
}
