import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogReport } from '../../src/cli/doctor-catalog.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { EMULATOR_DEMO_PAT, startEmulator } from '../../src/emulator/index.js';
import { SHAPE_HEADER } from '../../src/emulator/shapes.js';
import { createLogger } from '../../src/logging/logger.js';
import { startProxy } from '../../src/server/start.js';
import { LogCapture, startStack, type Stack } from '../helpers/stack.js';

/**
 * Every workspace as it is: the emulator's shapes (src/emulator/shapes.ts),
 * discovery from every source, families from declarations, and what
 * `doctor` shows of each (sources answered, family, declared API types, path).
 */
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const sourceStates = (s: Stack) => Object.fromEntries(catalogReport(s.proxy.workspace).sources.map((source) => [source.id, source.state]));
const modelRow = (s: Stack, model: string) => catalogReport(s.proxy.workspace).models.find((row) => row.model === model);
const lastInference = (s: Stack) => s.emulator.transcript.filter((entry) => entry.method === 'POST').at(-1);
const claude = (s: Stack, model: string, headers: Record<string, string> = {}) =>
  new Anthropic({ apiKey: 'local', baseURL: s.proxy.url, maxRetries: 0, defaultHeaders: headers }).messages.create({
    model,
    max_tokens: 256,
    messages: [{ role: 'user', content: `hello ${model}` }],
  });

