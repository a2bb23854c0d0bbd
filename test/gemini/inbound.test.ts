import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY } from '../helpers/secrets.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * The Gemini API inbound: Google's paths and framings, the passthrough to
 * Gemini models (the body reaches Databricks as Google's, nothing added),
 * translation to the other families, errors in Google's shape, and bodies
 * refused before anything goes upstream.
 */
const GEMINI = 'databricks-gemini-3-pro';
const CLAUDE = 'databricks-claude-sonnet-4-6';
const GPT = 'databricks-gpt-5-2';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { upstream: { maxAttempts: 1 } } });
});
afterAll(() => stack.close());

const inference = () => stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc'));

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-goog-api-key': CLIENT_KEY, ...headers }, body: JSON.stringify(body) });
}

const hello = { contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] };

describe('passthrough to a Gemini model', () => {
  it('sends Google\'s body as the client wrote it, without the model, the stream flag or the client key', async () => {
    stack.emulator.clearTranscript();
    const answer = await post(`/v1beta/models/${GEMINI}:generateContent?key=${CLIENT_KEY}`, { ...hello, generationConfig: { temperature: 0.5 } });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { candidates: { content: { parts: { text?: string }[] } }[] };
    expect(body.candidates[0]?.content.parts.map((part) => part.text).join('')).toContain('hello there');
    const [upstream] = inference();
    expect(upstream?.path).toMatch(new RegExp(`/v1beta/models/${GEMINI}:generateContent$`));
    expect(upstream?.body).toEqual({ ...hello, generationConfig: { temperature: 0.5 } });
    expect(upstream?.headers['x-goog-api-key']).toBeUndefined();
    expect(upstream?.query.key).toBeUndefined();
    expect(stack.logs.lines.join('\n')).not.toContain(CLIENT_KEY);
  });

  it('takes Google\'s snake_case field names, leaving the client\'s own data alone', async () => {
    stack.emulator.clearTranscript();
    const answer = await post(`/v1beta/models/${CLAUDE}:generateContent`, {
      system_instruction: { parts: [{ text: 'be brief' }] },
      contents: [{ role: 'user', parts: [{ text: 'look' }, { inline_data: { mime_type: 'image/png', data: 'iVBORw0KGgo=' } }] }],
      tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }] }],
      generation_config: { max_output_tokens: 77 },
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
    expect(inference()[0]?.body).toMatchObject({
      system: [{ text: 'be brief' }],
      max_tokens: 77,
      tools: [{ name: 'f', input_schema: { properties: { file_path: { type: 'string' } } } }],
      messages: [{ content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png' } }] }],
    });
  });

  it('takes the model with a models/ prefix, under /v1 too', async () => {
    const answer = await post(`/v1/models/models/${GEMINI}:generateContent`, hello);
    expect(answer.status).toBe(200);
  });

  it('streams a JSON array without alt=sse', async () => {
    const answer = await post(`/v1beta/models/${GEMINI}:streamGenerateContent`, hello);
    expect(answer.headers.get('content-type')).toContain('application/json');
    const chunks = JSON.parse(await answer.text()) as { candidates?: { content?: { parts?: { text?: string }[] }; finishReason?: string }[] }[];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []).map((part) => part.text ?? '').join('')).toContain('hello there');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason ?? chunks.at(-2)?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('translated streams use the JSON array too', async () => {
    const answer = await post(`/v1beta/models/${CLAUDE}:streamGenerateContent`, hello);
    const chunks = JSON.parse(await answer.text()) as { candidates?: { finishReason?: string }[] }[];
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
  });
});

