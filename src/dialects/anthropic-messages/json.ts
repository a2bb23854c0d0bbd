import { ProxyError } from '../../errors/proxy-error.js';

/** Small readers for untyped JSON: the codec reads client and upstream bodies it cannot trust. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A client request field the codec cannot act on. */
export function invalidField(param: string, message: string): ProxyError {
  return new ProxyError('invalid_request', `${param}: ${message}`, { param });
}

/** Parses JSON text that should hold an object; undefined when it does not. */
export function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
