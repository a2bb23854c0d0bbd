import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/logging/logger.js';
import { createKeyMatcher, presentedKeys } from '../../src/server/api-keys.js';
import { startProxy } from '../../src/server/start.js';
import { rawRequest } from '../helpers/raw-http.js';
import { LOCAL_API_KEY, OTHER_LOCAL_API_KEY, WRONG_API_KEY } from '../helpers/secrets.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ALL_ROUTES, expectDialectError, INFERENCE_ROUTES, requestOf } from './routes.js';

describe('the constant-time key matcher', () => {
  const matches = createKeyMatcher([LOCAL_API_KEY, OTHER_LOCAL_API_KEY]);

  it('accepts each configured key', () => {
    expect(matches(LOCAL_API_KEY)).toBe(true);
    expect(matches(OTHER_LOCAL_API_KEY)).toBe(true);
  });

  it('refuses a key of the same length differing in one character, a prefix, a longer key and the empty string, without throwing', () => {
    // timingSafeEqual throws on buffers of unequal length: comparing digests is what makes these safe.
    expect(matches(`${LOCAL_API_KEY.slice(0, -1)}X`)).toBe(false);
    expect(matches(LOCAL_API_KEY.slice(0, 8))).toBe(false);
    expect(matches(`${LOCAL_API_KEY}-and-more`)).toBe(false);
    expect(matches('')).toBe(false);
    expect(matches(WRONG_API_KEY)).toBe(false);
  });

  it('with no keys configured, matches nothing', () => {
    expect(createKeyMatcher([])(LOCAL_API_KEY)).toBe(false);
  });

  it('reads keys from Authorization: Bearer (any case) and x-api-key, and nothing from other schemes', () => {
    expect(presentedKeys({ authorization: `Bearer ${LOCAL_API_KEY}` })).toEqual([LOCAL_API_KEY]);
    expect(presentedKeys({ authorization: `bearer   ${LOCAL_API_KEY} ` })).toEqual([LOCAL_API_KEY]);
    expect(presentedKeys({ 'x-api-key': LOCAL_API_KEY })).toEqual([LOCAL_API_KEY]);
    expect(presentedKeys({ authorization: `Basic ${LOCAL_API_KEY}` })).toEqual([]);
    expect(presentedKeys({ authorization: 'Bearer', 'x-api-key': '  ' })).toEqual([]);
    expect(presentedKeys({ authorization: `Bearer ${WRONG_API_KEY}`, 'x-api-key': LOCAL_API_KEY })).toEqual([WRONG_API_KEY, LOCAL_API_KEY]);
  });
});

