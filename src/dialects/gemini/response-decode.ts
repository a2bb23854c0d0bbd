/** A whole Databricks Gemini answer (`generateContent`) → the IR answer, read like a one-chunk stream. */
import { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrResponse } from '../../ir/response.js';
import { foldAnswer } from './answer-fold.js';
import { isRecord } from '../common/json.js';
import { GeminiStreamDecoder } from './stream-decode.js';

/** Throws the ProxyError an error body carries. */
export function decodeGeminiResponse(body: unknown, context: CodecContext): IrResponse {
  if (!isRecord(body)) throw new ProxyError('upstream', 'the upstream answered with JSON that is not an object');
  const decoder = new GeminiStreamDecoder(context, { wholeAnswer: true });
  return foldAnswer([...decoder.chunk(body), ...decoder.end()]);
}
