import { ProxyError } from '../errors/proxy-error.js';
import { parseFrame, type SseFrame } from '../sse/parse-frame.js';
import type { SeenUsage, UsageReader } from './stream-usage.js';

/** One upstream frame that passed the check: its text as received, and its fields. */
export interface CheckedFrame {
  text: string;
  frame: SseFrame;
  /** The data field parsed, when it is a JSON object: handed on so the stream repairs need not parse it again. */
  json?: Record<string, unknown>;
}

export interface CheckedFrames {
  /** The frames before the first malformed one (all of them when none is). */
  frames: CheckedFrame[];
  /** Set when a frame is malformed: the relay forwards `frames`, then ends the stream with this. */
  failure?: ProxyError;
}

/**
 * Checks the upstream frames of one network chunk before anything is relayed.
 * Every dialect the proxy reads sends JSON in each data field, except Chat's
 * `[DONE]`; a data field that is not JSON means an event was lost or garbled,
 * and relaying on would hand the client an answer with a hole in it (and the
 * official SDKs a parse error). So the stream stops there, to be ended with
 * the client's error event. Empty data fields carry nothing and pass (the
 * reference is silent on them; no recorded stream has one). When a usage
 * reader is given, the usage the frames carry is noted on the way, from the
 * same parse.
 */
export function checkFrames(texts: readonly string[], usage?: { read: UsageReader; seen: SeenUsage }): CheckedFrames {
  const frames: CheckedFrame[] = [];
  for (const text of texts) {
    const frame = parseFrame(text);
    const data = frame.data?.trim();
    let object: Record<string, unknown> | undefined;
    if (data && data !== '[DONE]') {
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return { frames, failure: new ProxyError('upstream', 'The upstream sent a stream event that is not valid JSON') };
      }
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) object = json as Record<string, unknown>;
      if (usage && object) usage.read(object, usage.seen);
    }
    frames.push(object ? { text, frame, json: object } : { text, frame });
  }
  return { frames };
}
