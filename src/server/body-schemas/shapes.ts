/**
 * Building blocks of the inbound body schemas (plain JSON Schema, compiled
 * once by Fastify's ajv when the app starts). Every sub-schema states its
 * `type`, as ajv's strict mode expects.
 */

export type Schema = Record<string, unknown>;

export const string: Schema = { type: 'string' };
export const boolean: Schema = { type: 'boolean' };
export const number: Schema = { type: 'number' };
export const integer: Schema = { type: 'integer' };
export const object: Schema = { type: 'object' };
export const array: Schema = { type: 'array' };
export const strings: Schema = { type: 'array', items: string };

/** The same scalar type, or null (OpenAI's SDK types declare most optional request fields `T | null`). */
export function nullable(schema: Schema): Schema {
  return { ...schema, type: [schema.type, 'null'] };
}

/**
 * A token count or similar: a positive integer a JSON number carries exactly.
 * The reference gives no ceiling (each model has its own, which the upstream
 * judges); past 2^53 a number no longer survives re-serialisation, so it
 * would reach the upstream as a different number.
 */
export const count: Schema = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER };

export function anyOf(...schemas: Schema[]): Schema {
  return { anyOf: schemas };
}

export function objectWith(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', required, properties };
}

/** `then` applies to an object whose `type` field is `name` (a discriminated union member). */
export function whenType(name: string, then: Schema): Schema {
  return { if: { type: 'object', required: ['type'], properties: { type: { const: name } } }, then: { type: 'object', ...then } };
}

/** `then` applies to an object whose `role` field is one of `roles`. */
export function whenRole(roles: string[], then: Schema): Schema {
  return { if: { type: 'object', required: ['role'], properties: { role: { enum: roles } } }, then: { type: 'object', ...then } };
}

/**
 * An object tagged by a string `type`, with the shape of each known type.
 * Types not listed pass (providers add block and tool types often; the
 * upstream judges those).
 */
export function tagged(cases: Record<string, Schema>, properties: Record<string, Schema> = {}): Schema {
  const shapes = Object.entries(cases).map(([name, then]) => whenType(name, then));
  return { type: 'object', required: ['type'], properties: { type: string, ...properties }, ...(shapes.length > 0 ? { allOf: shapes } : {}) };
}
