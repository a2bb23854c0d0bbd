import type { ProxyError } from '../errors/proxy-error.js';
import { anthropicErrorBody } from './anthropic-messages/errors.js';
import { MessagesStreamTracker } from './anthropic-messages/stream-tracker.js';
import type { InboundDialect } from './dialect.js';
import { geminiErrorBody } from './gemini/errors.js';
import { GeminiStreamTracker } from './gemini/stream-tracker.js';
import { ChatStreamTracker } from './openai-chat/stream-tracker.js';
import { openAiErrorBody } from './openai-error.js';
import { ResponsesStreamTracker } from './openai-responses/stream-tracker.js';
import type { StreamTracker } from './stream-tracker.js';

/** What the server needs from each inbound dialect to answer errors and end streams properly. */
export interface InboundDialectSupport {
  errorBody(error: ProxyError): unknown;
  createTracker(): StreamTracker;
  /** The body sent upstream untranslated: the client's own, addressed to the serving endpoint. */
  passthroughBody(body: Record<string, unknown>, endpoint: string): Record<string, unknown>;
}

/** The three dialects that name the model in the body. */
const modelInBody = (body: Record<string, unknown>, endpoint: string): Record<string, unknown> => ({ ...body, model: endpoint });

/** Gemini names the model and the streaming method in the path; the route put them in the body (routes/gemini.ts), the upstream path carries them. */
const modelInPath = ({ model: _model, stream: _stream, ...body }: Record<string, unknown>): Record<string, unknown> => body;

export const INBOUND: Record<InboundDialect, InboundDialectSupport> = {
  'openai-chat': { errorBody: openAiErrorBody, createTracker: () => new ChatStreamTracker(), passthroughBody: modelInBody },
  'openai-responses': { errorBody: openAiErrorBody, createTracker: () => new ResponsesStreamTracker(), passthroughBody: modelInBody },
  'anthropic-messages': { errorBody: anthropicErrorBody, createTracker: () => new MessagesStreamTracker(), passthroughBody: modelInBody },
  gemini: { errorBody: geminiErrorBody, createTracker: () => new GeminiStreamTracker(), passthroughBody: modelInPath },
};
