/**
 * Errors an upstream answer carries in its body (a 200 answer or a stream
 * frame), shared by the codecs: Databricks' `{error_code, message}`
 * (databricks.md §6), whose message may itself be JSON text, and OpenAI's
 * `{"error": {message, type, code, param}}`. A dialect with its own nested
 * shape (Gemini's Google error) passes its own reader for `error{...}`.
 * Non-2xx answers are read before any codec, by src/upstream/upstream-error.ts.
 */
import { type ErrorKind, ProxyError } from '../../errors/proxy-error.js';
import { isRecord, type JsonObject, parseObject, stringOr } from './json.js';

/** OpenAI `error.type` / `error.code` → kind; Chat Completions and Responses share these codes. */
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

/**
 * The error a body carries, or undefined when it is not an error body: a nested
 * `error{...}` (read by `readNested`), a bare `error` string, or Databricks' `error_code`.
 */
export function errorInBody(body: JsonObject, readNested: (error: JsonObject) => ProxyError = openAiError): ProxyError | undefined {
  if (isRecord(body.error)) return readNested(body.error);
  if (typeof body.error === 'string') return new ProxyError('upstream', unwrapMessage(body.error));
  const code = stringOr(body.error_code);
  if (code === undefined) return undefined;
  return new ProxyError(lookupKind(DATABRICKS_KIND, code) ?? 'upstream', unwrapMessage(stringOr(body.message) ?? code), { upstreamCode: code });
}

/** OpenAI's `{message, type, code, param}` error object. */
export function openAiError(error: JsonObject): ProxyError {
  const type = stringOr(error.type);
  const code = stringOr(error.code);
  const kind = lookupKind(OPENAI_KIND, type) ?? lookupKind(OPENAI_KIND, code) ?? 'upstream';
  const message = unwrapMessage(stringOr(error.message) ?? 'upstream error');
  const param = stringOr(error.param);
  return new ProxyError(kind, message, { ...(code ? { upstreamCode: code } : {}), ...(param ? { param } : {}) });
}

export function lookupKind(table: Record<string, ErrorKind>, key: string | undefined): ErrorKind | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Databricks wraps validator messages as JSON text (`{"message": "..."}`, or Google's `{"error": {...}}`). */
export function unwrapMessage(message: string): string {
  const inner = parseObject(message);
  if (!inner) return message;
  return stringOr(inner.message) ?? (isRecord(inner.error) ? stringOr(inner.error.message) : undefined) ?? message;
}
