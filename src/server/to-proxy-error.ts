import { kindForStatus, ProxyError } from '../errors/proxy-error.js';
import { describeViolation, type SchemaViolation } from './validation-message.js';
import { networkFailure } from '../upstream/network-error.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown[];
  validationContext?: string;
}

/**
 * Any error thrown while handling a request, as a ProxyError. Fastify's own
 * errors (bad JSON, body too large, schema validation) keep their status;
 * network failures and timeouts talking to the workspace become 502 / 504;
 * anything unexpected becomes a 500 whose message hides internals.
 */
export function toProxyError(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const candidate = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  if (candidate.validation) {
    const { message, param } = describeViolation(candidate.validation as SchemaViolation[]);
    return new ProxyError('invalid_request', `Invalid request: ${message}`, param ? { param } : {});
  }
  if (typeof candidate.statusCode === 'number' && candidate.statusCode >= 400 && candidate.statusCode < 500) {
    const message = candidate.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
      ? `Invalid JSON body: ${candidate.message ?? ''}`.trim()
      : candidate.message ?? 'Invalid request';
    return new ProxyError(kindForStatus(candidate.statusCode), message, { status: candidate.statusCode });
  }
  // A JSON answer whose body broke or stalled while being read (the stream relays catch their own).
  const network = networkFailure(error);
  if (network) return network;
  return new ProxyError('internal', 'Internal proxy error', { cause: error });
}
