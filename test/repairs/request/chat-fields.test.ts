import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import { activeRepairsByRoute } from '../../../src/repairs/route-summary.js';
import type { Stack } from '../../helpers/stack.js';
import { applyRepair, lastInference, MODELS, openai, outcome, postToEmulator, startPair, upstreamBody, type Pair } from './support.js';

/**
 * Fields Databricks chat refuses: `tools[].function.strict` off GPT, `store`
 * and `service_tier`, `max_completion_tokens`, and `stream_options` on
 * Gemini. Each repair on: the call succeeds and the field is gone upstream;
 * disabled: the emulator's "Extra inputs" 400 reaches the OpenAI client.
 */
type ApiError = InstanceType<typeof OpenAI.APIError>;

async function expectRefused(run: () => Promise<unknown>, message: string): Promise<void> {
  const refused = await outcome(run);
  expect(refused.error).toBeInstanceOf(OpenAI.APIError);
  expect((refused.error as ApiError).status).toBe(400);
  expect(refused.error?.message).toContain(message);
}

const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };

describe('tool-strict', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('tool-strict');
  });
  afterAll(() => pair.close());

  it('a chat client to llama: `strict` leaves each function, streamed', async () => {
    const ask = (stack: Stack) =>
      openai(stack)
        .chat.completions.stream({
          model: MODELS.llama,
          messages: [{ role: 'user', content: 'read notes.txt' }],
          tools: [{ type: 'function', function: { name: 'read_file', strict: true, parameters: { ...schema, additionalProperties: false } } }],
        })
        .finalChatCompletion();
    const done = await ask(pair.on);
    expect(done.choices[0]?.finish_reason).toBe('tool_calls');
    const tools = upstreamBody(pair.on).tools as { function: Record<string, unknown> }[];
    expect(tools[0]?.function).not.toHaveProperty('strict');
    expect(tools[0]?.function.name).toBe('read_file');
    await expectRefused(() => ask(pair.off), 'tools.0.function.strict: Extra inputs are not permitted');
  });

  it('a Responses client to qwen (translated to chat): the SDK always sends `strict`', async () => {
    const ask = (stack: Stack) =>
      openai(stack).responses.create({
        model: MODELS.qwen,
        input: 'read notes.txt',
        tools: [{ type: 'function', name: 'read_file', strict: true, parameters: { ...schema, additionalProperties: false } }],
      });
    const done = await ask(pair.on);
    expect(done.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'read_file' });
    expect(lastInference(pair.on).path).toMatch(/chat\/completions$/);
    expect((upstreamBody(pair.on).tools as { function: Record<string, unknown> }[])[0]?.function).not.toHaveProperty('strict');
    await expectRefused(() => ask(pair.off), 'tools.0.function.strict');
  });
});

describe('chat-store-service-tier', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('chat-store-service-tier');
  });
  afterAll(() => pair.close());

  it('`store: false` and `service_tier` (as opencode and the SDK send them) leave a chat request', async () => {
    const ask = (stack: Stack) =>
      openai(stack).chat.completions.create({ model: MODELS.gemma, messages: [{ role: 'user', content: 'hello gemma' }], store: false, service_tier: 'auto' });
    const done = await ask(pair.on);
    expect(done.choices[0]?.message.content).toContain('hello gemma');
    const body = upstreamBody(pair.on);
    expect(body).not.toHaveProperty('store');
    expect(body).not.toHaveProperty('service_tier');
    await expectRefused(() => ask(pair.off), 'store: Extra inputs are not permitted');
  });
});

describe('max-completion-tokens', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('max-completion-tokens');
  });
  afterAll(() => pair.close());

  it('`max_completion_tokens` becomes `max_tokens`, streamed', async () => {
    const ask = (stack: Stack) =>
      openai(stack)
        .chat.completions.stream({ model: MODELS.llama, messages: [{ role: 'user', content: 'hello llama' }], max_completion_tokens: 300 })
        .finalChatCompletion();
    const done = await ask(pair.on);
    expect(done.choices[0]?.message.content).toContain('hello llama');
    const body = upstreamBody(pair.on);
    expect(body.max_tokens).toBe(300);
    expect(body).not.toHaveProperty('max_completion_tokens');
    await expectRefused(() => ask(pair.off), 'max_completion_tokens: Extra inputs are not permitted');
  });

  it('with both limits set, the smaller one wins', () => {
    const { body } = applyRepair('max-completion-tokens', { max_tokens: 500, max_completion_tokens: 200 }, { upstream: 'openai-chat', family: 'llama', endpoint: MODELS.llama });
    expect(body).toEqual({ max_tokens: 200 });
  });
});

describe('gemini-chat-stream-options', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('gemini-chat-stream-options');
  });
  afterAll(() => pair.close());

  // What an OpenAI-compatible client (opencode) sends for a Gemini model on chat.
  const chatBody = { model: MODELS.gemini, messages: [{ role: 'user', content: 'hello gemini' }], stream: true, stream_options: { include_usage: true } };

  it('no route of the proxy sends Gemini on chat today: it goes to generateContent, where the repair is not active', async () => {
    const routes = activeRepairsByRoute(ConfigSchema.parse({}), ['gemini'], ['ai-gateway', 'model-serving']);
    expect(Object.keys(routes)).toEqual(['ai-gateway gemini gemini', 'model-serving gemini gemini']);
    for (const ids of Object.values(routes)) expect(ids).not.toContain('gemini-chat-stream-options');
    // The client's include_usage still gets its usage on the Gemini route.
    const done = await openai(pair.off)
      .chat.completions.stream({ model: MODELS.gemini, messages: [{ role: 'user', content: 'hello gemini' }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(done.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('on chat, the repaired body is accepted by a Gemini endpoint and the client body is refused', async () => {
    const { body } = applyRepair('gemini-chat-stream-options', chatBody, { upstream: 'openai-chat', family: 'gemini', endpoint: MODELS.gemini });
    expect(body).not.toHaveProperty('stream_options');
    const accepted = await postToEmulator(pair.on, '/serving-endpoints/chat/completions', body);
    expect(accepted.status).toBe(200);
    // Usage still comes, on the final chunk.
    expect(accepted.text).toMatch(/"finish_reason":"stop"}\],"usage":\{"prompt_tokens"/);
    const refused = await postToEmulator(pair.on, '/serving-endpoints/chat/completions', chatBody);
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('stream_options: Extra inputs are not permitted');
  });
});
