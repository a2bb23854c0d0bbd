/**
 * Errors an upstream Responses answer carries in its body or stream: the
 * nested `{"type":"error","error":{type, code, message, param}}` the real API
 * sends, the spec's flat `{type:"error", code, message, param}`, a failed
 * Response's `error{code, message}`, and Databricks' `{error_code, message}`
 * (whose message may itself be JSON text).
 */
import { type ErrorKind, ProxyError } from '../../errors/proxy-error.js';
import { isRecord, type JsonObject, parseObject, stringOr } from './json.js';

/** OpenAI `error.type` / `error.code` → kind. */
const OPENAI_KIND: Record<string, ErrorKind> = {
  invalid_request_error: 'invalid_request',
  invalid_prompt: 'invalid_request',
  context_length_exceeded: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  insufficient_quota: 'rate_limit',
  server_error: 'upstream',
  overloaded_error: 'overloaded',
  server_is_overloaded: 'overloaded',
};

/** Databricks `error_code` → kind (codes seen: databricks.md §6). */
const DATABRICKS_KIND: Record<string, ErrorKind> = {
  BAD_REQUEST: 'invalid_request',
  INVALID_PARAMETER_VALUE: 'invalid_request',
  REQUEST_LIMIT_EXCEEDED: 'rate_limit',
  RESOURCE_EXHAUSTED: 'rate_limit',
  ENDPOINT_NOT_FOUND: 'not_found',
  RESOURCE_DOES_NOT_EXIST: 'not_found',
  PERMISSION_DENIED: 'permission',
  UNAUTHENTICATED: 'authentication',
  TEMPORARILY_UNAVAILABLE: 'overloaded',
};

/** The error an `error` event or error body carries, or undefined when it carries none. */
export function errorOf(payload: JsonObject): ProxyError | undefined {
  if (isRecord(payload.error)) return openAiStyle(payload.error);
  if (typeof payload.error === 'string') return new ProxyError('upstream', payload.error);
  const code = stringOr(payload.error_code);
  if (code !== undefined) {
    return new ProxyError(lookup(DATABRICKS_KIND, code) ?? 'upstream', unwrapMessage(stringOr(payload.message) ?? code), { upstreamCode: code });
  }
  if (payload.type === 'error') return openAiStyle(payload);
  return undefined;
}

/** The error of a failed Response (`response.error{code, message}`); a failure without one is still a failure. */
export function failureOf(response: JsonObject): ProxyError {
  return (isRecord(response.error) ? openAiStyle(response.error) : undefined) ?? new ProxyError('upstream', 'The upstream response failed without saying why');
}

function openAiStyle(error: JsonObject): ProxyError {
  const type = stringOr(error.type);
  const code = stringOr(error.code);
  const kind = (type && lookup(OPENAI_KIND, type)) || (code && lookup(OPENAI_KIND, code)) || 'upstream';
  const message = unwrapMessage(stringOr(error.message) ?? 'upstream error');
  const param = stringOr(error.param);
  return new ProxyError(kind, message, { ...(code ? { upstreamCode: code } : {}), ...(param ? { param } : {}) });
}

function lookup(table: Record<string, ErrorKind>, key: string): ErrorKind | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Databricks wraps validator messages as JSON text (`{"message": "..."}`). */
function unwrapMessage(message: string): string {
  const inner = parseObject(message);
  return (inner && stringOr(inner.message)) ?? message;
}
