import type { InboundCodec, UpstreamCodec } from '../../ir/codec.js';
import { JsonResponseStreamDecoder, unwrapJsonResponse, wantsJsonResponse } from './json-response-unwrap.js';
import { decodeMessagesRequest } from './request-decode.js';
import { encodeMessagesRequest } from './request-encode.js';
import { decodeMessagesResponse } from './response-decode.js';
import { encodeMessagesResponse } from './response-encode.js';
import { MessagesStreamDecoder } from './stream-decode.js';
import { MessagesStreamEncoder } from './stream-encode.js';

/** The Messages API facing clients (Claude Code, opencode's Anthropic provider, the Anthropic SDK). */
export const anthropicMessagesInbound: InboundCodec = {
  decodeRequest: (body, context) => decodeMessagesRequest(body, context),
  encodeResponse: (response, _request, context) => encodeMessagesResponse(response, context),
  createStreamEncoder: (_request, context) => new MessagesStreamEncoder(context),
};

/** The Messages API facing Databricks' Anthropic path (Claude endpoints). */
export const anthropicMessagesUpstream: UpstreamCodec = {
  encodeRequest: (request, context) => encodeMessagesRequest(request, context),
  decodeResponse: (body, _context, request) => {
    const response = decodeMessagesResponse(body);
    return wantsJsonResponse(request) ? unwrapJsonResponse(response) : response;
  },
  createStreamDecoder: (request, context) => {
    const decoder = new MessagesStreamDecoder(context.endpoint);
    return wantsJsonResponse(request) ? new JsonResponseStreamDecoder(decoder) : decoder;
  },
};
