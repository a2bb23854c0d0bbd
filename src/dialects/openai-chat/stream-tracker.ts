import type { ProxyError } from '../../errors/proxy-error.js';
import type { SseFrame } from '../../sse/parse-frame.js';
import { openAiErrorBody } from '../openai-error.js';
import type { StreamTracker } from '../stream-tracker.js';
import { formatFrame } from '../../sse/parse-frame.js';

/**
 * Chat Completions streams end with `data: [DONE]`. A failure mid-way is a
 * data frame holding `{"error": ...}`, which the OpenAI SDK raises as APIError.
 */
export class ChatStreamTracker implements StreamTracker {
  finished = false;

  observe(frame: SseFrame): void {
    if (frame.data === '[DONE]') this.finished = true;
  }

  failureTail(error: ProxyError): string {
    this.finished = true;
    return formatFrame(JSON.stringify(openAiErrorBody(error)));
  }
}
