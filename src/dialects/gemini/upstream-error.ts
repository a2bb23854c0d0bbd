/**
 * An error carried in a Gemini answer's body (a 200 answer or a stream
 * chunk): Google's `{"error": {code, message, status}}` (a mid-stream error is
 * a chunk with a top-level `error`, wire-formats.md §4) or Databricks'
 * `{error_code, message}` (databricks.md §6), whose message may itself be a
 * JSON string.
 */
import { type ErrorKind, kindForStatus, ProxyError } from '../../errors/proxy-error.js';
import { isRecord, type JsonObject, parseObject, stringOr } from './json.js';

/** Google's canonical `status` → kind. */
const GOOGLE_STATUS_KIND: Record<string, ErrorKind> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'upstream',
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
  if (isRecord(body.error)) return googleError(body.error);
  if (typeof body.error === 'string') return new ProxyError('upstream', unwrapMessage(body.error));
  const code = stringOr(body.error_code);
  if (code === undefined) return undefined;
  return new ProxyError(lookup(DATABRICKS_KIND, code) ?? 'upstream', unwrapMessage(stringOr(body.message) ?? code), { upstreamCode: code });
}

function googleError(error: JsonObject): ProxyError {
  const status = stringOr(error.status);
  const code = typeof error.code === 'number' && error.code >= 400 && error.code <= 599 ? error.code : undefined;
  const kind = lookup(GOOGLE_STATUS_KIND, status) ?? (code !== undefined ? kindForStatus(code) : 'upstream');
  const message = unwrapMessage(stringOr(error.message) ?? status ?? 'Gemini reported an error');
  return new ProxyError(kind, message, { ...(code !== undefined ? { status: code } : {}), ...(status ? { upstreamCode: status } : {}) });
}

function lookup(table: Record<string, ErrorKind>, key: string | undefined): ErrorKind | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Databricks wraps validator messages as JSON text (`{"message": "..."}`, or Google's `{"error": {...}}`). */
function unwrapMessage(message: string): string {
  const inner = parseObject(message);
  if (!inner) return message;
  return stringOr(inner.message) ?? (isRecord(inner.error) ? stringOr(inner.error.message) : undefined) ?? message;
}
