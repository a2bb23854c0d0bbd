import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { anthropic, lastInference, MODELS, openai, upstreamBody } from '../repairs/request/support.js';

/**
 * Structured output through the proxy, judged by the official SDKs. Toward
 * Claude the schema travels as a forced `json_response` tool and the call
 * comes back as the answer's JSON text (src/dialects/anthropic-messages/
 * json-response-*.ts); toward GPT (Responses) and Gemini it maps natively.
 * The emulator answers JSON made from the schema either way.
 */
const CITY = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' }, coastal: { type: 'boolean' } },
  required: ['city', 'population', 'coastal'],
  additionalProperties: false,
};

/** The answer text is JSON with exactly the schema's keys, each of its type. */
function expectCity(text: string | null | undefined): void {
  const value = JSON.parse(text ?? '') as Record<string, unknown>;
  expect(Object.keys(value).sort()).toEqual(['city', 'coastal', 'population']);
  expect(typeof value.city).toBe('string');
  expect(Number.isInteger(value.population)).toBe(true);
  expect(typeof value.coastal).toBe('boolean');
}

const chatFormat = { type: 'json_schema', json_schema: { name: 'city', schema: CITY, strict: true } } as const;
const responsesFormat = { format: { type: 'json_schema', name: 'city', schema: CITY, strict: true } } as const;
const ask = [{ role: 'user', content: 'Describe Lisbon.' }] as const;

describe('structured output', () => {
  let stack: Stack;
  let client: OpenAI;
  beforeAll(async () => {
    stack = await startStack();
    client = openai(stack);
  });
  afterAll(() => stack.close());

  /** What the proxy sent to the Claude endpoint: the JSON tool, forced, with the schema. */
  function expectForcedJsonTool(): void {
    expect(lastInference(stack).path).toMatch(/anthropic\/v1\/messages$/);
    const body = upstreamBody(stack);
    expect(body.tools).toEqual([expect.objectContaining({ name: 'json_response', input_schema: CITY })]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_response', disable_parallel_tool_use: true });
  }

  describe('a chat client to Claude (forced tool, unwrapped)', () => {
    it('whole answer: JSON text, finish_reason stop, no tool call', async () => {
      const done = await client.chat.completions.create({ model: MODELS.claude, messages: [...ask], response_format: chatFormat });
      const choice = done.choices[0];
      expect(choice?.finish_reason).toBe('stop');
      expect(choice?.message.tool_calls ?? []).toEqual([]);
      expectCity(choice?.message.content);
      expectForcedJsonTool();
    });

    it('streamed: the tool arguments arrive as content deltas', async () => {
      const stream = client.chat.completions.stream({ model: MODELS.claude, messages: [...ask], response_format: chatFormat });
      let sawToolDelta = false;
      stream.on('chunk', (chunk) => void (sawToolDelta ||= chunk.choices.some((c) => c.delta.tool_calls !== undefined)));
      const done = await stream.finalChatCompletion();
      expect(done.choices[0]?.finish_reason).toBe('stop');
      expect(done.choices[0]?.message.tool_calls ?? []).toEqual([]);
      expect(sawToolDelta).toBe(false);
      expectCity(done.choices[0]?.message.content);
      expect(lastInference(stack).streamed).toBe(true);
      expectForcedJsonTool();
    });

    it('json_object: any JSON object comes back as text', async () => {
      const done = await client.chat.completions.create({
        model: MODELS.claude,
        messages: [{ role: 'user', content: 'Answer in JSON.' }],
        response_format: { type: 'json_object' },
      });
      expect(done.choices[0]?.finish_reason).toBe('stop');
      const value: unknown = JSON.parse(done.choices[0]?.message.content ?? '');
      expect(value).toBeTypeOf('object');
      expect((upstreamBody(stack).tools as Record<string, unknown>[])[0]).toMatchObject({ name: 'json_response', input_schema: { type: 'object' } });
    });

    it('with reasoning asked for, thinking is left off (Anthropic refuses it with forced tool use)', async () => {
      const done = await client.chat.completions.create({ model: MODELS.claude, messages: [...ask], response_format: chatFormat, reasoning_effort: 'low' });
      expectCity(done.choices[0]?.message.content);
      expect(upstreamBody(stack)).not.toHaveProperty('thinking');
    });

    it("with the client's own tools: the JSON tool is offered alongside, not forced, and a client tool call stays one", async () => {
      const done = await client.chat.completions.create({
        model: MODELS.claude,
        messages: [{ role: 'user', content: 'read notes.txt' }],
        response_format: chatFormat,
        tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } } }],
      });
      expect(done.choices[0]?.finish_reason).toBe('tool_calls');
      expect(done.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'read_file' } });
      const body = upstreamBody(stack);
      expect((body.tools as { name: string }[]).map((tool) => tool.name)).toEqual(['read_file', 'json_response']);
      expect(body).not.toHaveProperty('tool_choice');
    });

    it("a client tool named like the proxy's JSON tool is refused in the client's dialect", async () => {
      const refused = await client.chat.completions
        .create({
          model: MODELS.claude,
          messages: [...ask],
          response_format: chatFormat,
          tools: [{ type: 'function', function: { name: 'json_response', parameters: { type: 'object' } } }],
        })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
      expect((refused as Error).message).toContain("'json_response' is reserved");
    });
  });

  describe('a Responses client to Claude (forced tool, unwrapped)', () => {
    it('whole answer: JSON output_text, status completed, no function_call item', async () => {
      const done = await client.responses.create({ model: MODELS.claude, input: 'Describe Lisbon.', text: responsesFormat });
      expect(done.status).toBe('completed');
      expect(done.output.map((item) => item.type)).toEqual(['message']);
      expectCity(done.output_text);
      expectForcedJsonTool();
    });

    it('streamed', async () => {
      const done = await client.responses.stream({ model: MODELS.claude, input: 'Describe Lisbon.', text: responsesFormat }).finalResponse();
      expect(done.status).toBe('completed');
      expect(done.output.map((item) => item.type)).toEqual(['message']);
      expectCity(done.output_text);
      expectForcedJsonTool();
    });
  });

  describe('native structured output', () => {
    it('a chat client to GPT: `text.format` on Responses, JSON back, streamed', async () => {
      const done = await client.chat.completions.stream({ model: MODELS.gpt, messages: [...ask], response_format: chatFormat }).finalChatCompletion();
      expect(done.choices[0]?.finish_reason).toBe('stop');
      expectCity(done.choices[0]?.message.content);
      expect(upstreamBody(stack).text).toMatchObject({ format: { type: 'json_schema', name: 'city', schema: CITY } });
    });

    it('a chat client to Gemini: `responseJsonSchema` on generateContent, JSON back', async () => {
      const done = await client.chat.completions.create({ model: MODELS.gemini, messages: [...ask], response_format: chatFormat });
      expectCity(done.choices[0]?.message.content);
      expect(upstreamBody(stack).generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: CITY });
    });

    it('an Anthropic client to GPT: `output_config.format` becomes `text.format`, streamed', async () => {
      const done = await anthropic(stack)
        .messages.stream({
          model: MODELS.gpt,
          max_tokens: 512,
          messages: [{ role: 'user', content: 'Describe Lisbon.' }],
          output_config: { format: { type: 'json_schema', schema: CITY } },
        } as Anthropic.MessageStreamParams)
        .finalMessage();
      expect(done.stop_reason).toBe('end_turn');
      const text = done.content.find((block) => block.type === 'text');
      expectCity(text?.type === 'text' ? text.text : undefined);
    });
  });
});
