import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * Token counting (Anthropic `count_tokens`, Responses `input_tokens`) and
 * model lookups (`GET /v1/models/{id}` in both shapes), through the official
 * SDKs. Counts are the proxy's estimate: never sent upstream, marked by a header.
 */
describe('token counting and model lookups', () => {
  let stack: Stack;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    stack = await startStack({ config: { models: { aliases: { claude: 'databricks-claude-sonnet-4-6' } } } });
    openai = new OpenAI({ apiKey: 'unused', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'unused', baseURL: stack.proxy.url, maxRetries: 0 });
  });
  afterAll(() => stack.close());

  const inferenceCalls = () => stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc')).length;

  it('Anthropic count_tokens answers an estimate that grows with the prompt, without calling the workspace', async () => {
    const before = inferenceCalls();
    const short = await anthropic.messages.countTokens({ model: 'databricks-claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello, Claude' }] });
    const long = await anthropic.messages
      .countTokens({
        model: 'claude',
        system: 'You are a scientist',
        messages: [{ role: 'user', content: 'Hello, Claude. '.repeat(100) }],
      })
      .withResponse();
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.data.input_tokens).toBeGreaterThan(short.input_tokens + 300);
    expect(long.response.headers.get('x-dbx-proxy-token-estimate')).toBe('o200k_base');
    expect(inferenceCalls()).toBe(before);
  });

  it('Responses input_tokens answers in its own shape', async () => {
    const { data, response } = await openai.responses.inputTokens
      .count({ model: 'databricks-gpt-5-2', input: [{ role: 'user', content: 'Tell me a joke.' }], instructions: 'Be brief.' })
      .withResponse();
    expect(data.object).toBe('response.input_tokens');
    expect(data.input_tokens).toBeGreaterThan(8);
    expect(response.headers.get('x-dbx-proxy-token-estimate')).toBe('o200k_base');
  });

  it('Gemini :countTokens answers the same estimate in its own shape', async () => {
    const gemini = new GoogleGenAI({ apiKey: 'unused', httpOptions: { baseUrl: stack.proxy.url, apiVersion: 'v1beta' } });
    const counted = await gemini.models.countTokens({ model: 'databricks-claude-sonnet-4-6', contents: 'Hello, Claude. '.repeat(100) });
    const anthropicCount = await anthropic.messages.countTokens({ model: 'databricks-claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello, Claude. '.repeat(100) }] });
    expect(counted.totalTokens).toBe(anthropicCount.input_tokens);
    const raw = await fetch(`${stack.proxy.url}/v1beta/models/databricks-gemini-3-pro:countTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(raw.headers.get('x-dbx-proxy-token-estimate')).toBe('o200k_base');
  });

  it('an unknown model is a 404 in the dialect of the route', async () => {
    const error = await anthropic.messages.countTokens({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    const openaiError = await openai.responses.inputTokens.count({ model: 'no-such-model', input: 'x' }).catch((e: unknown) => e);
    expect(openaiError).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('a malformed body is a 400 naming the field', async () => {
    const error = await anthropic.messages
      .countTokens({ model: 'claude', messages: 'not a list' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((error as Error).message)).toMatch(/messages/);
  });

  it('GET /v1/models/{id} in OpenAI shape', async () => {
    const model = await openai.models.retrieve('databricks-gpt-5-2');
    expect(model).toMatchObject({ id: 'databricks-gpt-5-2', object: 'model', owned_by: 'databricks' });
    await expect(openai.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("GET /v1/models/{id} in Anthropic's shape, with the workspace's display name, aliases included", async () => {
    const model = await anthropic.models.retrieve('databricks-claude-opus-4-8');
    expect(model).toMatchObject({ type: 'model', id: 'databricks-claude-opus-4-8', display_name: 'Claude Opus 4.8', created_at: '1970-01-01T00:00:00.000Z' });
    const alias = await anthropic.models.retrieve('claude');
    expect(alias.display_name).toBe('Claude Sonnet 4.6');
    await expect(anthropic.models.retrieve('nope')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const list = await anthropic.models.list();
    expect(list.data.find((m) => m.id === 'databricks-gemini-3-pro')?.display_name).toBe('Gemini 3 Pro');
  });
});
