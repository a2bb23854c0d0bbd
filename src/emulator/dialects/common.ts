/**
 * Small pieces every emulated dialect uses: JSON guards, the two Databricks
 * 400 refusals, and the way a scripted answer is cut into stream pieces.
 * The emulator keeps its own copies rather than importing the proxy's
 * (src/dialects), so a bug there cannot be mirrored here.
 */
import { DatabricksApiError, type ToolSpec } from '../types.js';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * UNVERIFIED: the reference documents `thinking:{type:"adaptive"}` +
 * `output_config.effort` only for `databricks-claude-opus-5-5` ("accepts
 * only"), so those are accepted on endpoints whose name contains `opus-5-5`
 * and refused elsewhere, and `thinking.type:"enabled"` is refused there.
 * Claude Code's `context_management` / `output_config` are refused everywhere
 * else (live behaviour unverified; Bifrost strips them). The chat path
 * follows the same rule (documented for chat/invocations too).
 */
export function isAdaptiveOnlyEndpoint(endpointName: string): boolean {
  return endpointName.toLowerCase().includes('opus-5-5');
}

/**
 * The first top-level field of a Messages or chat body the endpoint does not
 * take, if any: one outside `fields`, or `output_config` off adaptive-only
 * endpoints (UNVERIFIED for chat: output_config.effort is documented only for
 * opus-5-5).
 */
export function unknownTopLevelField(body: Json, fields: ReadonlySet<string>, endpointName: string): string | undefined {
  const adaptiveOnly = isAdaptiveOnlyEndpoint(endpointName);
  return Object.keys(body).find((key) => !fields.has(key) && !(key === 'output_config' && adaptiveOnly));
}

/** What the tools of a request contribute to its text (names, descriptions, schemas), which the scripted model reads. */
export function toolTexts(tools: readonly ToolSpec[]): string[] {
  return tools.flatMap((tool) => [tool.name, ...(tool.description ? [tool.description] : []), JSON.stringify(tool.parameters)]);
}

/** A request the schema refuses. */
export function badRequest(message: string): never {
  throw new DatabricksApiError(400, 'BAD_REQUEST', message);
}

/** A well-formed request whose value the endpoint refuses. */
export function invalidValue(message: string): never {
  throw new DatabricksApiError(400, 'INVALID_PARAMETER_VALUE', message);
}

/** Word-sized pieces whose concatenation is the text. */
export function wordPieces(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

/**
 * Fragments of a JSON text, never cut inside an escape sequence or a
 * surrogate pair (a client's partial-JSON parser sees every prefix).
 */
export function jsonFragments(json: string, size = 12): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < json.length) {
    let end = Math.min(json.length, start + size);
    while (end < json.length) {
      let backslashes = 0;
      for (let k = end - 1; k >= start && json[k] === '\\'; k--) backslashes++;
      const code = json.charCodeAt(end - 1);
      const highSurrogate = code >= 0xd800 && code <= 0xdbff;
      // Inside `\uXXXX`: keep the escape whole.
      const unicodeEscape = /\\u[0-9a-fA-F]{0,3}$/.test(json.slice(Math.max(start, end - 5), end));
      if (backslashes % 2 === 1 || highSurrogate || unicodeEscape) end++;
      else break;
    }
    out.push(json.slice(start, end));
    start = end;
  }
  return out;
}
