/** Small guards for the untrusted JSON a request repair reads. */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The records of a value that should be a list; anything else reads as none. */
export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The first key of `keys` that `object` has, for fields Gemini accepts in camelCase and snake_case. */
export function keyOf(object: Json, keys: readonly string[]): string | undefined {
  return keys.find((key) => object[key] !== undefined);
}
