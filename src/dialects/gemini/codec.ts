/**
 * The Gemini dialect (`generateContent` / `streamGenerateContent`): the side
 * facing Gemini clients (Gemini CLI, `@google/genai`, pi) and the side facing
 * Databricks' Gemini path.
 */
import type { InboundCodec, UpstreamCodec } from '../../ir/codec.js';
import { decodeGeminiRequest } from './request-decode.js';
import { encodeGeminiRequest } from './request-encode.js';
import { decodeGeminiResponse } from './response-decode.js';
import { encodeGeminiResponse } from './response-encode.js';
import { createGeminiStreamDecoder } from './stream-decode.js';
import { GeminiStreamEncoder } from './stream-encode.js';

export const geminiInbound: InboundCodec = {
  decodeRequest: (body, context) => decodeGeminiRequest(body, context),
  encodeResponse: (response, _request, context) => encodeGeminiResponse(response, context),
  createStreamEncoder: (_request, context) => new GeminiStreamEncoder(context),
};

export const geminiUpstream: UpstreamCodec = {
  encodeRequest: (request) => ({ ...encodeGeminiRequest(request) }),
  decodeResponse: (body, context) => decodeGeminiResponse(body, context),
  createStreamDecoder: (_request, context) => createGeminiStreamDecoder(context),
};
