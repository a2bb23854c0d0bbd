/**
 * An error an upstream Chat answer carries in its body (a 200 answer or a
 * stream frame): OpenAI's `{"error": {message, type, code}}` or Databricks'
 * `{error_code, message}`, whose message may itself be a JSON string.
 */
import { type ErrorKind, ProxyError } from '../../errors/proxy-error.js';
import { isRecord, type JsonObject, parseObject, stringOr } from './json.js';

/** OpenAI `error.type` / `error.code` → kind. */
const OPENAI_KIND: Record<string, ErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  insufficient_quota: 'rate_limit',
  overloaded_error: 'overloaded',
  server_error: 'upstream',
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

/** The error a body carries, or undefined when it is not an error body. */
export function errorInBody(body: JsonObject): ProxyError | undefined {
  if (isRecord(body.error)) return openAiStyle(body.error);
  if (typeof body.error === 'string') return new ProxyError('upstream', body.error);
  const code = stringOr(body.error_code);
  if (code === undefined) return undefined;
  const message = unwrapMessage(stringOr(body.message) ?? code);
  return new ProxyError(lookup(DATABRICKS_KIND, code) ?? 'upstream', message, { upstreamCode: code });
}

function openAiStyle(error: JsonObject): ProxyError {
  const type = stringOr(error.type);
  const code = stringOr(error.code);
  const kind = lookup(OPENAI_KIND, type) ?? lookup(OPENAI_KIND, code) ?? 'upstream';
  const message = unwrapMessage(stringOr(error.message) ?? 'upstream error');
  const param = stringOr(error.param);
  return new ProxyError(kind, message, { ...(code ? { upstreamCode: code } : {}), ...(param ? { param } : {}) });
}

function lookup(table: Record<string, ErrorKind>, key: string | undefined): ErrorKind | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Databricks wraps validator messages as JSON text (`{"message": "..."}`). */
function unwrapMessage(message: string): string {
  const inner = parseObject(message);
  return (inner && stringOr(inner.message)) ?? message;
}
