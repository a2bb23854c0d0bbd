import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRepair, lastInference, MODELS, openai, outcome, postToEmulator, postToProxy, startPair, upstreamBody, type Pair } from './support.js';

/**
 * tool-schema-object: a tool schema without `type` gets `type: "object"` in
 * every dialect's tool shape. Disabled, Databricks' refusal reaches the client.
 */
const UNTYPED = { properties: { path: { type: 'string', description: 'a file path' } }, required: ['path'] };

describe('tool-schema-object', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('tool-schema-object');
  });
  afterAll(() => pair.close());

  const chatTools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: UNTYPED } }];
  const responsesTools: OpenAI.Responses.FunctionTool[] = [{ type: 'function', name: 'read_file', description: 'Read a file', strict: false, parameters: UNTYPED }];

  it('chat shape (`tools[].function.parameters`), passthrough to llama, streamed', async () => {
    const ask = (stack: Pair['on']) =>
      openai(stack)
        .chat.completions.stream({ model: MODELS.llama, messages: [{ role: 'user', content: 'read notes.txt' }], tools: chatTools })
        .finalChatCompletion();
    const done = await ask(pair.on);
    expect(done.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'read_file' } });
    const tools = upstreamBody(pair.on).tools as { function: { parameters: Record<string, unknown> } }[];
    expect(tools[0]?.function.parameters).toEqual({ type: 'object', ...UNTYPED });

    const refused = await outcome(() => ask(pair.off));
    expect(refused.error).toBeInstanceOf(OpenAI.APIError);
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain("tools.0.function.parameters.type: Input should be 'object'");
  });

  it('Responses flat shape (`tools[].parameters`), passthrough to gpt, streamed', async () => {
    const ask = (stack: Pair['on']) => openai(stack).responses.stream({ model: MODELS.gpt, input: 'read notes.txt', tools: responsesTools }).finalResponse();
    const done = await ask(pair.on);
    expect(done.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'read_file' });
    const tools = upstreamBody(pair.on).tools as { parameters: Record<string, unknown> }[];
    expect(tools[0]?.parameters).toEqual({ type: 'object', ...UNTYPED });

    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain('tools.0.parameters');
  });

  // The SDK's types require `input_schema.type`, so the untyped schema is sent with fetch, as a JS client would.
  const messagesBody = (model: string) => ({
    model,
    max_tokens: 512,
    messages: [{ role: 'user', content: 'read notes.txt' }],
    tools: [{ name: 'read_file', description: 'Read a file', input_schema: UNTYPED }],
  });

  it('Anthropic shape (`tools[].input_schema`), passthrough to claude', async () => {
    const done = await postToProxy(pair.on, '/v1/messages', messagesBody(MODELS.claude));
    expect(done.status).toBe(200);
    expect(done.json.stop_reason).toBe('tool_use');
    expect(lastInference(pair.on).path).toBe('/ai-gateway/anthropic/v1/messages');
    const tools = upstreamBody(pair.on).tools as { input_schema: Record<string, unknown> }[];
    expect(tools[0]?.input_schema).toEqual({ type: 'object', ...UNTYPED });

    const refused = await postToProxy(pair.off, '/v1/messages', messagesBody(MODELS.claude));
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('input_schema.type') } });
  });

  it('translated: an Anthropic client to a GPT model (Responses upstream)', async () => {
    const done = await postToProxy(pair.on, '/v1/messages', messagesBody(MODELS.gpt));
    expect(done.status).toBe(200);
    expect(done.json.content).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'tool_use', name: 'read_file' })]));
    expect(lastInference(pair.on).path).toBe('/ai-gateway/codex/v1/responses');
    const tools = upstreamBody(pair.on).tools as { parameters: Record<string, unknown> }[];
    expect(tools[0]?.parameters).toMatchObject({ type: 'object', properties: UNTYPED.properties });

    const refused = await postToProxy(pair.off, '/v1/messages', messagesBody(MODELS.gpt));
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('tools.0.parameters') } });
  });

  it('translated: a Responses client to llama (chat upstream)', async () => {
    const ask = (stack: Pair['on']) => openai(stack).responses.create({ model: MODELS.llama, input: 'read notes.txt', tools: responsesTools });
    const done = await ask(pair.on);
    expect(done.output.find((item) => item.type === 'function_call')).toMatchObject({ name: 'read_file' });
    expect(lastInference(pair.on).path).toBe('/ai-gateway/mlflow/v1/chat/completions');
    const refused = await outcome(() => ask(pair.off));
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });

  describe('Gemini shape (`tools[].functionDeclarations[].parameters`)', () => {
    // No client speaks Gemini to the proxy; a Gemini body is built the way a Gemini client would, and sent straight to the emulator.
    const geminiBody = {
      contents: [{ role: 'user', parts: [{ text: 'read notes.txt' }] }],
      tools: [{ functionDeclarations: [{ name: 'read_file', parameters: { properties: { path: { type: 'STRING' } } } }] }],
    };
    const path = `/serving-endpoints/gemini/v1beta/models/${MODELS.gemini}:generateContent`;

    it('gets `type: "OBJECT"`, which the emulator accepts; unrepaired it is refused', async () => {
      const { body } = applyRepair('tool-schema-object', geminiBody, { upstream: 'gemini', family: 'gemini', endpoint: MODELS.gemini });
      expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'read_file', parameters: { type: 'OBJECT', properties: { path: { type: 'STRING' } } } }] }]);
      expect((await postToEmulator(pair.on, path, body)).status).toBe(200);
      const refused = await postToEmulator(pair.on, path, geminiBody);
      expect(refused.status).toBe(400);
      expect(refused.json.message).toContain('type OBJECT');
      // The client's body was not changed in place.
      expect(geminiBody.tools[0]?.functionDeclarations[0]?.parameters).not.toHaveProperty('type');
    });

    it('a translated route to Gemini already carries the type (the Gemini codec sets it), with or without the repair', async () => {
      for (const stack of [pair.on, pair.off]) {
        const done = await openai(stack)
          .chat.completions.stream({ model: MODELS.gemini, messages: [{ role: 'user', content: 'read notes.txt' }], tools: chatTools })
          .finalChatCompletion();
        expect(done.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'read_file' } });
        const tools = upstreamBody(stack).tools as { functionDeclarations: { parameters: Record<string, unknown> }[] }[];
        expect(String(tools[0]?.functionDeclarations[0]?.parameters.type).toLowerCase()).toBe('object');
      }
    });
  });

  it('leaves typed schemas alone, and tools of other kinds', () => {
    const typed = { type: 'object', properties: {} };
    const input = { tools: [{ type: 'function', function: { name: 'a', parameters: typed } }, { type: 'function', function: { name: 'b' } }] };
    const { body } = applyRepair('tool-schema-object', input, { upstream: 'openai-chat', family: 'llama', endpoint: MODELS.llama });
    expect(body).toEqual(input);
  });
});
