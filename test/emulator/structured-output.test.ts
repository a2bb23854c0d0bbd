import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../src/emulator/catalog.js';
import { EMULATOR_DIALECTS } from '../../src/emulator/dialects/index.js';
import { runModel } from '../../src/emulator/model.js';
import type { RenderContext } from '../../src/emulator/types.js';

/**
 * Structured output in the emulator: each dialect reads the requested schema
 * from its own field, and the scripted model answers JSON made from it.
 */
const SCHEMA = { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array' }, score: { type: 'number' } }, required: ['name', 'score'] };

function context(name: string): RenderContext {
  const endpoint = defaultCatalog().find((candidate) => candidate.name === name);
  if (!endpoint) throw new Error(`no ${name}`);
  return { endpoint, quirks: new Set() };
}

const CASES = [
  {
    dialect: 'openai-chat',
    endpoint: 'databricks-meta-llama-3-3-70b-instruct',
    body: (format: unknown) => ({ model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'hi' }], ...(format ? { response_format: format } : {}) }),
    schema: { type: 'json_schema', json_schema: { name: 'n', schema: SCHEMA } },
    object: { type: 'json_object' },
  },
  {
    dialect: 'openai-responses',
    endpoint: 'databricks-gpt-5-2',
    body: (format: unknown) => ({ model: 'databricks-gpt-5-2', input: 'hi', ...(format ? { text: { format } } : {}) }),
    schema: { type: 'json_schema', name: 'n', schema: SCHEMA },
    object: { type: 'json_object' },
  },
  {
    dialect: 'gemini',
    endpoint: 'databricks-gemini-2-5-pro',
    body: (format: unknown) => ({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], ...(format ? { generationConfig: format } : {}) }),
    schema: { responseMimeType: 'application/json', responseJsonSchema: SCHEMA },
    object: { response_mime_type: 'application/json' },
  },
] as const;

describe.each(CASES)('$dialect', ({ dialect, endpoint, body, schema, object }) => {
  const answer = (format: unknown): string => {
    const at = context(endpoint);
    const script = runModel(EMULATOR_DIALECTS[dialect].parse(body(format), at), at.endpoint);
    return script.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  };

  it('a schema: the answer is JSON with its required properties, by type', () => {
    expect(JSON.parse(answer(schema))).toEqual({ name: 'example', score: 1 });
  });

  it('any JSON object: an object', () => {
    expect(JSON.parse(answer(object))).toEqual({});
  });

  it('no format: plain text', () => {
    expect(answer(undefined)).toBe('You said: hi');
  });
});

it("Gemini's OpenAPI-style responseSchema (upper-case types) is read too", () => {
  const at = context('databricks-gemini-2-5-pro');
  const conversation = EMULATOR_DIALECTS.gemini.parse(
    { contents: [{ parts: [{ text: 'hi' }] }], generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { ok: { type: 'BOOLEAN' } } } } },
    at,
  );
  expect(conversation.responseSchema).toEqual({ type: 'object', properties: { ok: { type: 'boolean' } } });
});