describe('translation', () => {
  it('carries system, tools, calling mode, sampling, stops and thinking to Claude', async () => {
    stack.emulator.clearTranscript();
    const answer = await post(`/v1beta/models/${CLAUDE}:generateContent`, {
      ...hello,
      systemInstruction: { parts: [{ text: 'be brief' }] },
      tools: [{ functionDeclarations: [{ name: 'read_file', description: 'Read', parameters: { type: 'OBJECT', properties: { path: { type: 'STRING', nullable: true } }, required: ['path'] } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['read_file'] } },
      generationConfig: { maxOutputTokens: 3000, temperature: 0.3, topK: 20, stopSequences: ['END'] },
    });
    expect(answer.status).toBe(200);
    const body = inference()[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: CLAUDE,
      system: [{ type: 'text', text: 'be brief' }],
      tools: [{ name: 'read_file', input_schema: { type: 'object', properties: { path: { type: ['string', 'null'] } }, required: ['path'] } }],
      tool_choice: { type: 'tool', name: 'read_file' },
      max_tokens: 3000,
      temperature: 0.3,
      top_k: 20,
      stop_sequences: ['END'],
    });
  });

  it('carries the thinking level and JSON output to GPT', async () => {
    stack.emulator.clearTranscript();
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const answer = await post(`/v1beta/models/${GPT}:generateContent`, {
      ...hello,
      generationConfig: { thinkingConfig: { thinkingLevel: 'LOW', includeThoughts: true }, responseMimeType: 'application/json', responseJsonSchema: schema },
    });
    expect(answer.status).toBe(200);
    expect(inference()[0]?.body).toMatchObject({ reasoning: { effort: 'low' }, text: { format: { type: 'json_schema', schema } } });
  });
});

describe('a whole upstream answer streamed to a Gemini client', () => {
  it('structured output on a chat model (which cannot stream it) still arrives as Google\'s stream', async () => {
    const answer = await post('/v1beta/models/databricks-meta-llama-3-3-70b-instruct:streamGenerateContent?alt=sse', {
      ...hello,
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
    });
    expect(answer.headers.get('content-type')).toContain('text/event-stream');
    const chunks = (await answer.text()).split('\n\n').filter(Boolean).map((frame) => JSON.parse(frame.replace(/^data: /, '')) as { candidates?: { content: { parts: { text?: string }[] }; finishReason?: string }[] });
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    const text = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content.parts ?? []).map((part) => part.text ?? '').join('');
    expect(JSON.parse(text)).toHaveProperty('city');
  });
});

describe('errors in Google\'s shape', () => {
  afterEach(() => stack.emulator.setFaults([]));

  it('an unknown model is NOT_FOUND', async () => {
    const answer = await post('/v1beta/models/databricks-gemini-9:generateContent', hello);
    expect(answer.status).toBe(404);
    const body = (await answer.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    expect(body.error.message).toContain('databricks-gemini-9');
  });

  it('a throttled upstream is RESOURCE_EXHAUSTED with its retry delay', async () => {
    stack.emulator.setFaults(['rate-limit*1']);
    const answer = await post(`/v1beta/models/${CLAUDE}:generateContent`, hello);
    expect(answer.status).toBe(429);
    const body = (await answer.json()) as { error: { status: string; details?: { '@type': string; retryDelay?: string }[] } };
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details?.find((detail) => detail['@type'].endsWith('RetryInfo'))?.retryDelay).toMatch(/^\d+s$/);
  });

  it.each([GEMINI, CLAUDE])('a stream cut mid-way ends with an error chunk the SDK raises (%s)', async (model) => {
    stack.emulator.setFaults(['disconnect-mid-stream*1']);
    const client = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: stack.proxy.url, apiVersion: 'v1beta' } });
    const read = async () => {
      for await (const _chunk of await client.models.generateContentStream({ model, contents: 'tell me a long story about a lighthouse keeper' })) void _chunk;
    };
    const error = await read().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBeGreaterThanOrEqual(500);
  });
});

