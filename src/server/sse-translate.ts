import type { ServerResponse } from 'node:http';
import { ProxyError } from '../errors/proxy-error.js';
import type { IrStreamDecoder, IrStreamEncoder, IrStreamEvent } from '../ir/stream.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameSplitter } from '../sse/frame-splitter.js';
import type { StreamRepairer } from '../repairs/pipeline.js';
import { checkFrames } from './frame-check.js';
import { drained, scrubErrors, sent, SSE_HEADERS, streamFailure, writeBatches, type StreamOutcome, type TextScrubber } from './sse-response.js';
import { irSeenUsage } from './stream-usage.js';

/**
 * Translates an upstream SSE body into the client's dialect event by event:
 * upstream frames → IR events (decoder) → client frames (encoder). Nothing is
 * buffered beyond one network chunk; the decoder and encoder together
 * guarantee the client dialect's terminal event, on failure too.
 */
export async function translateSse(
  source: AsyncIterable<Uint8Array>,
  out: ServerResponse,
  decoder: IrStreamDecoder,
  encoder: IrStreamEncoder,
  repairer?: StreamRepairer,
  scrub?: TextScrubber,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
): Promise<StreamOutcome> {
  const splitter = new FrameSplitter(maxFrameBytes);
  const outcome: StreamOutcome = { frames: 0, clientGone: false };
  if (!out.headersSent) out.writeHead(200, SSE_HEADERS);
  // Client text waiting for the socket: one write per network chunk, not per
  // event. A write per tiny event (thousands per answer) cost more than the
  // translation itself (BENCHMARKS.md, optimisation log).
  let pending = '';
  const queue = (events: IrStreamEvent[]): void => {
    for (const event of events) {
      if (event.type === 'error') outcome.failure = event.error;
      const usage = event.type === 'usage' || event.type === 'start' ? event.usage : undefined;
      if (usage) outcome.usage = irSeenUsage(usage);
      pending += encoder.encode(event);
    }
  };
  let written = false;
  const flush = async (): Promise<void> => {
    const text = scrubErrors(pending, scrub);
    pending = '';
    if (text && !out.write(text)) await drained(out);
    else if (text && !written) await sent();
    written ||= text !== '';
  };
  try {
    for await (const chunk of source) {
      // The first frame apart until something reached the client (writeBatches).
      for (const texts of writeBatches(splitter.push(chunk), written)) {
        const checked = checkFrames(texts);
        for (const { frame: parsed, json } of checked.frames) {
          outcome.frames += 1;
          for (const frame of repairer ? repairer.frame(parsed, json) : [{ ...parsed, json }]) {
            if (frame.data !== undefined) queue(decoder.frame(frame.event, frame.data, frame.json));
          }
        }
        await flush();
        if (out.destroyed) return { ...outcome, clientGone: true };
        if (checked.failure) throw checked.failure;
      }
    }
    for (const frame of repairer?.end() ?? []) {
      if (frame.data !== undefined) queue(decoder.frame(frame.event, frame.data, frame.json));
    }
    queue(decoder.end());
    await flush();
  } catch (error) {
    if (out.destroyed) return { ...outcome, clientGone: true };
    const failure = error instanceof ProxyError ? error : streamFailure(error);
    // What the chunk produced before the failure still goes first, as it did event by event.
    queue([{ type: 'error', error: failure }]);
    await flush();
  }
  out.end();
  return outcome;
}
