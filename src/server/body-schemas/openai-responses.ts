import { anyOf, array, boolean, count, nullable, number, object, objectWith, string, strings, tagged, type Schema } from './shapes.js';

/** `POST /v1/responses` (reference wire-formats §2). */

const text = objectWith({ text: string }, ['text']);
const contentPart = tagged({
  input_text: text,
  output_text: text,
  input_image: objectWith({ image_url: nullable(string), file_id: nullable(string), detail: string }),
  refusal: objectWith({ refusal: string }, ['refusal']),
});

const message = objectWith(
  { role: { enum: ['user', 'assistant', 'system', 'developer'] }, content: anyOf(string, { type: 'array', items: contentPart }) },
  ['role', 'content'],
);

/**
 * An input item: a message (with or without `type: "message"`), a function
 * call, its output, or replayed reasoning. Other item types (hosted tool
 * calls, item references) pass to the upstream as they are.
 */
const inputItem: Schema = {
  type: 'object',
  properties: { type: string },
  allOf: [
    { if: { type: 'object', not: { required: ['type'] } }, then: message },
    ...Object.entries({
      message,
      function_call: objectWith({ call_id: string, name: string, arguments: string }, ['call_id', 'name', 'arguments']),
      function_call_output: objectWith({ call_id: string, output: anyOf(string, array) }, ['call_id', 'output']),
      reasoning: objectWith({ summary: array, encrypted_content: nullable(string) }),
    }).map(([name, then]) => ({ if: { type: 'object', required: ['type'], properties: { type: { const: name } } }, then })),
  ],
};

/** Function tools are flat here (`{type, name, parameters}`), unlike Chat's. */
const tool = tagged({
  function: objectWith({ name: string, description: nullable(string), parameters: nullable(object), strict: nullable(boolean) }, ['name']),
});

export const OPENAI_RESPONSES_BODY: Schema = {
  type: 'object',
  required: ['input'],
  properties: {
    model: string,
    input: anyOf(string, { type: 'array', items: inputItem }),
    instructions: nullable(string),
    stream: nullable(boolean),
    tools: { type: 'array', items: tool },
    tool_choice: anyOf(string, tagged({ function: objectWith({ name: string }, ['name']) })),
    parallel_tool_calls: nullable(boolean),
    temperature: nullable(number),
    top_p: nullable(number),
    max_output_tokens: nullable(count),
    reasoning: nullable(object),
    text: object,
    include: nullable(strings),
    store: nullable(boolean),
    previous_response_id: nullable(string),
    metadata: nullable(object),
  },
};
