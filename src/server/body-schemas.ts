import type { InboundDialect } from '../dialects/dialect.js';

/**
 * Just enough of each inbound body's shape to act on it. Fastify compiles
 * these once at start (ajv), so a malformed request is refused before any
 * upstream work, in the client's own error dialect. Fields the proxy does not
 * read are left to the upstream to judge.
 */
const message = { type: 'object', required: ['role'], properties: { role: { type: 'string' } } };
const stringOrArray = { anyOf: [{ type: 'string' }, { type: 'array' }] };
const common = {
  model: { type: 'string' },
  stream: { type: 'boolean' },
  tools: { type: 'array', items: { type: 'object' } },
  temperature: { type: 'number' },
  top_p: { type: 'number' },
  metadata: { type: 'object' },
};

export const BODY_SCHEMAS: Record<InboundDialect, object> = {
  'openai-chat': {
    type: 'object',
    required: ['messages'],
    properties: {
      ...common,
      messages: { type: 'array', minItems: 1, items: message },
      max_tokens: { type: 'integer', minimum: 1 },
      max_completion_tokens: { type: 'integer', minimum: 1 },
      n: { type: 'integer', minimum: 1 },
      stream_options: { type: 'object' },
    },
  },
  'openai-responses': {
    type: 'object',
    required: ['input'],
    properties: {
      ...common,
      input: stringOrArray,
      instructions: { type: ['string', 'null'] },
      max_output_tokens: { type: 'integer', minimum: 1 },
      reasoning: { type: 'object' },
    },
  },
  'anthropic-messages': {
    type: 'object',
    required: ['messages', 'max_tokens'],
    properties: {
      ...common,
      messages: {
        type: 'array',
        minItems: 1,
        items: { ...message, properties: { role: { enum: ['user', 'assistant'] }, content: stringOrArray } },
      },
      max_tokens: { type: 'integer', minimum: 1 },
      system: stringOrArray,
      thinking: { type: 'object' },
    },
  },
};
