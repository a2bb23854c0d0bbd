/**
 * The Gemini dialect (`generateContent` / `streamGenerateContent`). No client
 * speaks it to the proxy yet, so it has only its Databricks-facing side.
 */
import type { UpstreamCodec } from '../../ir/codec.js';
import { encodeGeminiRequest } from './request-encode.js';
import { decodeGeminiResponse } from './response-decode.js';
import { createGeminiStreamDecoder } from './stream-decode.js';

export const geminiUpstream: UpstreamCodec = {
  encodeRequest: (request) => ({ ...encodeGeminiRequest(request) }),
  decodeResponse: (body, context) => decodeGeminiResponse(body, context),
  createStreamDecoder: (_request, context) => createGeminiStreamDecoder(context),
};
