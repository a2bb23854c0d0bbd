import type { ServerResponse } from 'node:http';
import { errors as undiciErrors } from 'undici';
import type { StreamTracker } from '../dialects/stream-tracker.js';
import { ProxyError } from '../errors/proxy-error.js';
import { FrameSplitter } from '../sse/frame-splitter.js';
import { parseFrame } from '../sse/parse-frame.js';
import { frameText, type StreamRepairer } from '../repairs/pipeline.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export interface StreamOutcome {
  frames: number;
  /** Set when the stream was ended by the proxy with the dialect's error tail. */
  failure?: ProxyError;
  clientGone: boolean;
}

/**
 * Forwards an upstream SSE body to the client frame by frame, with
 * backpressure: bytes unchanged when no stream repair is active, otherwise
 * each frame repaired and re-serialised. Every frame is shown to the tracker;
 * if the upstream breaks, stalls or ends before the dialect's terminal event,
 * the client gets the dialect's error event and terminal event instead of a
 * silent cut.
 */
export async function pipeSse(
  source: AsyncIterable<Uint8Array>,
  out: ServerResponse,
  tracker: StreamTracker,
  repairer?: StreamRepairer,
): Promise<StreamOutcome> {
  const splitter = new FrameSplitter();
  const outcome: StreamOutcome = { frames: 0, clientGone: false };
  if (!out.headersSent) out.writeHead(200, SSE_HEADERS);
  try {
    for await (const chunk of source) {
      const frames = splitter.push(chunk);
      if (frames.length === 0) continue;
      outcome.frames += frames.length;
      const text = repairer ? repaired(frames.flatMap((frame) => repairer.frame(parseFrame(frame))), tracker) : observed(frames, tracker);
      if (text && !out.write(text)) await drained(out);
      if (out.destroyed) return { ...outcome, clientGone: true };
    }
    if (repairer) {
      const tail = repaired(repairer.end(), tracker);
      if (tail) out.write(tail);
    }
    if (!tracker.finished) {
      outcome.failure = new ProxyError(
        'upstream',
        splitter.remainder.trim() ? 'The upstream stream was cut in the middle of an event' : 'The upstream stream ended before its final event',
      );
    }
  } catch (error) {
    if (out.destroyed) return { ...outcome, clientGone: true };
    outcome.failure = streamFailure(error);
  }
  if (outcome.failure && !out.destroyed) out.write(tracker.failureTail(outcome.failure));
  out.end();
  return outcome;
}

function observed(frames: string[], tracker: StreamTracker): string {
  for (const frame of frames) tracker.observe(parseFrame(frame));
  return frames.join('');
}

function repaired(frames: ReturnType<StreamRepairer['frame']>, tracker: StreamTracker): string {
  let text = '';
  for (const frame of frames) {
    tracker.observe(frame);
    text += frameText(frame);
  }
  return text;
}

export function drained(out: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

export function streamFailure(error: unknown): ProxyError {
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new ProxyError('timeout', 'The upstream stream stalled: no event within the idle timeout', { cause: error });
  }
  return new ProxyError('upstream', `The upstream stream broke: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
