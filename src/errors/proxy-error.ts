/**
 * The proxy's own error taxonomy. Every failure the proxy reports to a client
 * is one of these kinds; each dialect's error codec turns a kind into its own
 * body and status (see src/dialects/<dialect>/errors.ts).
 */
export const ERROR_KINDS = [
  'invalid_request',
  'authentication',
  'permission',
  'not_found',
  'request_too_large',
  'rate_limit',
  'upstream',
  'overloaded',
  'timeout',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Default HTTP status of each kind, when no upstream status is known. */
export const KIND_STATUS: Record<ErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limit: 429,
  upstream: 502,
  overloaded: 503,
  timeout: 504,
  internal: 500,
};

export class ProxyError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  /** The offending request field, when there is one (OpenAI's `param`). */
  readonly param: string | undefined;
  /** The Databricks `error_code`, when the error came from upstream. */
  readonly upstreamCode: string | undefined;
  /** Seconds, passed through from an upstream `Retry-After`. */
  readonly retryAfter: string | undefined;
  /** A reason code of the proxy's own, more precise than the kind (`route_not_found`). */
  readonly code: string | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { status?: number; param?: string; upstreamCode?: string; retryAfter?: string; code?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProxyError';
    this.kind = kind;
    this.status = options.status ?? KIND_STATUS[kind];
    this.param = options.param;
    this.upstreamCode = options.upstreamCode;
    this.retryAfter = options.retryAfter;
    this.code = options.code;
  }
}

/** The kind that best describes an HTTP status; 5xx not listed are `upstream`. */
const STATUS_KIND: Record<number, ErrorKind> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  408: 'timeout',
  413: 'request_too_large',
  422: 'invalid_request',
  429: 'rate_limit',
  503: 'overloaded',
  504: 'timeout',
  529: 'overloaded',
};

export function kindForStatus(status: number): ErrorKind {
  return STATUS_KIND[status] ?? (status >= 500 ? 'upstream' : 'invalid_request');
}
