import { kindForStatus, ProxyError } from '../errors/proxy-error.js';

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
    ...(retryAfter ? { retryAfter } : {}),
  });
}

/** True for the answers that mean "this endpoint is not served on this surface". */
export function isEndpointNotFound(status: number, bodyText: string): boolean {
  if (status !== 404 && status !== 501) return false;
  const { code } = readErrorBody(bodyText);
  return status === 501 || code === 'ENDPOINT_NOT_FOUND' || code === 'RESOURCE_DOES_NOT_EXIST';
}

function readErrorBody(bodyText: string): { code: string | undefined; message: string } {
  const body = parseObject(bodyText);
  if (!body) return { code: undefined, message: bodyText.trim().slice(0, 1000) };
  const nested = typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : undefined;
  const code = stringField(body, 'error_code') ?? (nested && (stringField(nested, 'code') ?? stringField(nested, 'type')));
  const raw = stringField(body, 'message') ?? (nested && stringField(nested, 'message')) ?? '';
  return { code, message: unwrapMessage(raw) };
}

function unwrapMessage(message: string): string {
  const inner = parseObject(message);
  const text = inner && (stringField(inner, 'message') ?? (typeof inner.error === 'object' && inner.error !== null ? stringField(inner.error as Record<string, unknown>, 'message') : undefined));
  return text ?? message;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}
