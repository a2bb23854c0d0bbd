import type { ProxyError } from '../../errors/proxy-error.js';
import type { SseFrame } from '../../sse/parse-frame.js';
import { formatFrame } from '../../sse/parse-frame.js';
import { frameJson, type StreamTracker } from '../stream-tracker.js';
import { records } from '../common/json.js';
import { geminiErrorBody } from './errors.js';

/**
 * A Gemini stream has no terminal event: the chunk with a `finishReason` is
 * its last word (wire-formats.md §4), and an error is a chunk with a
 * top-level `error`. A stream that breaks before either ends with such an
 * error chunk, which `@google/genai` raises as an `ApiError`.
 */
export class GeminiStreamTracker implements StreamTracker {
  private done = false;

  get finished(): boolean {
    return this.done;
  }

  observe(frame: SseFrame): void {
    if (this.done) return;
    const json = frameJson(frame);
    if (!json) return;
    this.done = json.error !== undefined || records(json.candidates).some((candidate) => typeof candidate.finishReason === 'string');
  }

  failureTail(error: ProxyError): string {
    this.done = true;
    return geminiErrorFrame(error);
  }
}

/** A mid-stream error, as Google sends it: a chunk whose only field is `error`. */
export function geminiErrorFrame(error: ProxyError): string {
  return formatFrame(JSON.stringify(geminiErrorBody(error)));
}
