import type { ProxyError } from '../errors/proxy-error.js';
import { anthropicErrorBody } from './anthropic-messages/errors.js';
import { MessagesStreamTracker } from './anthropic-messages/stream-tracker.js';
import type { InboundDialect } from './dialect.js';
import { ChatStreamTracker } from './openai-chat/stream-tracker.js';
import { openAiErrorBody } from './openai-error.js';
import { ResponsesStreamTracker } from './openai-responses/stream-tracker.js';
import type { StreamTracker } from './stream-tracker.js';

/** What the server needs from each inbound dialect to answer errors and end streams properly. */
export interface InboundDialectSupport {
  errorBody(error: ProxyError): unknown;
  createTracker(): StreamTracker;
}

export const INBOUND: Record<InboundDialect, InboundDialectSupport> = {
  'openai-chat': { errorBody: openAiErrorBody, createTracker: () => new ChatStreamTracker() },
  'openai-responses': { errorBody: openAiErrorBody, createTracker: () => new ResponsesStreamTracker() },
  'anthropic-messages': { errorBody: anthropicErrorBody, createTracker: () => new MessagesStreamTracker() },
};
