import { UNSIGNED_CALL_SIGNATURE } from '../../../src/dialects/gemini/contents-encode.js';
import { describe, expect, it } from 'vitest';
import { geminiUpstream } from '../../../src/dialects/gemini/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import { CONTEXT } from './support.js';

const BASE: IrRequest = { model: CONTEXT.endpoint, system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: false };

function encode(overrides: Partial<IrRequest>): Record<string, unknown> {
  return geminiUpstream.encodeRequest({ ...BASE, ...overrides }, CONTEXT);
}

describe('gemini request encoding', () => {
  it('writes a minimal request with no model in the body', () => {
    expect(encode({})).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it('hoists the system parts into systemInstruction, dropping empty ones and cache hints', () => {
    const body = encode({ system: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }, { type: 'text', text: '' }, { type: 'text', text: 'Use metric.' }] });
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Use metric.' }] });
  });

  it('replays a tool-calling conversation: gemini reasoning and signatures back, foreign reasoning dropped, results in one user turn', () => {
    const body = encode({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo and Lima?' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Claude was thinking here', signature: 'EqAnthropic', provider: 'anthropic' },
            { type: 'reasoning', text: 'Two lookups.', provider: 'gemini' },
            { type: 'text', text: '' },
            { type: 'tool_call', id: 'call_gemini_R1_0', name: 'get_weather', arguments: '{"city":"Oslo"}', signature: { provider: 'gemini', value: 'SIG1' } },
            { type: 'tool_call', id: 'toolu_01Lima', name: 'get_weather', arguments: '{"city":"Lima"}', signature: { provider: 'anthropic', value: 'nope' } },
          ],
        },
        // Chat clients send one tool message per result: the IR may hold them in separate user messages.
        { role: 'user', parts: [{ type: 'tool_result', callId: 'call_gemini_R1_0', content: [{ type: 'text', text: '{"temp":4}' }] }] },
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Also, hurry.' },
            { type: 'tool_result', callId: 'toolu_01Lima', name: 'get_weather', content: [{ type: 'text', text: 'timeout' }], isError: true },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Oslo and Lima?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Two lookups.', thought: true },
          // A minted id means nothing to Gemini and stays off the wire; the signature goes back on its call.
          { functionCall: { name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'SIG1' },
          // Another provider's signature is never sent.
          { functionCall: { name: 'get_weather', id: 'toolu_01Lima', args: { city: 'Lima' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 4 } } },
          { functionResponse: { name: 'get_weather', id: 'toolu_01Lima', response: { error: 'timeout' } } },
          { text: 'Also, hurry.' },
        ],
      },
    ]);
  });

  it('wraps results that are not JSON objects, and keeps result images beside the response', () => {
    const body = encode({
      messages: [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'shot', arguments: '{}' }, { type: 'tool_call', id: 'c2', name: 'count', arguments: 'not json' }] },
        {
          role: 'user',
          parts: [
            { type: 'tool_result', callId: 'c1', content: [{ type: 'text', text: 'see image' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } }] },
            { type: 'tool_result', callId: 'c2', content: [{ type: 'text', text: '[1,2]' }] },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: 'model',
        parts: [{ functionCall: { name: 'shot', id: 'c1', args: {} }, thoughtSignature: UNSIGNED_CALL_SIGNATURE }, { functionCall: { name: 'count', id: 'c2', args: {} } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'shot', id: 'c1', response: { result: 'see image' } } },
          { functionResponse: { name: 'count', id: 'c2', response: { result: '[1,2]' } } },
          { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
        ],
      },
    ]);
  });

  it('inlines base64 and data-URL images, refers to gs:// files, and names other URLs in a placeholder', () => {
    const body = encode({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4A' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGR' } },
            { type: 'image', source: { kind: 'url', url: 'gs://bucket/cat.PNG' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/dog.jpg' } },
          ],
        },
      ],
    });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/jpeg', data: '/9j/4A' } },
          { inlineData: { mimeType: 'image/webp', data: 'UklGR' } },
          { fileData: { mimeType: 'image/png', fileUri: 'gs://bucket/cat.PNG' } },
          { text: '[image not attached: https://example.com/dog.jpg]' },
        ],
      },
    ]);
  });

  it('sends a signature that came with no thought text back as the empty part it came on', () => {
    const body = encode({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Hello.' }, { type: 'reasoning', text: '', signature: 'SIGt', provider: 'gemini' }, { type: 'reasoning', text: '', provider: 'gemini' }] },
        { role: 'assistant', parts: [{ type: 'reasoning', text: 'only openai', provider: 'openai', signature: 'enc' }] },
        { role: 'user', parts: [{ type: 'text', text: 'again' }] },
      ],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ text: 'Hello.' }, { text: '', thoughtSignature: 'SIGt' }] },
      { role: 'user', parts: [{ text: 'again' }] },
    ]);
  });

  it('declares tools in Gemini schema dialect, and maps tool_choice', () => {
    const tools: IrRequest['tools'] = [
      {
        name: 'edit',
        description: 'Edit a file',
        strict: true,
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          additionalProperties: false,
          properties: { path: { type: 'string', format: 'uri' }, mode: { type: ['string', 'null'], enum: ['a', 'b'] } },
          required: ['path'],
        },
      },
      { name: 'now', parameters: { type: 'object', properties: {} } },
    ];
    const body = encode({ tools, toolChoice: { type: 'tool', name: 'edit' }, parallelToolCalls: false });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'edit',
            description: 'Edit a file',
            parameters: {
              type: 'object',
              properties: { path: { type: 'string', description: '(format: uri)' }, mode: { type: 'string', nullable: true, enum: ['a', 'b'] } },
              required: ['path'],
            },
          },
          { name: 'now' },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['edit'] } });
    expect(encode({ tools, toolChoice: { type: 'none' } }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(encode({ tools }).toolConfig).toBeUndefined();
    // No tools: no tool settings at all.
    expect(encode({ toolChoice: { type: 'required' } })).not.toHaveProperty('toolConfig');
  });

  it('writes generationConfig: sampling, stops, JSON output and thinking', () => {
    const body = encode({
      maxOutputTokens: 2048,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object', properties: { a: { type: 'number' } } }, strict: true },
      reasoning: { effort: 'medium', summary: true },
      user: 'someone',
      includeUsage: true,
    });
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 2048,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { a: { type: 'number' } } },
      thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
    });
    expect(Object.keys(body).sort()).toEqual(['contents', 'generationConfig']);
    expect(encode({ responseFormat: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(encode({ reasoning: { budgetTokens: 3000, effort: 'high' } }).generationConfig).toEqual({ thinkingConfig: { includeThoughts: true, thinkingBudget: 3000 } });
    expect(encode({ reasoning: { effort: 'low', summary: false } }).generationConfig).toEqual({ thinkingConfig: { includeThoughts: false, thinkingBudget: 1024 } });
  });
});
