import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * Every native route, streamed and not, on both surfaces, judged by the
 * official SDKs. The emulator's transcript shows which upstream path served
 * each call and what the proxy forwarded.
 */
const SURFACES = [
  { name: 'ai-gateway', aiGateway: true, prefix: '/ai-gateway/' },
  { name: 'model-serving', aiGateway: false, prefix: '/serving-endpoints/' },
] as const;

const CLIENT_KEY = 'sk-client-key-that-must-stay-local';

describe.each(SURFACES)('native routes on $name', ({ name, aiGateway, prefix }) => {
  let stack: Stack;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    stack = await startStack({ emulator: { aiGateway } });
    openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: CLIENT_KEY, baseURL: stack.proxy.url, maxRetries: 0, defaultHeaders: { 'anthropic-beta': 'test-beta-2025-01-01' } });
  });
  afterAll(() => stack.close());

  const lastInference = () => {
    const calls = stack.emulator.transcript.filter((entry) => entry.method === 'POST' && !entry.path.startsWith('/oidc'));
    const last = calls.at(-1);
    if (!last) throw new Error('the emulator saw no inference call');
    return last;
  };

  it('chooses the expected surface', () => {
    expect(stack.proxy.workspace.surface).toBe(name);
  });

  it('chat completions, non-streaming (llama)', async () => {
    const completion = await openai.chat.completions.create({
      model: 'databricks-meta-llama-3-3-70b-instruct',
      messages: [{ role: 'user', content: 'hello llama' }],
    });
    expect(completion.choices[0]?.message.content).toContain('hello llama');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(lastInference().path.startsWith(prefix)).toBe(true);
    expect(lastInference().path).toMatch(/chat\/completions$/);
  });

  it('chat completions, streaming (claude on chat)', async () => {
    const stream = openai.chat.completions.stream({
      model: 'databricks-claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'stream please' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toContain('stream please');
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(lastInference().streamed).toBe(true);
  });

  it('responses, non-streaming (gpt)', async () => {
    const response = await openai.responses.create({ model: 'databricks-gpt-5-2', input: 'hello gpt' });
    expect(response.output_text).toContain('hello gpt');
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
    expect(lastInference().path).toBe(aiGateway ? '/ai-gateway/codex/v1/responses' : '/serving-endpoints/responses');
  });

  it('responses, streaming with a tool round trip (codex)', async () => {
    const tools: OpenAI.Responses.FunctionTool[] = [
      { type: 'function', name: 'read_file', description: 'Read a file', strict: false, parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
    ];
    const first = await openai.responses.stream({ model: 'databricks-gpt-5-1-codex-max', input: 'read notes.txt', tools }).finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && call.name).toBe('read_file');
    if (call?.type !== 'function_call') return;
    expect(JSON.parse(call.arguments)).toHaveProperty('path');
    const second = await openai.responses
      .stream({
        model: 'databricks-gpt-5-1-codex-max',
        tools,
        input: [
          { role: 'user', content: 'read notes.txt' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: 'the secret word is PLUM' },
        ],
      })
      .finalResponse();
    expect(second.output_text).toContain('PLUM');
  });

  it('messages, non-streaming (claude), forwarding anthropic-version and anthropic-beta but never the client key', async () => {
    const message = await anthropic.messages.create({
      model: 'databricks-claude-sonnet-4-6',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'hello claude' }],
    });
    expect(message.content[0]?.type === 'text' && message.content[0].text).toContain('hello claude');
    const call = lastInference();
    expect(call.path).toBe(aiGateway ? '/ai-gateway/anthropic/v1/messages' : '/serving-endpoints/anthropic/v1/messages');
    // The SDK sends its own pinned version; whatever it is must reach the upstream unchanged.
    expect(call.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(call.headers['anthropic-beta']).toBe('test-beta-2025-01-01');
    expect(call.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(stack.emulator.transcript)).not.toContain(CLIENT_KEY);
  });

  it('messages, streaming with a tool round trip (claude)', async () => {
    const tools: Anthropic.Tool[] = [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }];
    const first = await anthropic.messages.stream({ model: 'databricks-claude-opus-4-8', max_tokens: 512, tools, messages: [{ role: 'user', content: 'read /tmp/a.txt' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((block) => block.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(use.name).toBe('Read');
    const second = await anthropic.messages
      .stream({
        model: 'databricks-claude-opus-4-8',
        max_tokens: 512,
        tools,
        messages: [
          { role: 'user', content: 'read /tmp/a.txt' },
          { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'token-XYZ-42' }] },
        ],
      })
      .finalMessage();
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringContaining('token-XYZ-42') });
    expect(second.usage.output_tokens).toBeGreaterThan(0);
  });
});
