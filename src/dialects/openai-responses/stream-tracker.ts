import type { ProxyError } from '../../errors/proxy-error.js';
import { formatFrame, type SseFrame } from '../../sse/parse-frame.js';
import { openAiErrorObject } from '../openai-error.js';
import { frameJson, type StreamTracker } from '../stream-tracker.js';

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete']);

/**
 * Responses streams end with exactly one terminal event. A failure mid-way is
 * an `error` event (the nested form the real API sends) followed by
 * `response.failed` for the same response id, with the sequence numbers
 * continuing, so strict clients see a failed response rather than a hang.
 */
export class ResponsesStreamTracker implements StreamTracker {
  finished = false;
  private nextSequence = 0;
  private response: Record<string, unknown> = {};

  observe(frame: SseFrame): void {
    const event = frameJson(frame);
    if (!event) return;
    if (typeof event.sequence_number === 'number') this.nextSequence = event.sequence_number + 1;
    const type = typeof event.type === 'string' ? event.type : frame.event;
    if (type === 'response.created' && typeof event.response === 'object' && event.response !== null) {
      const { id, created_at, model } = event.response as Record<string, unknown>;
      this.response = { id, created_at, model };
    }
    if (type !== undefined && TERMINAL.has(type)) this.finished = true;
  }

  failureTail(error: ProxyError): string {
    this.finished = true;
    const detail = openAiErrorObject(error);
    const errorEvent = { type: 'error', sequence_number: this.nextSequence++, error: detail };
    const failed = {
      type: 'response.failed',
      sequence_number: this.nextSequence++,
      response: {
        object: 'response',
        ...this.response,
        status: 'failed',
        error: { code: detail.code ?? 'server_error', message: detail.message },
        output: [],
        usage: null,
      },
    };
    return formatFrame(JSON.stringify(errorEvent), 'error') + formatFrame(JSON.stringify(failed), 'response.failed');
  }
}
