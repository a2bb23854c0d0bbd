import type { ProxyError } from '../../errors/proxy-error.js';
import { formatFrame, type SseFrame } from '../../sse/parse-frame.js';
import type { StreamTracker } from '../stream-tracker.js';
import { anthropicErrorBody } from './errors.js';

/**
 * Messages streams must end with `message_stop`: opencode re-requests without
 * end when it is missing. A failure mid-way is an `error` event (the Anthropic
 * SDK raises it) followed by `message_stop`.
 */
export class MessagesStreamTracker implements StreamTracker {
  finished = false;

  observe(frame: SseFrame): void {
    if (frame.event === 'message_stop') this.finished = true;
  }

  failureTail(error: ProxyError): string {
    this.finished = true;
    return (
      formatFrame(JSON.stringify(anthropicErrorBody(error)), 'error') +
      formatFrame(JSON.stringify({ type: 'message_stop' }), 'message_stop')
    );
  }
}
