/**
 * The OpenAI Responses dialect: the client side (Codex, opencode's OpenAI
 * provider, the OpenAI SDK's `responses` API) and the Databricks side (gpt
 * and codex endpoints).
 */
import type { InboundCodec, UpstreamCodec } from '../../ir/codec.js';
import { decodeResponsesRequest } from './request-decode.js';
import { encodeResponsesRequest } from './request-encode.js';
import { decodeResponsesAnswer } from './response-decode.js';
import { encodeResponsesAnswer } from './response-encode.js';
import { createResponsesStreamDecoder } from './stream-decode.js';
import { createResponsesStreamEncoder } from './stream-encode.js';

export const openaiResponsesInbound: InboundCodec = {
  decodeRequest: (body, context) => decodeResponsesRequest(body, context),
  encodeResponse: (response, request, context) => encodeResponsesAnswer(response, request, context),
  createStreamEncoder: (request, context) => createResponsesStreamEncoder(request, context),
};

export const openaiResponsesUpstream: UpstreamCodec = {
  // Spread into a plain record: the codec contract hands bodies to the repairs as open JSON objects.
  encodeRequest: (request, context) => ({ ...encodeResponsesRequest(request, context) }),
  decodeResponse: (body, context) => decodeResponsesAnswer(body, context),
  createStreamDecoder: (_request, context) => createResponsesStreamDecoder(context),
};
