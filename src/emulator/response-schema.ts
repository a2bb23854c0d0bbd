/**
 * The JSON schema a request asks its answer to follow (structured output),
 * read from each dialect's own field; the scripted model then answers with
 * JSON made from it (model.ts). Formats the emulator does not know read as
 * plain text. For `json_object` (any object) the schema is an open object.
 *
 * Anthropic's `output_config.format` is not read: Databricks accepts
 * `output_config` only on opus-5-5, and the reference is silent on whether
 * it takes a format there.
 */
type Json = Record<string, unknown>;

const OPEN_OBJECT: Json = { type: 'object' };

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OpenAI format object; `schemaOf` says where its schema sits (chat nests it, Responses does not). */
function openAiFormat(format: unknown, schemaOf: (format: Json) => unknown): Json | undefined {
  if (!isJson(format)) return undefined;
  if (format.type === 'json_object') return OPEN_OBJECT;
  if (format.type !== 'json_schema') return undefined;
  const schema = schemaOf(format);
  return isJson(schema) ? schema : OPEN_OBJECT;
}

/** Chat: `response_format: {type: 'json_schema', json_schema: {name, schema}}` or `{type: 'json_object'}`. */
export function chatResponseSchema(responseFormat: unknown): Json | undefined {
  return openAiFormat(responseFormat, (format) => (isJson(format.json_schema) ? format.json_schema.schema : undefined));
}

/** Responses: `text: {format: {type: 'json_schema', name, schema}}` or `{format: {type: 'json_object'}}`. */
export function responsesResponseSchema(text: unknown): Json | undefined {
  return isJson(text) ? openAiFormat(text.format, (format) => format.schema) : undefined;
}

/**
 * Gemini (generationConfig already camelCased): `responseMimeType:
 * 'application/json'` with `responseJsonSchema` (JSON Schema) or
 * `responseSchema` (Google's OpenAPI subset, whose upper-case type names the
 * model reads as lower-case).
 */
export function geminiResponseSchema(config: Json): Json | undefined {
  if (config.responseMimeType !== 'application/json') return undefined;
  if (isJson(config.responseJsonSchema)) return config.responseJsonSchema;
  return isJson(config.responseSchema) ? (lowerCaseTypes(config.responseSchema) as Json) : OPEN_OBJECT;
}

function lowerCaseTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCaseTypes);
  if (!isJson(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [key, key === 'type' && typeof entry === 'string' ? entry.toLowerCase() : lowerCaseTypes(entry)]),
  );
}
