/**
 * tool-schema-object
 *
 * Fixes:    Databricks refuses a tool whose JSON schema has no explicit
 *           `type: "object"` (all families, both surfaces); such a schema gets
 *           `type: "object"` in every dialect's tool shape: chat
 *           `tools[].function.parameters`, Responses `tools[].parameters`,
 *           Anthropic `tools[].input_schema`, Gemini
 *           `tools[].functionDeclarations[].parameters` (or `parametersJsonSchema`).
 * Source:   seed PR `databricksFetch` (github.com/anomalyco/opencode/pull/26510,
 *           lineage #26255); databricks.md §5.2 "Tool schema". The seed PR
 *           patches only chat's shape; the rule is documented for all three
 *           families, so every shape is patched [inference].
 * Applies:  every upstream dialect, surface and family.
 * Emulator: always-on rule `tool-schema-type-object` (every dialect's `parse`).
 *
 * Only a schema object with no `type` is changed. A missing schema is left
 * alone (the reference speaks of schemas without a type; whether Databricks
 * refuses a tool with no schema at all is not documented), and so is a schema
 * with another type (adding a second one would change its meaning).
 */
import type { Repair } from '../types.js';
import { FUNCTION_TOOLS } from './function-tools.js';
import { isRecord, type JsonObject } from '../../dialects/common/json.js';

export const toolSchemaObject: Repair = {
  id: 'tool-schema-object',
  summary: 'A tool schema without `type: "object"` is refused; it gets one.',
  source: 'seed PR databricksFetch (anomalyco/opencode#26510, #26255); databricks.md §5.2',
  quirk: 'tool-schema-type-object',
  appliesTo: { upstream: ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'] },
  request(body, context) {
    const tools = FUNCTION_TOOLS[context.upstream];
    // Gemini's `parameters` is an OpenAPI-style Schema with upper-case types; every other key holds JSON Schema.
    const upperCase = context.upstream === 'gemini';
    const untyped = (declaration: JsonObject): string | undefined =>
      tools.schemaKeys.find((key) => isRecord(declaration[key]) && (declaration[key] as JsonObject).type === undefined);
    if (!tools.list(body).some((declaration) => untyped(declaration) !== undefined)) return;
    tools.rewrite(body, (declaration) => {
      const key = untyped(declaration);
      if (key === undefined) return declaration;
      const type = upperCase && key === 'parameters' ? 'OBJECT' : 'object';
      return { ...declaration, [key]: { type, ...(declaration[key] as JsonObject) } };
    });
  },
  probe: {
    provoke(body, route) {
      body.tools = [FUNCTION_TOOLS[route.upstream].entry('probe_tool', { properties: {} })];
      return true;
    },
  },
};
