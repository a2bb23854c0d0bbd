/** The OpenAI Chat Completions dialect: its client-facing and Databricks-facing codecs. */
import type { InboundCodec, UpstreamCodec } from '../../ir/codec.js';
import { decodeChatRequest } from './request-decode.js';
import { encodeChatRequest } from './request-encode.js';
import { decodeChatResponse } from './response-decode.js';
import { encodeChatResponse } from './response-encode.js';
import { createChatStreamDecoder } from './stream-decode.js';
import { createChatStreamEncoder } from './stream-encode.js';

export const openaiChatInbound: InboundCodec = {
  decodeRequest: (body, context) => decodeChatRequest(body, context),
  encodeResponse: (response, _request, context) => encodeChatResponse(response, context),
  createStreamEncoder: (request, context) => createChatStreamEncoder(request, context),
};

export const openaiChatUpstream: UpstreamCodec = {
  encodeRequest: (request, context) => encodeChatRequest(request, context),
  decodeResponse: (body, context) => decodeChatResponse(body, context),
  createStreamDecoder: (_request, context) => createChatStreamDecoder(context),
};
