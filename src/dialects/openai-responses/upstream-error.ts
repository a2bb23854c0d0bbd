/**
 * Errors an upstream Responses answer carries in its body or stream: the
 * nested `{"type":"error","error":{type, code, message, param}}` the real API
 * sends and Databricks' `{error_code, message}` (both read by the shared
 * reader), plus the spec's flat `{type:"error", code, message, param}` and a
 * failed Response's `error{code, message}`.
 */
import { ProxyError } from '../../errors/proxy-error.js';
import { isRecord, type JsonObject } from '../common/json.js';
import { errorInBody, openAiError } from '../common/upstream-error.js';

/** The error an `error` event or error body carries, or undefined when it carries none. */
export function errorOf(payload: JsonObject): ProxyError | undefined {
  return errorInBody(payload) ?? (payload.type === 'error' ? openAiError(payload) : undefined);
}

/** The error of a failed Response (`response.error{code, message}`); a failure without one is still a failure. */
export function failureOf(response: JsonObject): ProxyError {
  return (isRecord(response.error) ? openAiError(response.error) : undefined) ?? new ProxyError('upstream', 'The upstream response failed without saying why');
}
