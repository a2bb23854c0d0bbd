import { anyOf, boolean, count, integer, nullable, number, object, objectWith, string, strings, tagged, whenRole, type Schema } from './shapes.js';

/** `POST /v1/chat/completions` (reference wire-formats §1). */

const contentPart = tagged({
  text: objectWith({ text: string }, ['text']),
  // `{url}` in OpenAI's shape; a bare string in Databricks' list content.
  image_url: objectWith({ image_url: anyOf(string, objectWith({ url: string }, ['url'])) }, ['image_url']),
  refusal: objectWith({ refusal: string }, ['refusal']),
});
const content = anyOf(string, { type: 'array', items: contentPart });

const toolCall = objectWith({ id: string, type: string, function: objectWith({ name: string, arguments: string }, ['name']) }, ['id', 'function']);

const message: Schema = {
  type: 'object',
  required: ['role'],
  // `function` is the legacy role; the codec refuses it by name rather than the schema.
  properties: {
    role: { enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] },
    content: anyOf(string, { type: 'array', items: contentPart }, { type: 'null' }),
    name: string,
    tool_calls: { type: 'array', items: toolCall },
    tool_call_id: string,
  },
  allOf: [
    // Only an assistant message may go without content (it may carry tool calls instead).
    whenRole(['system', 'developer', 'user', 'tool'], { required: ['content'], properties: { content } }),
    whenRole(['tool'], { required: ['tool_call_id'] }),
  ],
};

const tool = tagged({
  function: objectWith(
    { function: objectWith({ name: string, description: nullable(string), parameters: nullable(object), strict: nullable(boolean) }, ['name']) },
    ['function'],
  ),
});

export const OPENAI_CHAT_BODY: Schema = {
  type: 'object',
  required: ['messages'],
  properties: {
    model: string,
    messages: { type: 'array', minItems: 1, items: message },
    stream: nullable(boolean),
    stream_options: nullable(object),
    tools: { type: 'array', items: tool },
    tool_choice: anyOf(string, tagged({ function: objectWith({ function: objectWith({ name: string }, ['name']) }, ['function']) })),
    parallel_tool_calls: nullable(boolean),
    temperature: nullable(number),
    top_p: nullable(number),
    n: nullable(count),
    seed: nullable(integer),
    max_tokens: nullable(count),
    max_completion_tokens: nullable(count),
    stop: anyOf(string, strings, { type: 'null' }),
    response_format: tagged({}),
    reasoning_effort: nullable(string),
    metadata: nullable(object),
    user: string,
  },
};

