import { badRequest, isRecord, type Json } from '../common.js';

// ---------------------------------------------------------------------------
// Helpers

export function unknownField(name: string, loc?: string): never {
  return badRequest(
    `Invalid JSON payload received. Unknown name "${name}"${loc === undefined ? '' : ` at '${loc}'`}: Cannot find field.`,
  );
}

export function invalidAt(loc: string, message: string): never {
  return badRequest(`Invalid value at '${loc}': ${message}`);
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The Gemini API accepts snake_case as well as camelCase field names
 * (documented, wire-formats §4). Normalises one object level; user data such
 * as `args`, `response` and schemas is never renamed because only structural
 * levels are passed through here. Returns the normalised object and the
 * original spelling of each key, for error messages.
 */
export function normalise(value: Json): { obj: Json; spelled: Map<string, string> } {
  const obj: Json = {};
  const spelled = new Map<string, string>();
  for (const [key, entry] of Object.entries(value)) {
    const name = camel(key);
    obj[name] = entry;
    spelled.set(name, key);
  }
  return { obj, spelled };
}

/** Normalises and checks the keys of one structural level against an allow-list. */
export function strictLevel(value: unknown, allowed: ReadonlySet<string>, loc: string | undefined): Json {
  if (!isRecord(value)) return invalidAt(loc ?? '', 'Starting an object on a scalar field');
  const { obj, spelled } = normalise(value);
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) unknownField(spelled.get(key) ?? key, loc);
  }
  return obj;
}

/** Gemini `Schema` types are upper-case enums (`OBJECT`); the model sees JSON-schema spelling. */
export function lowerSchemaTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerSchemaTypes);
  if (!isRecord(schema)) return schema;
  const out: Json = {};
  for (const [key, entry] of Object.entries(schema)) {
    out[key] = key === 'type' && typeof entry === 'string' ? entry.toLowerCase() : lowerSchemaTypes(entry);
  }
  return out;
}