describe('bad input never reaches the upstream', () => {
  it.each([
    ['contents not an array', { contents: { role: 'user' } }, 'contents'],
    ['a part with no known field', { contents: [{ role: 'user', parts: [{ colour: 'red' }] }] }, 'contents.0.parts.0'],
    ['a schema that is not an object', { ...hello, tools: [{ functionDeclarations: [{ name: 'f', parameters: 'object' }] }] }, 'tools.0.functionDeclarations.0.parameters'],
    ['a body that is not an object', [1, 2], undefined],
  ])('%s: 400 INVALID_ARGUMENT', async (_name, body, field) => {
    stack.emulator.clearTranscript();
    for (const model of [GEMINI, CLAUDE]) {
      const answer = await post(`/v1beta/models/${model}:streamGenerateContent?alt=sse`, body);
      expect(answer.status).toBe(400);
      const error = ((await answer.json()) as { error: { status: string; message: string; details?: { fieldViolations?: { field: string }[] }[] } }).error;
      expect(error.status).toBe('INVALID_ARGUMENT');
      if (field) expect(error.details?.[0]?.fieldViolations?.[0]?.field).toBe(field);
    }
    expect(inference()).toEqual([]);
  });

  it('names every field a part may hold', async () => {
    const answer = await post(`/v1beta/models/${GEMINI}:generateContent`, { contents: [{ parts: [{ thought: true }] }] });
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/must have one of the fields text, inlineData, fileData, functionCall/);
  });

  it('a document for another family is refused, naming why', async () => {
    const answer = await post(`/v1beta/models/${CLAUDE}:generateContent`, { contents: [{ parts: [{ inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }] }] });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toContain('can only be sent to Gemini models');
  });
});

describe('models and token counts', () => {
  it('lists the workspace in Google\'s shape under /v1beta, and under /v1 to Google\'s clients', async () => {
    for (const path of ['/v1beta/models', '/v1/models']) {
      const answer = await fetch(`${stack.proxy.url}${path}`, { headers: { 'x-goog-api-key': CLIENT_KEY } });
      const body = (await answer.json()) as { models: { name: string; displayName: string; supportedGenerationMethods: string[] }[] };
      const claude = body.models.find((model) => model.name === `models/${CLAUDE}`);
      expect(claude?.supportedGenerationMethods).toContain('streamGenerateContent');
      expect(claude?.displayName).toBeTruthy();
    }
    const one = (await (await fetch(`${stack.proxy.url}/v1beta/models/models/${GPT}`)).json()) as { name: string };
    expect(one.name).toBe(`models/${GPT}`);
  });

  it('the SDK counts tokens (an estimate, marked so)', async () => {
    const client = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: stack.proxy.url, apiVersion: 'v1beta' } });
    const counted = await client.models.countTokens({ model: CLAUDE, contents: 'how many tokens are in this sentence?' });
    expect(counted.totalTokens).toBeGreaterThan(5);
    const raw = await post(`/v1beta/models/${GEMINI}:countTokens`, hello);
    expect(raw.headers.get('x-dbx-proxy-token-estimate')).toBeTruthy();
  });
});

describe('routes the proxy does not serve', () => {
  const miss = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const answer = await fetch(`${stack.proxy.url}${path}`, { method, headers });
    return { status: answer.status, allow: answer.headers.get('allow'), body: (await answer.json()) as Record<string, { [key: string]: unknown }> };
  };

  it('answers in Google\'s shape under /v1beta, with a route code', async () => {
    const { status, body } = await miss('POST', `/v1beta/models/${GEMINI}:embedContent`);
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 404, status: 'NOT_FOUND', details: [{ reason: 'ROUTE_NOT_FOUND' }] });
    expect((await miss('GET', '/v1beta/tunedModels')).body.error).toMatchObject({ status: 'NOT_FOUND' });
  });

  it('answers in Anthropic\'s shape when anthropic-version is sent, OpenAI\'s otherwise, never model_not_found', async () => {
    const anthropic = await miss('POST', '/v1/messages/batches', { 'anthropic-version': '2023-06-01' });
    expect(anthropic.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const openai = await miss('POST', '/v1/embeddings');
    expect(openai.status).toBe(404);
    expect(openai.body.error).toMatchObject({ code: 'route_not_found' });
  });

  it('a wrong method is 405 with Allow', async () => {
    const wrong = await miss('GET', '/v1/chat/completions');
    expect(wrong.status).toBe(405);
    expect(wrong.allow).toBe('POST');
    expect(wrong.body.error).toMatchObject({ code: 'method_not_allowed' });
    const google = await miss('DELETE', `/v1beta/models/${GEMINI}`);
    expect(google.status).toBe(405);
    expect(google.body.error).toMatchObject({ status: 'INVALID_ARGUMENT', code: 405 });
  });
});
