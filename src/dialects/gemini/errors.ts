/**
 * Google's error body, `{"error": {code, message, status, details}}`
 * (wire-formats.md §4 "Errors"): `code` is the HTTP status, `status` the
 * canonical name. `details` carries what Google's clients read there: how
 * long to wait (`RetryInfo`, which Gemini CLI honours on 429), the field at
 * fault (`BadRequest`), and the proxy's own reason code (`ErrorInfo`).
 */
import type { ErrorKind, ProxyError } from '../../errors/proxy-error.js';

/** Google's canonical status of each kind. */
const GOOGLE_STATUS: Record<ErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  upstream: 'INTERNAL',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  internal: 'INTERNAL',
};

const TYPE = 'type.googleapis.com/google.rpc.';

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: Record<string, unknown>[] };
}

export function geminiErrorBody(error: ProxyError): GoogleErrorBody {
  const details: Record<string, unknown>[] = [];
  const seconds = error.retryAfter !== undefined && /^\d+$/.test(error.retryAfter.trim()) ? error.retryAfter.trim() : undefined;
  if (seconds !== undefined) details.push({ '@type': `${TYPE}RetryInfo`, retryDelay: `${seconds}s` });
  if (error.param !== undefined) details.push({ '@type': `${TYPE}BadRequest`, fieldViolations: [{ field: error.param, description: error.message }] });
  const reason = error.code ?? error.upstreamCode;
  if (reason !== undefined) details.push({ '@type': `${TYPE}ErrorInfo`, reason: reason.toUpperCase(), domain: 'dbx-proxy' });
  return { error: { code: error.status, message: error.message, status: GOOGLE_STATUS[error.kind], ...(details.length > 0 ? { details } : {}) } };
}
