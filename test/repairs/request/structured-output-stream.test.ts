import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { applyRepair, lastInference, MODELS, openai, outcome, postToEmulator, repairById, startPair, upstreamBody, type Pair } from './support.js';

/**
 * structured-output-stream: Databricks chat refuses `response_format` with
 * `stream: true`. With the repair the request goes upstream whole and the
 * client still gets a well-formed stream in its dialect (the official SDK
 * stream helpers judge it); disabled, the emulator's 400 reaches the client.
 */
const SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, year: { type: 'integer' } },
  required: ['title', 'year'],
  additionalProperties: false,
};

function expectBook(text: string | null | undefined): void {
  expect(JSON.parse(text ?? '')).toEqual({ title: expect.any(String), year: expect.any(Number) });
}

const REFUSAL = 'Structured output is not currently supported with streaming';

describe('structured-output-stream', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('structured-output-stream');
  });
  afterAll(() => pair.close());

  it('a chat client streaming a json_schema answer from llama (passthrough): a faked stream, usage included', async () => {
    const ask = (stack: Stack) =>
      openai(stack)
        .chat.completions.stream({
          model: MODELS.llama,
          messages: [{ role: 'user', content: 'Name a book.' }],
          response_format: { type: 'json_schema', json_schema: { name: 'book', schema: SCHEMA, strict: true } },
          stream_options: { include_usage: true },
        })
        .finalChatCompletion();
    const done = await ask(pair.on);
    expect(done.choices[0]?.finish_reason).toBe('stop');
    expectBook(done.choices[0]?.message.content);
    expect(done.usage?.total_tokens).toBeGreaterThan(0);
    expect(done.model).toBe(MODELS.llama);
    // Upstream the request went whole, without the stream-only options.
    expect(lastInference(pair.on).streamed).toBe(false);
    expect(upstreamBody(pair.on)).toMatchObject({ stream: false });
    expect(upstreamBody(pair.on)).not.toHaveProperty('stream_options');

    const refused = await outcome(() => ask(pair.off));
    expect(refused.error).toBeInstanceOf(OpenAI.APIError);
    expect((refused.error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect(refused.error?.message).toContain(REFUSAL);
  });

  it('the faked stream is real SSE: role chunk, content, one finish_reason, [DONE]', async () => {
    const response = await fetch(`${pair.on.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer local' },
      body: JSON.stringify({ model: MODELS.qwen, stream: true, messages: [{ role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = (await response.text()).split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((line) => JSON.parse(line) as { choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[] });
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.filter((chunk) => chunk.choices[0]?.finish_reason).map((chunk) => chunk.choices[0]?.finish_reason)).toEqual(['stop']);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(JSON.parse(text)).toBeTypeOf('object');
  });

  it('a Responses client streaming `text.format` from qwen (translated to chat)', async () => {
    const ask = (stack: Stack) =>
      openai(stack)
        .responses.stream({ model: MODELS.qwen, input: 'Name a book.', text: { format: { type: 'json_schema', name: 'book', schema: SCHEMA, strict: true } } })
        .finalResponse();
    const done = await ask(pair.on);
    expect(done.status).toBe('completed');
    expectBook(done.output_text);
    expect(lastInference(pair.on).path).toMatch(/chat\/completions$/);
    expect(lastInference(pair.on).streamed).toBe(false);
    const refused = await outcome(() => ask(pair.off));
    expect(refused.error?.message).toContain(REFUSAL);
  });

  it('a stream without structured output, or with `type: text`, still streams upstream', async () => {
    const done = await openai(pair.on)
      .chat.completions.stream({ model: MODELS.llama, messages: [{ role: 'user', content: 'hello llama' }], response_format: { type: 'text' } })
      .finalChatCompletion();
    expect(done.choices[0]?.message.content).toContain('hello llama');
    expect(lastInference(pair.on).streamed).toBe(true);
  });

  it('a whole answer cut off upstream ends the client stream with its error event, not a hang or a silent cut', async () => {
    pair.on.emulator.setFaults(['disconnect-mid-stream*1']);
    try {
      const cut = await outcome(() =>
        openai(pair.on)
          .chat.completions.stream({ model: MODELS.llama, messages: [{ role: 'user', content: 'JSON' }], response_format: { type: 'json_object' } })
          .finalChatCompletion(),
      );
      expect(cut.error).toBeInstanceOf(OpenAI.APIError);
      expect(cut.error?.message).toMatch(/upstream/i);
    } finally {
      pair.on.emulator.setFaults([]);
    }
  });

  it('its probe provokes the refusal, and the repaired probe body is accepted', async () => {
    const repair = repairById('structured-output-stream');
    const body: Record<string, unknown> = { model: MODELS.llama, messages: [{ role: 'user', content: 'x' }], max_tokens: 16, stream: true };
    expect(repair.probe?.provoke(body, { upstream: 'openai-chat', surface: 'ai-gateway', family: 'llama', endpoint: MODELS.llama, config: pair.on.config })).toBe(true);
    const bare = await postToEmulator(pair.on, '/serving-endpoints/chat/completions', body);
    expect(bare.status).toBe(400);
    expect(bare.json.message).toContain(REFUSAL);
    const { body: repaired } = applyRepair('structured-output-stream', body, { upstream: 'openai-chat', family: 'llama', endpoint: MODELS.llama });
    const accepted = await postToEmulator(pair.on, '/serving-endpoints/chat/completions', repaired);
    expect(accepted.status).toBe(200);
    expect(JSON.parse((accepted.json.choices as { message: { content: string } }[])[0]?.message.content ?? '')).toBeTypeOf('object');
  });
});