describe('local API keys on loopback', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { server: { apiKeys: [LOCAL_API_KEY, OTHER_LOCAL_API_KEY] } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  describe.each(ALL_ROUTES)('$name', (route) => {
    it('without a key: 401 in the route dialect, and the upstream is not called', async () => {
      const response = await rawRequest(stack.proxy.url, requestOf(route));
      expectDialectError(route, response, 401, /Missing API key/);
      expect(stack.emulator.counters.inference).toBe(0);
    });

    it('with a wrong key, as Bearer or as x-api-key: 401, the key not echoed', async () => {
      const attempts: Record<string, string>[] = [{ authorization: `Bearer ${WRONG_API_KEY}` }, { 'x-api-key': WRONG_API_KEY }, { authorization: `Basic ${LOCAL_API_KEY}` }];
      for (const headers of attempts) {
        const response = await rawRequest(stack.proxy.url, requestOf(route, headers));
        expectDialectError(route, response, 401, /API key/);
        expect(response.text).not.toContain(WRONG_API_KEY);
      }
      expect(stack.emulator.counters.inference).toBe(0);
    });

    it('with a configured key, as Bearer or as x-api-key: served', async () => {
      const attempts: Record<string, string>[] = [{ authorization: `Bearer ${LOCAL_API_KEY}` }, { 'x-api-key': OTHER_LOCAL_API_KEY }];
      for (const headers of attempts) {
        const response = await rawRequest(stack.proxy.url, requestOf(route, headers));
        expect(response.status, response.text).toBe(200);
      }
    });
  });

  it('HEAD / and GET /health need no key; every other route does, unknown ones included', async () => {
    expect((await rawRequest(stack.proxy.url, { method: 'HEAD', path: '/' })).status).toBe(200);
    expect((await rawRequest(stack.proxy.url, { path: '/health' })).status).toBe(200);
    expect((await rawRequest(stack.proxy.url, { path: '/health?verbose=1' })).status).toBe(200);
    // Unknown routes answer 401 rather than 404: without a key, nothing about the proxy is revealed.
    expectDialectError({ dialect: 'openai' }, await rawRequest(stack.proxy.url, { path: '/' }), 401);
    expectDialectError({ dialect: 'openai' }, await rawRequest(stack.proxy.url, { method: 'POST', path: '/v1/embeddings', body: '{}' }), 401);
    expectDialectError({ dialect: 'anthropic' }, await rawRequest(stack.proxy.url, { path: '/v2/nothing', headers: { 'anthropic-version': '2023-06-01' } }), 401);
  });

  it('the official SDKs work with a configured key and get their authentication error without one', async () => {
    const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    const chat = { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user' as const, content: 'key check' }] };
    const final = await openai(LOCAL_API_KEY).chat.completions.stream(chat).finalChatCompletion();
    expect(final.choices[0]?.message.content).toContain('key check');
    await expect(openai(WRONG_API_KEY).chat.completions.create(chat)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const request = { model: 'databricks-claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'key check' }] };
    // The Anthropic SDK sends apiKey as x-api-key and authToken as Authorization: Bearer (Claude Code's two variables).
    const viaApiKey = await new Anthropic({ apiKey: LOCAL_API_KEY, baseURL: stack.proxy.url, maxRetries: 0 }).messages.stream(request).finalMessage();
    expect(viaApiKey.content[0]?.type === 'text' && viaApiKey.content[0].text).toContain('key check');
    const viaToken = await new Anthropic({ apiKey: null, authToken: OTHER_LOCAL_API_KEY, baseURL: stack.proxy.url, maxRetries: 0 }).messages.stream(request).finalMessage();
    expect(viaToken.stop_reason).toBe('end_turn');
    await expect(new Anthropic({ apiKey: WRONG_API_KEY, baseURL: stack.proxy.url, maxRetries: 0 }).messages.create(request)).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
  });

  it('never logs a presented key', () => {
    const logged = stack.logs.lines.join('\n');
    expect(stack.logs.lines.length).toBeGreaterThan(0);
    for (const key of [LOCAL_API_KEY, OTHER_LOCAL_API_KEY, WRONG_API_KEY]) expect(logged).not.toContain(key);
  });
});

describe('binding beyond loopback', () => {
  it('is refused without API keys, by the config schema and by startProxy', async () => {
    expect(() => ConfigSchema.parse({ listen: '0.0.0.0' })).toThrow(/apiKeys/);
    const config = ConfigSchema.parse({ port: 0 });
    await expect(startProxy({ ...config, listen: '0.0.0.0' }, createLogger('silent'))).rejects.toThrow(/without server.apiKeys/);
  });

  describe('with API keys', () => {
    let stack: Stack;
    let url: string;
    beforeAll(async () => {
      stack = await startStack({ config: { listen: '0.0.0.0', server: { apiKeys: [LOCAL_API_KEY] } } });
      url = stack.proxy.url.replace('0.0.0.0', '127.0.0.1');
    });
    afterAll(() => stack.close());

    it.each(INFERENCE_ROUTES)('$name: any Host is served with a key (the key protects it), none without', async (route) => {
      for (const host of ['dbx-proxy.internal:8420', '10.1.2.3', 'sidecar']) {
        const served = await rawRequest(url, requestOf(route, { host, authorization: `Bearer ${LOCAL_API_KEY}` }));
        expect(served.status, served.text).toBe(200);
        expectDialectError(route, await rawRequest(url, requestOf(route, { host })), 401);
      }
    });
  });
});
