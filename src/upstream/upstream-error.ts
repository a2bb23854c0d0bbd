import { isRecord, parseObject, stringOr } from '../dialects/common/json.js';
import { unwrapMessage } from '../dialects/common/upstream-error.js';
import { kindForStatus, ProxyError } from '../errors/proxy-error.js';
import { parseRetryAfterMs } from './retry.js';

/** An HTTP-date is 29 characters; anything much longer is not a Retry-After. */
const RETRY_AFTER_MAX = 64;

/**
 * Turns a non-2xx upstream answer into a ProxyError keeping the upstream's
 * status and message. Databricks answers `{error_code, message}` and the
 * message may itself be a JSON string (`{"message": "..."}`); the provider-
 * native gateway paths may instead answer in OpenAI's or Anthropic's shape.
 */
export function upstreamError(status: number, bodyText: string, retryAfter?: string): ProxyError {
  const { code, message } = readErrorBody(bodyText);
  return new ProxyError(kindForStatus(status), message || `Databricks answered HTTP ${status}`, {
    status,
    ...(code ? { upstreamCode: code } : {}),
    ...(passable(retryAfter) ? { retryAfter } : {}),
  });
}

/** A Retry-After the proxy repeats to its client: a readable one of sane length (delay-seconds or an HTTP-date), never an upstream's arbitrary text. */
function passable(retryAfter: string | undefined): retryAfter is string {
  return retryAfter !== undefined && retryAfter.length <= RETRY_AFTER_MAX && parseRetryAfterMs(retryAfter) !== undefined;
}

/** True for the answers that mean "this endpoint is not served on this surface". */
export function isEndpointNotFound(status: number, bodyText: string): boolean {
  if (status !== 404 && status !== 501) return false;
  const { code } = readErrorBody(bodyText);
  return status === 501 || code === 'ENDPOINT_NOT_FOUND' || code === 'RESOURCE_DOES_NOT_EXIST';
}

/**
 * 400 answers that say "this model is served on another path", documented
 * for Codex on chat and GPT-5 tools on chat (reference §4.1). Every other 400
 * is about the request itself and is the client's answer.
 */
const ANOTHER_PATH_MESSAGES: readonly RegExp[] = [/only supports the Responses API/i, /Please use \/v1\/responses/i];

/** Whether an answer means "this path does not serve this model": the next route candidate may. */
export function isNotServedHere(status: number, bodyText: string): boolean {
  if (isEndpointNotFound(status, bodyText)) return true;
  return status === 400 && ANOTHER_PATH_MESSAGES.some((pattern) => pattern.test(readErrorBody(bodyText).message));
}

function readErrorBody(bodyText: string): { code: string | undefined; message: string } {
  const body = parseObject(bodyText);
  if (!body) return { code: undefined, message: bodyText.trim().slice(0, 1000) };
  const nested = isRecord(body.error) ? body.error : undefined;
  const code = stringOr(body.error_code) ?? (nested && (stringOr(nested.code) ?? stringOr(nested.type)));
  const raw = stringOr(body.message) ?? (nested && stringOr(nested.message)) ?? '';
  return { code, message: unwrapMessage(raw) };
}
