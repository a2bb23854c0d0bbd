import type { ServerResponse } from 'node:http';
import { errors as undiciErrors } from 'undici';
import type { StreamTracker } from '../dialects/stream-tracker.js';
import { ProxyError } from '../errors/proxy-error.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameSplitter } from '../sse/frame-splitter.js';
import { frameText, type StreamRepairer } from '../repairs/pipeline.js';
import { checkFrames, type CheckedFrame } from './frame-check.js';
import type { SeenUsage, UsageReader } from './stream-usage.js';

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
  /** The token counts the stream showed, even if it broke: for the log line. */
  usage?: SeenUsage;
}

/**
 * Forwards an upstream SSE body to the client frame by frame, with
 * backpressure: bytes unchanged when no stream repair is active, otherwise
 * each frame repaired and re-serialised. Every frame is shown to the tracker;
 * if the upstream breaks, stalls, sends a frame that is not JSON or ends
 * before the dialect's terminal event, the client gets the dialect's error
 * event and terminal event instead of a silent cut.
 */
export async function pipeSse(
  source: AsyncIterable<Uint8Array>,
  out: ServerResponse,
  tracker: StreamTracker,
  repairer?: StreamRepairer,
  readUsage?: UsageReader,
  scrub?: TextScrubber,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
): Promise<StreamOutcome> {
  const splitter = new FrameSplitter(maxFrameBytes);
  const outcome: StreamOutcome = { frames: 0, clientGone: false };
  const usage = readUsage && { read: readUsage, seen: (outcome.usage = {}) };
  if (!out.headersSent) out.writeHead(200, SSE_HEADERS);
  let written = false;
  try {
    for await (const chunk of source) {
      for (const texts of writeBatches(splitter.push(chunk), written)) {
        const checked = checkFrames(texts, usage);
        const { frames } = checked;
        outcome.frames += frames.length;
        const text = scrubErrors(repairer ? repaired(frames.flatMap(({ frame, json }) => repairer.frame(frame, json)), tracker) : observed(frames, tracker), scrub);
        if (text && !out.write(text)) await drained(out);
        else if (text && !written) await sent();
        written ||= text !== '';
        if (out.destroyed) return { ...outcome, clientGone: true };
        if (checked.failure) throw checked.failure;
      }
    }
    if (repairer) {
      const tail = scrubErrors(repaired(repairer.end(), tracker), scrub);
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
  if (outcome.failure && !out.destroyed) out.write(scrubErrors(tracker.failureTail(outcome.failure), scrub));
  out.end();
  return outcome;
}

/** Removes credentials from text before a client sees it (src/secrets/scrubber.ts). */
export type TextScrubber = (text: string) => string;

/**
 * Error events carry messages the upstream wrote, which may echo a
 * credential: text holding one is scrubbed before it is written. Only error
 * events are: `"error"` as a JSON key or value (`{"error": …}`, `"type":
 * "error"`, `response.failed`), which text inside a JSON string cannot fake
 * (its quotes are escaped), so ordinary frames cost one substring search.
 */
export function scrubErrors(text: string, scrub: TextScrubber | undefined): string {
  return scrub && text.includes('"error"') ? scrub(text) : text;
}

/**
 * The frames of one network chunk, in the batches they are written in: one
 * write per chunk (a write per frame costs more than the frames' repairs),
 * except before anything reached the client, when the first frame goes out
 * alone. A user waits on the first token, and an upstream that sends a burst
 * (a whole short answer in one chunk) must not hold it back while the rest
 * of the burst is checked and repaired.
 */
export function writeBatches(texts: string[], written: boolean): string[][] {
  return written || texts.length < 2 ? [texts] : [texts.slice(0, 1), texts.slice(1)];
}

/**
 * Resolves once Node has handed the first write to the socket. Node corks a
 * response's socket on its first write and uncorks it on the next tick, so
 * without this turn the first frame would wait for the rest of the burst.
 */
export function sent(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

function observed(frames: CheckedFrame[], tracker: StreamTracker): string {
  let text = '';
  for (const checked of frames) {
    tracker.observe(checked.frame);
    text += checked.text;
  }
  return text;
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
  // The upstream call's own reasons: its total time limit, a shutdown (src/upstream/deadline.ts, src/server/in-flight.ts).
  if (error instanceof ProxyError) return error;
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new ProxyError('timeout', 'The upstream stream stalled: no event within the idle timeout', { cause: error });
  }
  return new ProxyError('upstream', `The upstream stream broke: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
