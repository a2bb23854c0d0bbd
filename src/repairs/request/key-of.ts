import type { JsonObject } from '../../dialects/common/json.js';

/** The first key of `keys` that `object` has, for fields Gemini accepts in camelCase and snake_case. */
export function keyOf(object: JsonObject, keys: readonly string[]): string | undefined {
  return keys.find((key) => object[key] !== undefined);
}
