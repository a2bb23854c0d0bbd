import type { ServerResponse } from 'node:http';
import { ProxyError } from '../errors/proxy-error.js';
import { responseEvents } from '../ir/response-events.js';
import type { IrResponse } from '../ir/response.js';
import type { IrStreamEncoder, IrStreamEvent } from '../ir/stream.js';
import { drained, SSE_HEADERS, streamFailure, type StreamOutcome } from './sse-response.js';
import { irSeenUsage } from './stream-usage.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../sse/frame-splitter.js';
import { readBounded } from '../upstream/bounded-body.js';

/**
 * Streams a whole upstream answer to a client that asked for a stream: a
 * repair had to ask the upstream for a whole answer instead (Databricks chat
 * cannot stream structured output). The answer is read, decoded to the IR,
 * and written as one burst of the client's stream events through its
 * encoder, which ends with the dialect's terminal event, or its error event
 * when the answer cannot be read.
 */
export async function streamWholeAnswer(
  source: AsyncIterable<Uint8Array>,
  out: ServerResponse,
  decode: (text: string) => IrResponse,
  encoder: IrStreamEncoder,
  maxBytes = DEFAULT_MAX_FRAME_BYTES,
): Promise<StreamOutcome> {
  // One whole JSON answer stands in for the upstream's frames.
  const outcome: StreamOutcome = { frames: 1, clientGone: false };
  let events: IrStreamEvent[];
  try {
    const response = decode(await readBounded(source, maxBytes));
    outcome.usage = irSeenUsage(response.usage);
    events = responseEvents(response);
  } catch (error) {
    if (out.destroyed) return { ...outcome, clientGone: true };
    outcome.failure = error instanceof ProxyError ? error : streamFailure(error);
    events = [{ type: 'error', error: outcome.failure }];
  }
  if (out.destroyed) return { ...outcome, clientGone: true };
  if (!out.headersSent) out.writeHead(200, SSE_HEADERS);
  const text = events.map((event) => encoder.encode(event)).join('');
  if (!out.write(text)) await drained(out);
  out.end();
  return outcome;
}