describe('doctor: sources, families, declared API types and paths, per shape', () => {
  it('demo: serving endpoints only answer; the other sources are skipped quietly', async () => {
    stack = await startStack({ emulator: { shape: 'demo' } });
    expect(sourceStates(stack)).toEqual({ 'serving-endpoints': 'answered', 'foundation-models': 'absent', 'model-services': 'absent' });
    expect(modelRow(stack, 'databricks-gpt-5-2')).toMatchObject({ family: 'gpt', apiTypes: [], route: 'ai-gateway /ai-gateway/codex/v1/responses' });
    expect(stack.logs.records().filter((line) => Number(line.level) >= 40)).toEqual([]);
  });

  it('classic: no gateway, every model on Model Serving', async () => {
    stack = await startStack({ emulator: { shape: 'classic' } });
    expect(modelRow(stack, 'databricks-claude-sonnet-4-6')).toMatchObject({ family: 'claude', route: 'model-serving /serving-endpoints/anthropic/v1/messages' });
    expect(modelRow(stack, 'team-mistral-external')).toMatchObject({ family: 'other', route: 'model-serving /serving-endpoints/chat/completions' });
  });

  it('unity-gateway: model services and declared API types; a model service goes by its short name', async () => {
    stack = await startStack({ emulator: { shape: 'unity-gateway' } });
    expect(sourceStates(stack)).toEqual({ 'serving-endpoints': 'answered', 'foundation-models': 'answered', 'model-services': 'answered' });
    expect(modelRow(stack, 'claude-sonnet-4-6')).toMatchObject({
      endpoint: 'system.ai.claude-sonnet-4-6',
      family: 'claude',
      apiTypes: ['anthropic/v1/messages', 'mlflow/v1/chat/completions'],
      route: 'ai-gateway /ai-gateway/anthropic/v1/messages',
    });
    // A serving endpoint and its model service are one model, listed once.
    expect(modelRow(stack, 'databricks-gemini-3-pro')).toMatchObject({ family: 'gemini', apiTypes: ['gemini/v1/generateContent', 'mlflow/v1/chat/completions'] });
    const names = ((await (await fetch(`${stack.openaiBaseUrl}/models`)).json()) as { data: { id: string }[] }).data.map((model) => model.id);
    expect(names).toContain('claude-sonnet-4-6');
    expect(names).not.toContain('system.ai.claude-sonnet-4-6');
    expect(names.filter((name) => name.includes('gemini-3-pro'))).toEqual(['databricks-gemini-3-pro']);
  });

  it('gateway-no-codex: GPT declares openai/v1/responses and goes there first, never to the missing codex/v1', async () => {
    stack = await startStack({ emulator: { shape: 'gateway-no-codex' } });
    expect(modelRow(stack, 'databricks-gpt-5-2')).toMatchObject({ family: 'gpt', route: 'ai-gateway /ai-gateway/openai/v1/responses' });
    const answer = await fetch(`${stack.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'databricks-gpt-5-2', messages: [{ role: 'user', content: 'hi gpt' }] }),
    });
    expect(answer.status).toBe(200);
    expect(stack.emulator.transcript.filter((entry) => entry.method === 'POST').map((entry) => entry.path)).toEqual(['/ai-gateway/openai/v1/responses']);
  });

  it('hidden-names: families come from the declared provider and model, not the endpoint name', async () => {
    stack = await startStack({ emulator: { shape: 'hidden-names' } });
    const families = Object.fromEntries(catalogReport(stack.proxy.workspace).models.map((row) => [row.model, row.family]));
    expect(families).toEqual({
      'assistant-g': 'gemma',
      'assistant-q': 'qwen',
      'fast-chat': 'llama',
      'team-builder': 'codex',
      'team-coder': 'gpt',
      'team-vision': 'gemini',
      'team-writer': 'claude',
      // Nothing declares a family for an agent or a custom model: they are served on what they declare.
      'support-agent': 'other',
      'team-finetune': 'other',
    });
    expect(modelRow(stack, 'team-writer')?.route).toBe('ai-gateway /ai-gateway/anthropic/v1/messages');
  });

  it('an agent is served on the dialect its task declares, a custom chat model on its invocations path', async () => {
    stack = await startStack({ emulator: { shape: 'hidden-names' } });
    const post = (path: string, body: unknown) =>
      fetch(`${stack!.openaiBaseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const agent = await post('/chat/completions', { model: 'support-agent', messages: [{ role: 'user', content: 'hello agent' }] });
    expect(agent.status).toBe(200);
    // Responses (its task), on Model Serving: the gateway does not serve it.
    expect(stack.emulator.transcript.filter((entry) => entry.method === 'POST').map((entry) => entry.path)).toEqual([
      '/ai-gateway/mlflow/v1/responses',
      '/serving-endpoints/responses',
    ]);
    const custom = await post('/chat/completions', { model: 'team-finetune', messages: [{ role: 'user', content: 'hello custom' }] });
    expect(((await custom.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toContain('hello custom');
    const last = lastInference(stack);
    expect(last?.path).toBe('/serving-endpoints/team-finetune/invocations');
    expect(last?.body).not.toHaveProperty('model');
  });
});

describe('discovery', () => {
  it('a model service is accepted by its short name and its system.ai. name, and the latter is sent upstream', async () => {
    stack = await startStack({ emulator: { shape: 'unity-gateway' } });
    for (const name of ['claude-sonnet-4-6', 'system.ai.claude-sonnet-4-6']) {
      const answer = await claude(stack, name);
      expect(answer.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(`hello ${name}`) });
      expect(lastInference(stack)).toMatchObject({ path: '/ai-gateway/anthropic/v1/messages', body: { model: 'system.ai.claude-sonnet-4-6' } });
    }
  });

  it('an unknown name gets a 404 with suggestions from every source', async () => {
    stack = await startStack({ emulator: { shape: 'unity-gateway' } });
    const refused = await claude(stack, 'claude-sonet-4-6').catch((error: unknown) => error);
    expect((refused as InstanceType<typeof Anthropic.APIError>).status).toBe(404);
    expect((refused as Error).message).toContain('Did you mean: claude-sonnet-4-6');
  });

  it('a source answering malformed JSON is skipped with a warning, never a crash or an empty catalog', async () => {
    stack = await startStack({ emulator: { shape: 'unity-gateway' } });
    const before = stack.proxy.workspace.catalog.entries().length;
    stack.emulator.setListingFault('/api/2.1/unity-catalog/model-services', 'malformed');
    stack.emulator.setListingFault('/api/2.0/serving-endpoints', 'malformed');
    await stack.proxy.workspace.catalog.load();
    expect(sourceStates(stack)).toMatchObject({ 'serving-endpoints': 'malformed', 'model-services': 'malformed', 'foundation-models': 'answered' });
    expect(stack.proxy.workspace.catalog.entries()).toHaveLength(before);
    expect((await claude(stack, 'claude-sonnet-4-6')).content[0]).toMatchObject({ type: 'text' });
    const warnings = stack.logs.records().filter((line) => line.msg === 'discovery source answered with malformed JSON; skipped');
    expect(warnings.map((line) => line.source).sort()).toEqual(['model-services', 'serving-endpoints']);
  });

  it('a source that fails keeps its last good answer', async () => {
    stack = await startStack({ emulator: { shape: 'unity-gateway' } });
    stack.emulator.setListingFault('/api/2.1/unity-catalog/model-services', 'error');
    await stack.proxy.workspace.catalog.load();
    expect(catalogReport(stack.proxy.workspace).sources.find((source) => source.id === 'model-services')).toMatchObject({ state: 'failed', models: 10 });
    expect(modelRow(stack, 'gpt-5-2')).toMatchObject({ endpoint: 'system.ai.gpt-5-2', family: 'gpt' });
  });

  it('a malformed source at start is skipped: the proxy starts with what the others listed', async () => {
    const emulator = await startEmulator({ shape: 'unity-gateway' });
    emulator.setListingFault('/api/2.0/serving-endpoints', 'malformed');
    const logs = new LogCapture();
    try {
      const config = ConfigSchema.parse({ port: 0, databricks: { host: emulator.url, token: EMULATOR_DEMO_PAT } });
      const proxy = await startProxy(config, createLogger('info', logs));
      try {
        const names = proxy.workspace.catalog.entries().map((entry) => entry.listedAs ?? entry.endpoint);
        expect(names).toContain('claude-sonnet-4-6');
        expect(names).toContain('databricks-gemini-3-pro');
        expect(logs.records().some((line) => line.msg === 'discovery source answered with malformed JSON; skipped')).toBe(true);
      } finally {
        await proxy.close();
      }
    } finally {
      await emulator.close();
    }
  });
});

describe('emulator shapes', () => {
  it('a request picks a shape with the x-dbx-emulator-shape header; an unknown one is refused naming the known', async () => {
    stack = await startStack();
    const list = (shape: string) => fetch(`${stack!.emulator.url}/api/2.0/serving-endpoints`, { headers: { authorization: `Bearer ${stack!.config.databricks.token}`, [SHAPE_HEADER]: shape } });
    const hidden = (await (await list('hidden-names')).json()) as { endpoints: { name: string }[] };
    expect(hidden.endpoints.map((endpoint) => endpoint.name)).toContain('team-writer');
    const unknown = await list('nope');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Known shapes: demo, classic, unity-gateway, gateway-no-codex, hidden-names');
  });
});

describe('coding-agent mode', () => {
  const CLAUDE_CODE = { 'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)' };
  const header = (s: Stack) => (lastInference(s)?.headers as Record<string, unknown>)['x-databricks-use-coding-agent-mode'];

  it("is sent with Claude Code's requests on the gateway's Anthropic path, and only there", async () => {
    stack = await startStack();
    await claude(stack, 'databricks-claude-sonnet-4-6', CLAUDE_CODE);
    expect(header(stack)).toBe('true');
    await claude(stack, 'databricks-claude-sonnet-4-6');
    expect(header(stack)).toBeUndefined();
  });

  it('routing.codingAgentMode: off never sends it, all always does', async () => {
    stack = await startStack({ config: { routing: { codingAgentMode: 'off' } } });
    await claude(stack, 'databricks-claude-sonnet-4-6', CLAUDE_CODE);
    expect(header(stack)).toBeUndefined();
    await stack.close();
    stack = await startStack({ config: { routing: { codingAgentMode: 'all' } } });
    await claude(stack, 'databricks-claude-sonnet-4-6');
    expect(header(stack)).toBe('true');
  });
});
