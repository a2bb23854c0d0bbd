import type { ProxyError } from '../errors/proxy-error.js';
import type { SseFrame } from '../sse/parse-frame.js';

/**
 * Watches the frames of one outbound stream in a client's dialect, so that a
 * stream which breaks can be ended the way that dialect's clients expect: an
 * error event and the dialect's terminal event, never a silent cut.
 */
export interface StreamTracker {
  observe(frame: SseFrame): void;
  /** True once the dialect's terminal event has gone out. */
  readonly finished: boolean;
  /** The SSE text that ends a stream which failed before its terminal event. */
  failureTail(error: ProxyError): string;
}

/** Parses a frame's JSON data, or undefined when it is not JSON (e.g. `[DONE]`). */
export function frameJson(frame: SseFrame): Record<string, unknown> | undefined {
  if (frame.data === undefined || frame.data === '[DONE]') return undefined;
  try {
    const value: unknown = JSON.parse(frame.data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
