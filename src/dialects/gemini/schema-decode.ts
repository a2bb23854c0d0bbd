/**
 * A Gemini `Schema` (`FunctionDeclaration.parameters`, `responseSchema`: an
 * OpenAPI 3.0 subset whose types may be upper case, `OBJECT`) → JSON Schema,
 * the IR's form. Type names are lowered, `nullable` becomes a `null` member of
 * the type list, and the fields JSON Schema has no use for
 * (`propertyOrdering`, `example`) are left out. `parametersJsonSchema` and
 * `responseJsonSchema` are JSON Schema already and are taken as they are.
 */
import { isRecord, type JsonObject } from '../common/json.js';

const DROPPED = new Set(['nullable', 'propertyOrdering', 'example']);

export function jsonSchemaOf(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, isRecord(child) ? jsonSchemaOf(child) : child]));
    else if ((key === 'items' || key === 'additionalProperties') && isRecord(value)) out[key] = jsonSchemaOf(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map((child) => (isRecord(child) ? jsonSchemaOf(child) : child));
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}
