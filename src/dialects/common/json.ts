/**
 * Small guards for reading untrusted JSON: every codec and repair reads client and upstream bodies it
 * cannot trust, so they all read them through these same few helpers.
 */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-negative token count; anything else counts as 0. */
export function countOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** A value that should be an object; anything else reads as an empty one. */
export function recordOr(value: unknown): JsonObject {
  return isRecord(value) ? value : {};
}

/** A value that should be a list; anything else reads as empty. */
export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A list's object entries; anything that is not a list reads as empty. */
export function records(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Parses JSON text into an object, or undefined for anything else (`[DONE]`, arrays, scalars, garbage). */
export function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True when the text is one complete JSON document. */
export function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
