import type { ErrorKind, ProxyError } from '../errors/proxy-error.js';

/** OpenAI's `error.type` for each kind (Chat Completions and Responses share the error body). */
const OPENAI_ERROR_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  upstream: 'server_error',
  overloaded: 'server_error',
  timeout: 'server_error',
  internal: 'server_error',
};

export interface OpenAiErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export function openAiErrorObject(error: ProxyError): OpenAiErrorObject {
  return {
    message: error.message,
    type: OPENAI_ERROR_TYPE[error.kind],
    param: error.param ?? null,
    code: error.code ?? error.upstreamCode ?? (error.kind === 'not_found' ? 'model_not_found' : error.kind),
  };
}

/** `{"error": {message, type, param, code}}` */
export function openAiErrorBody(error: ProxyError): { error: OpenAiErrorObject } {
  return { error: openAiErrorObject(error) };
}
