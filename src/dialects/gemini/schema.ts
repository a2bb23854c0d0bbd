/**
 * JSON schema → the schema dialect of Gemini's `FunctionDeclaration.parameters`
 * (an OpenAPI 3.0 subset). Gemini answers 400 to keywords it does not know
 * (`additionalProperties`, `$schema`, `strict`, `$ref`, …), so the schema is
 * rewritten onto the fields Gemini's `Schema` has, keeping what can be kept:
 * local `$ref`s are inlined, `oneOf` becomes `anyOf`, `allOf` is merged, a
 * string `const` becomes a one-value `enum`, a `["x", "null"]` type becomes
 * `nullable`, and a string format Gemini refuses moves into the description.
 * Everything else outside the allow-list is stripped (constraints Gemini
 * cannot express are lost; the tool still works).
 */
import { isRecord, type JsonObject } from '../common/json.js';

/** The fields of Gemini's `Schema` (@google/genai) that carry no nested schema. */
const PLAIN_FIELDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'default',
  'example',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'required',
  'propertyOrdering',
]);

/** Gemini refuses other formats on strings ("only 'enum' and 'date-time' are supported for STRING type"). */
const STRING_FORMATS = new Set(['enum', 'date-time']);

/** Deeper `$ref` chains are taken to be recursive and cut. */
const MAX_REF_DEPTH = 8;

/** The `parameters` of a function declaration, or undefined for a function without arguments. */
export function geminiParameters(schema: Record<string, unknown>): JsonObject | undefined {
  const converted = convert(schema, schema, 0);
  // Gemini refuses an OBJECT schema with no properties; a declaration without parameters is a no-argument function.
  if (!isRecord(converted.properties) || Object.keys(converted.properties).length === 0) return undefined;
  // Databricks refuses a tool schema without an explicit object type (databricks.md §5.2).
  return { ...converted, type: converted.type ?? 'object' };
}

function convert(node: unknown, root: JsonObject, depth: number): JsonObject {
  if (!isRecord(node)) return {};
  const resolved = resolveRef(node, root, depth);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resolved.node)) {
    if (PLAIN_FIELDS.has(key)) out[key] = value;
  }
  const next = resolved.depth;
  if (isRecord(resolved.node.properties)) {
    out.properties = Object.fromEntries(Object.entries(resolved.node.properties).map(([name, value]) => [name, convert(value, root, next)]));
  }
  if (isRecord(resolved.node.items)) out.items = convert(resolved.node.items, root, next);
  const alternatives = [resolved.node.anyOf, resolved.node.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
  if (alternatives.length > 0) out.anyOf = alternatives.map((entry) => convert(entry, root, next));
  if (Array.isArray(resolved.node.allOf)) mergeAllOf(out, resolved.node.allOf.map((entry) => convert(entry, root, next)));
  normaliseType(out);
  normaliseEnum(out, resolved.node);
  normaliseFormat(out);
  return out;
}

/** Inlines a local `$ref` (`#/$defs/X`, `#/definitions/X`); keys beside the `$ref` win over the target's. */
function resolveRef(node: JsonObject, root: JsonObject, depth: number): { node: JsonObject; depth: number } {
  if (typeof node.$ref !== 'string') return { node, depth };
  const { $ref: ref, ...siblings } = node;
  const target = depth < MAX_REF_DEPTH ? lookupPointer(root, ref) : undefined;
  // An unresolvable or recursive reference becomes an unconstrained object.
  return { node: { ...(target ?? { type: 'object' }), ...siblings }, depth: depth + 1 };
}

function lookupPointer(root: JsonObject, ref: string): JsonObject | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = isRecord(node) ? node[key] : undefined;
  }
  return isRecord(node) ? node : undefined;
}

/** `allOf` has no Gemini form: its members' properties and requirements are merged into the node. */
function mergeAllOf(out: JsonObject, members: JsonObject[]): void {
  for (const member of members) {
    const { properties, required, ...rest } = member;
    if (isRecord(properties)) out.properties = { ...(isRecord(out.properties) ? out.properties : {}), ...properties };
    if (Array.isArray(required)) out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), ...required])];
    for (const [key, value] of Object.entries(rest)) out[key] ??= value;
  }
}

/** A type list (`["string", "null"]`) → its first non-null type, nullable when null was allowed. */
function normaliseType(out: JsonObject): void {
  if (!Array.isArray(out.type)) return;
  const types = out.type.filter((type): type is string => typeof type === 'string');
  const concrete = types.filter((type) => type !== 'null');
  if (concrete.length < types.length) out.nullable = true;
  if (concrete[0] === undefined) delete out.type;
  else out.type = concrete[0];
}

/** Gemini enums are lists of strings; a string `const` is a one-value enum. Other values cannot be said. */
function normaliseEnum(out: JsonObject, source: JsonObject): void {
  const values = Array.isArray(source.enum) ? source.enum : typeof source.const === 'string' ? [source.const] : undefined;
  if (values && values.every((value) => typeof value === 'string')) out.enum = values;
}

function normaliseFormat(out: JsonObject): void {
  if (out.type !== 'string' || typeof out.format !== 'string' || STRING_FORMATS.has(out.format)) return;
  const note = `(format: ${out.format})`;
  out.description = typeof out.description === 'string' && out.description !== '' ? `${out.description} ${note}` : note;
  delete out.format;
}
