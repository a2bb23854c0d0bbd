import type { Dialect } from '../../dialects/dialect.js';
import { isRecord, records, stringOr, type JsonObject } from '../../dialects/common/json.js';
import { keyOf } from './key-of.js';

/**
 * Where each upstream dialect keeps its function tools, so the tool repairs
 * (schema type, cap, hosted tools) are written once for the four shapes
 * (reference wire-formats §5.2):
 * - chat: `tools[] = {type: "function", function: {name, parameters}}`;
 * - Responses: flat `tools[] = {type: "function", name, parameters}`;
 * - Anthropic: `tools[] = {name, input_schema}` (custom tools; typed entries are Anthropic-defined tools);
 * - Gemini: `tools[] = {functionDeclarations: [{name, parameters | parametersJsonSchema}]}`,
 *   snake_case spellings accepted as Gemini does.
 * A "declaration" is the object that holds a function tool's name and schema.
 * Rewrites build new arrays and objects: the client's body is never changed in
 * place, so a second attempt on another surface starts from what the client sent.
 */
export interface FunctionTools {
  /** The keys a declaration may hold its JSON schema under, preferred first. */
  schemaKeys: readonly string[];
  /** The function declarations, in request order. */
  list(body: JsonObject): JsonObject[];
  /**
   * Rebuilds `tools` with `change` applied to each declaration (in list order);
   * `undefined` drops the declaration. Other entries stay as they are.
   */
  rewrite(body: JsonObject, change: (declaration: JsonObject, index: number) => JsonObject | undefined): void;
  /** Names of the tools the conversation already called, oldest first. */
  calledNames(body: JsonObject): string[];
  /** Names the tool choice forces or restricts the model to. */
  choiceNames(body: JsonObject): string[];
  /** A `tools` entry declaring one function (what probes build their requests from). */
  entry(name: string, schema: JsonObject): JsonObject;
}

const nameOf = (declaration: JsonObject): string | undefined => stringOr(declaration.name);
const defined = (names: (string | undefined)[]): string[] => names.filter((name): name is string => name !== undefined);

/** Flat lists (chat, Responses, Anthropic): `declarationOf` finds the declaration inside a tool entry, `wrap` puts a new one back. */
function flatList(declarationOf: (tool: JsonObject) => JsonObject | undefined, wrap: (tool: JsonObject, declaration: JsonObject) => JsonObject) {
  return {
    list: (body: JsonObject): JsonObject[] =>
      records(body.tools).flatMap((tool) => {
        const declaration = declarationOf(tool);
        return declaration ? [declaration] : [];
      }),
    rewrite(body: JsonObject, change: (declaration: JsonObject, index: number) => JsonObject | undefined): void {
      if (!Array.isArray(body.tools)) return;
      let index = 0;
      body.tools = body.tools.flatMap((tool: unknown) => {
        const declaration = isRecord(tool) ? declarationOf(tool) : undefined;
        if (!isRecord(tool) || !declaration) return [tool];
        const next = change(declaration, index++);
        return next ? [wrap(tool, next)] : [];
      });
    },
  };
}

const chat: FunctionTools = {
  schemaKeys: ['parameters'],
  ...flatList(
    (tool) => (tool.type === 'function' && isRecord(tool.function) ? tool.function : undefined),
    (tool, declaration) => ({ ...tool, function: declaration }),
  ),
  calledNames: (body) =>
    defined(records(body.messages).flatMap((message) => records(message.tool_calls).map((call) => (isRecord(call.function) ? stringOr(call.function.name) : undefined)))),
  choiceNames: (body) => {
    const choice = body.tool_choice;
    return isRecord(choice) && isRecord(choice.function) ? defined([stringOr(choice.function.name)]) : [];
  },
  entry: (name, schema) => ({ type: 'function', function: { name, parameters: schema } }),
};

const responses: FunctionTools = {
  schemaKeys: ['parameters'],
  ...flatList(
    (tool) => (tool.type === 'function' ? tool : undefined),
    (_tool, declaration) => declaration,
  ),
  calledNames: (body) => defined(records(body.input).filter((item) => item.type === 'function_call').map(nameOf)),
  choiceNames: (body) => {
    const choice = body.tool_choice;
    return isRecord(choice) && choice.type === 'function' ? defined([nameOf(choice)]) : [];
  },
  entry: (name, schema) => ({ type: 'function', name, parameters: schema }),
};

const anthropic: FunctionTools = {
  schemaKeys: ['input_schema'],
  ...flatList(
    // A custom tool has no `type` or `type: "custom"`; other types are Anthropic's own tools.
    (tool) => (tool.type === undefined || tool.type === 'custom' ? tool : undefined),
    (_tool, declaration) => declaration,
  ),
  calledNames: (body) =>
    defined(records(body.messages).flatMap((message) => records(message.content).filter((block) => block.type === 'tool_use').map(nameOf))),
  choiceNames: (body) => {
    const choice = body.tool_choice;
    return isRecord(choice) && choice.type === 'tool' ? defined([nameOf(choice)]) : [];
  },
  entry: (name, schema) => ({ name, input_schema: schema }),
};

const GEMINI_DECLARATIONS = ['functionDeclarations', 'function_declarations'] as const;

const gemini: FunctionTools = {
  schemaKeys: ['parameters', 'parametersJsonSchema', 'parameters_json_schema'],
  list: (body) =>
    records(body.tools).flatMap((tool) => {
      const key = keyOf(tool, GEMINI_DECLARATIONS);
      return key ? records(tool[key]) : [];
    }),
  rewrite(body, change) {
    if (!Array.isArray(body.tools)) return;
    let index = 0;
    body.tools = body.tools.flatMap((tool: unknown) => {
      const key = isRecord(tool) ? keyOf(tool, GEMINI_DECLARATIONS) : undefined;
      if (!isRecord(tool) || !key || !Array.isArray(tool[key])) return [tool];
      const declarations = (tool[key] as unknown[]).flatMap((declaration) => {
        if (!isRecord(declaration)) return [declaration];
        return change(declaration, index++) ?? [];
      });
      // A tool entry left with no declaration and nothing else is dropped rather than sent empty.
      if (declarations.length === 0 && Object.keys(tool).length === 1) return [];
      return [{ ...tool, [key]: declarations }];
    });
  },
  calledNames: (body) =>
    defined(
      records(body.contents).flatMap((content) =>
        records(content.parts).map((part) => {
          const call = part.functionCall ?? part.function_call;
          return isRecord(call) ? nameOf(call) : undefined;
        }),
      ),
    ),
  choiceNames: (body) => {
    const config = body.toolConfig ?? body.tool_config;
    const calling = isRecord(config) ? (config.functionCallingConfig ?? config.function_calling_config) : undefined;
    const names = isRecord(calling) ? (calling.allowedFunctionNames ?? calling.allowed_function_names) : undefined;
    return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [];
  },
  // Gemini's `parameters` is its OpenAPI-style Schema, whose types are upper-case enums.
  entry: (name, schema) => ({
    functionDeclarations: [{ name, parameters: typeof schema.type === 'string' ? { ...schema, type: schema.type.toUpperCase() } : schema }],
  }),
};

export const FUNCTION_TOOLS: Record<Dialect, FunctionTools> = {
  'openai-chat': chat,
  'openai-responses': responses,
  'anthropic-messages': anthropic,
  gemini,
};
