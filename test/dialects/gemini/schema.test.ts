import { describe, expect, it } from 'vitest';
import { geminiParameters } from '../../../src/dialects/gemini/schema.js';

describe('tool schemas in Gemini\'s dialect', () => {
  it('strips keywords Gemini refuses, at every depth, and keeps what it takes', () => {
    expect(
      geminiParameters({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        strict: true,
        additionalProperties: false,
        properties: {
          // A property may be named like a keyword: names are data, never stripped.
          additionalProperties: { type: 'boolean' },
          items: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', additionalProperties: { type: 'string' }, properties: { id: { type: 'integer', minimum: 0, exclusiveMinimum: 0 } } },
          },
          when: { type: 'string', format: 'date-time', title: 'When' },
        },
        required: ['items'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        additionalProperties: { type: 'boolean' },
        items: { type: 'array', minItems: 1, items: { type: 'object', properties: { id: { type: 'integer', minimum: 0 } } } },
        when: { type: 'string', format: 'date-time', title: 'When' },
      },
      required: ['items'],
    });
  });

  it('inlines local $refs, turns oneOf into anyOf, merges allOf, and a string const into an enum', () => {
    expect(
      geminiParameters({
        type: 'object',
        $defs: { Point: { type: 'object', properties: { x: { type: 'number' } } } },
        properties: {
          at: { $ref: '#/$defs/Point', description: 'where' },
          shape: { oneOf: [{ const: 'circle' }, { type: 'string', enum: ['square'] }] },
          both: { allOf: [{ properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'string' } }, required: ['b'] }] },
          level: { type: 'integer', enum: [1, 2] },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        at: { type: 'object', description: 'where', properties: { x: { type: 'number' } } },
        shape: { anyOf: [{ enum: ['circle'] }, { type: 'string', enum: ['square'] }] },
        both: { properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a', 'b'] },
        // Gemini enums are strings only: a numeric enum cannot be said.
        level: { type: 'integer' },
      },
    });
  });

  it('cuts recursive references instead of looping', () => {
    const schema = { type: 'object', properties: { node: { $ref: '#' } } };
    const out = geminiParameters(schema);
    expect(JSON.stringify(out).length).toBeLessThan(2000);
    expect(out?.type).toBe('object');
  });

  it('adds the object type when missing, and gives no parameters to a function without arguments', () => {
    expect(geminiParameters({ properties: { q: { type: 'string' } } })).toEqual({ type: 'object', properties: { q: { type: 'string' } } });
    expect(geminiParameters({ type: 'object', properties: {}, additionalProperties: false })).toBeUndefined();
    expect(geminiParameters({})).toBeUndefined();
  });
});
