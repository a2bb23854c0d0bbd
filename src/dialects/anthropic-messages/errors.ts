import type { ErrorKind, ProxyError } from '../../errors/proxy-error.js';

/** Anthropic's `error.type` for each kind (reference/wire-formats.md §3, errors table). */
const ANTHROPIC_ERROR_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  upstream: 'api_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
  internal: 'api_error',
};

/** `{"type":"error","error":{type, message}}` */
export function anthropicErrorBody(error: ProxyError): { type: 'error'; error: { type: string; message: string } } {
  return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPE[error.kind], message: error.message } };
}
