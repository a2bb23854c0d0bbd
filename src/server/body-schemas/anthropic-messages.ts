import { anyOf, boolean, count, integer, number, object, objectWith, string, strings, tagged, whenRole, whenType, type Schema } from './shapes.js';

/** `POST /v1/messages` (reference wire-formats §3). */

const text = objectWith({ text: string }, ['text']);
const withSource = objectWith({ source: object }, ['source']);

/** Blocks that may sit inside a tool result. */
const resultBlock = tagged({ text, image: withSource, document: withSource });

const block = tagged({
  text,
  image: withSource,
  document: withSource,
  tool_use: objectWith({ id: string, name: string, input: object }, ['id', 'name', 'input']),
  tool_result: objectWith({ tool_use_id: string, content: anyOf(string, { type: 'array', items: resultBlock }), is_error: boolean }, ['tool_use_id']),
  thinking: objectWith({ thinking: string, signature: string }, ['thinking', 'signature']),
  redacted_thinking: objectWith({ data: string }, ['data']),
});

/**
 * `system` messages in the conversation (Claude Code sends them to GPT, Gemini
 * and Opus-tier models) carry text only, as the top-level `system` does: the
 * codec hoists them into the system prompt, and on the native passthrough the
 * `system-messages` repair does the same before Databricks sees them.
 */
const systemText = objectWith({ type: { const: 'text' }, text: string }, ['type', 'text']);
const message: Schema = {
  ...objectWith({ role: { enum: ['user', 'assistant', 'system'] }, content: anyOf(string, { type: 'array', items: block }) }, ['role', 'content']),
  allOf: [whenRole(['system'], objectWith({ content: anyOf(string, { type: 'array', items: systemText }) }))],
};

/** A custom tool (no `type`, or `custom`) needs an input schema; server tools (versioned `type`) do not. */
const tool: Schema = {
  type: 'object',
  required: ['name'],
  properties: { name: string, type: string, description: string, input_schema: object },
  allOf: [
    { if: { type: 'object', not: { required: ['type'] } }, then: { type: 'object', required: ['input_schema'] } },
    { if: { type: 'object', required: ['type'], properties: { type: { const: 'custom' } } }, then: { type: 'object', required: ['input_schema'] } },
  ],
};

const toolChoice: Schema = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: ['auto', 'any', 'none', 'tool'] }, name: string, disable_parallel_tool_use: boolean },
  allOf: [whenType('tool', objectWith({ name: string }, ['name']))],
};

export const ANTHROPIC_MESSAGES_BODY: Schema = {
  type: 'object',
  required: ['messages', 'max_tokens'],
  properties: {
    model: string,
    messages: { type: 'array', minItems: 1, items: message },
    max_tokens: count,
    system: anyOf(string, { type: 'array', items: tagged({ text }) }),
    stream: boolean,
    tools: { type: 'array', items: tool },
    tool_choice: toolChoice,
    thinking: tagged({ enabled: objectWith({ budget_tokens: count }, ['budget_tokens']) }, { budget_tokens: count }),
    stop_sequences: strings,
    temperature: number,
    top_p: number,
    top_k: integer,
    metadata: object,
  },
};
