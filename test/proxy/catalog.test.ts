import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

describe('catalog', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { models: { default: 'databricks-claude-sonnet-4-6', aliases: { sonnet: 'databricks-claude-sonnet-4-6' } } } });
  });
  afterAll(() => stack.close());

  it('keeps chat-capable endpoints, drops embeddings and classic ML models, and classifies families', () => {
    const entries = stack.proxy.workspace.catalog.entries();
    const byName = Object.fromEntries(entries.map((entry) => [entry.endpoint, entry.family]));
    expect(byName).not.toHaveProperty('databricks-gte-large-en');
    expect(byName).not.toHaveProperty('fraud-detector');
    expect(byName).toMatchObject({
      'databricks-claude-sonnet-4-6': 'claude',
      'databricks-gpt-5-2': 'gpt',
      'databricks-gpt-5-1-codex-max': 'codex',
      'databricks-gemini-2-5-pro': 'gemini',
      'databricks-meta-llama-3-3-70b-instruct': 'llama',
      'databricks-qwen3-next-80b-a3b-instruct': 'qwen',
      'databricks-gemma-3-12b': 'gemma',
      'team-mistral-external': 'other',
    });
  });

  it('answers GET /v1/models in OpenAI shape, aliases included', async () => {
    const body = (await (await fetch(`${stack.openaiBaseUrl}/models`)).json()) as { object: string; data: { id: string; object: string }[] };
    expect(body.object).toBe('list');
    const ids = body.data.map((model) => model.id);
    expect(ids).toContain('databricks-gpt-5-2');
    expect(ids).toContain('sonnet');
    expect(ids).not.toContain('databricks-gte-large-en');
    expect(body.data.every((model) => model.object === 'model')).toBe(true);
  });

  it('answers GET /v1/models in Anthropic shape when the request carries anthropic-version', async () => {
    const response = await fetch(`${stack.openaiBaseUrl}/models`, { headers: { 'anthropic-version': '2023-06-01' } });
    const body = (await response.json()) as { data: { type: string; id: string }[]; has_more: boolean; first_id: string };
    expect(body.has_more).toBe(false);
    expect(body.data[0]).toMatchObject({ type: 'model', id: body.first_id });
  });

  it('resolves aliases and the default model to the endpoint sent upstream', async () => {
    for (const model of ['sonnet', undefined]) {
      const response = await fetch(`${stack.openaiBaseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(model ? { model } : {}), messages: [{ role: 'user', content: 'who' }] }),
      });
      expect(response.status).toBe(200);
      const sent = stack.emulator.transcript.at(-1)?.body as { model: string };
      expect(sent.model).toBe('databricks-claude-sonnet-4-6');
    }
  });

  it('strips the client-side [1m] context marker before the name goes upstream', async () => {
    const response = await fetch(`${stack.proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'databricks-claude-sonnet-4-6[1m]', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    const sent = stack.emulator.transcript.at(-1);
    expect((sent?.body as { model: string }).model).toBe('databricks-claude-sonnet-4-6');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
  });
});
