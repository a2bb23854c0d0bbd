/**
 * An error carried in a Gemini answer's body (a 200 answer or a stream
 * chunk): Google's `{"error": {code, message, status}}` (a mid-stream error is
 * a chunk with a top-level `error`, wire-formats.md §4) or Databricks'
 * `{error_code, message}` (databricks.md §6), read by the shared reader.
 */
import { type ErrorKind, kindForStatus, ProxyError } from '../../errors/proxy-error.js';
import { type JsonObject, stringOr } from '../common/json.js';
import { errorInBody as sharedErrorInBody, lookupKind, unwrapMessage } from '../common/upstream-error.js';

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

/** The error a body carries, or undefined when it is not an error body. */
export function errorInBody(body: JsonObject): ProxyError | undefined {
  return sharedErrorInBody(body, googleError);
}

function googleError(error: JsonObject): ProxyError {
  const status = stringOr(error.status);
  const code = typeof error.code === 'number' && error.code >= 400 && error.code <= 599 ? error.code : undefined;
  const kind = lookupKind(GOOGLE_STATUS_KIND, status) ?? (code !== undefined ? kindForStatus(code) : 'upstream');
  const message = unwrapMessage(stringOr(error.message) ?? status ?? 'Gemini reported an error');
  return new ProxyError(kind, message, { ...(code !== undefined ? { status: code } : {}), ...(status ? { upstreamCode: status } : {}) });
}
