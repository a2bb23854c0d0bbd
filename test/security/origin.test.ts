import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { rawRequest } from '../helpers/raw-http.js';
import { LOCAL_API_KEY } from '../helpers/secrets.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ALL_ROUTES, expectDialectError, INFERENCE_ROUTES, requestOf } from './routes.js';

/**
 * A web page open in the user's browser can send requests to localhost; the
 * browser marks them with `Origin`. The proxy refuses them all unless the
 * origin is listed in server.allowedOrigins.
 */
const PAGE = 'http://localhost:3000';

const preflight = (origin: string, requestHeaders = 'authorization, content-type, x-stainless-os') => ({
  method: 'OPTIONS',
  path: '/v1/chat/completions',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
});

describe('with no allowed origins (the default)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  describe.each(ALL_ROUTES)('$name', (route) => {
    it('refuses any request carrying an Origin with 403 in the route dialect, before the upstream', async () => {
      for (const origin of ['https://evil.example', PAGE, 'null', 'http://127.0.0.1:8420']) {
        const response = await rawRequest(stack.proxy.url, requestOf(route, { origin }));
        expectDialectError(route, response, 403, /web pages/);
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      }
      expect(stack.emulator.counters.inference).toBe(0);
    });
  });

  it('refuses a preflight with 403 and no CORS headers, so the browser never sends the request', async () => {
    const response = await rawRequest(stack.proxy.url, preflight('https://evil.example'));
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('serves clients that send no Origin (SDKs, agents, curl)', async () => {
    const openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    const final = await openai.chat.completions
      .stream({ model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'no origin' }] })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toContain('no origin');
  });
});

describe('with an allowed origin', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Listed with a trailing slash and upper case: origins are compared normalised.
    stack = await startStack({ config: { server: { allowedOrigins: ['HTTP://LocalHost:3000/'] } } });
  });
  afterAll(() => stack.close());

  it('answers its preflight: 204, the origin, the methods and the headers it asked for', async () => {
    const response = await rawRequest(stack.proxy.url, preflight(PAGE));
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(PAGE);
    expect(response.headers['access-control-allow-methods']?.split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(response.headers['access-control-allow-headers']).toBe('authorization, content-type, x-stainless-os');
    expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(response.headers.vary).toMatch(/origin/i);
  });

  it.each(INFERENCE_ROUTES)('$name: serves its requests with Access-Control-Allow-Origin', async (route) => {
    const response = await rawRequest(stack.proxy.url, requestOf(route, { origin: PAGE }));
    expect(response.status, response.text).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(PAGE);
  });

  it('keeps the CORS header on a streamed answer', async () => {
    const route = INFERENCE_ROUTES[0];
    if (!route?.body) throw new Error('no chat route');
    const response = await rawRequest(stack.proxy.url, { ...requestOf(route, { origin: PAGE }), body: JSON.stringify({ ...route.body, stream: true }) });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.headers['access-control-allow-origin']).toBe(PAGE);
    expect(response.text).toContain('data: [DONE]');
  });

  it.each(INFERENCE_ROUTES)('$name: still refuses every other origin', async (route) => {
    for (const origin of ['http://localhost:3001', 'https://localhost:3000', 'http://evil.example', 'null']) {
      expectDialectError(route, await rawRequest(stack.proxy.url, requestOf(route, { origin })), 403);
    }
    const refused = await rawRequest(stack.proxy.url, preflight('http://localhost:3001'));
    expect(refused.status).toBe(403);
  });
});

describe('with an allowed origin and API keys', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { allowedOrigins: [PAGE], apiKeys: [LOCAL_API_KEY] } } });
  });
  afterAll(() => stack.close());

  it('answers the preflight without a key (browsers never send one there)', async () => {
    expect((await rawRequest(stack.proxy.url, preflight(PAGE))).status).toBe(204);
  });

  it.each(INFERENCE_ROUTES)('$name: wants the key on the request itself, and lets the page read the 401', async (route) => {
    const refused = await rawRequest(stack.proxy.url, requestOf(route, { origin: PAGE }));
    expectDialectError(route, refused, 401);
    expect(refused.headers['access-control-allow-origin']).toBe(PAGE);
    const served = await rawRequest(stack.proxy.url, requestOf(route, { origin: PAGE, 'x-api-key': LOCAL_API_KEY }));
    expect(served.status, served.text).toBe(200);
  });
});

describe('server.allowedOrigins in the config', () => {
  it.each(['*', 'null', 'http://localhost:3000/app', 'localhost:3000x', 'http://localhost:3000?x=1', 'http://user:pw@localhost:3000'])(
    'refuses %s',
    (origin) => {
      expect(() => ConfigSchema.parse({ server: { allowedOrigins: [origin] } })).toThrow(/origin/);
    },
  );

  it('takes exact origins', () => {
    const config = ConfigSchema.parse({ server: { allowedOrigins: ['http://localhost:3000', 'https://app.example.com', 'chrome-extension://abcdef'] } });
    expect(config.server.allowedOrigins).toHaveLength(3);
  });
});
