import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../helpers/stack.js';
import { lastFrames, outcome, recordingFetch, stackWith, variants } from './support.js';

/**
 * long-ids, against `responses-long-ids` (193/192-character ids sharing one
 * stem, databricks.md §5.3): a Codex-style client replays the first turn's
 * items in the second turn, which Databricks refuses when an id is over 64
 * characters. Parallel calls show why the ids are hashed, not cut.
 */
const TOOLS: OpenAI.Responses.FunctionTool[] = [
  { type: 'function', name: 'read_file', strict: false, parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
];
const MODEL = 'databricks-gpt-5-1-codex-max';

describe.each(variants('long-ids'))('$name', (variant) => {
  let stack: Stack;
  let openai: OpenAI;
  const recorder = recordingFetch();

  beforeAll(async () => {
    stack = await stackWith(['responses-long-ids'], variant);
    openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0, fetch: recorder.fetch });
  });
  afterAll(() => stack.close());

  it('passthrough: a replayed tool-call turn is accepted, and every id the client saw fits in 64 characters', async () => {
    const first = await openai.responses
      .stream({ model: MODEL, input: 'read notes.txt', tools: TOOLS, reasoning: { effort: 'low', summary: 'auto' }, include: ['reasoning.encrypted_content'], store: false })
      .finalResponse();
    const frames = await lastFrames(recorder);
    const ids = frames.flatMap((frame) => [frame.json?.item_id, (frame.json?.item as { id?: unknown } | undefined)?.id, (frame.json?.response as { id?: unknown } | undefined)?.id]);
    const longest = Math.max(...ids.filter((id): id is string => typeof id === 'string').map((id) => id.length));

    const call = first.output.find((item) => item.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('the first turn made no call');
    const second = await outcome(() =>
      openai.responses
        .stream({
          model: MODEL,
          tools: TOOLS,
          store: false,
          include: ['reasoning.encrypted_content'],
          reasoning: { effort: 'low', summary: 'auto' },
          input: [{ role: 'user', content: 'read notes.txt' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'the secret word is PLUM' }],
        })
        .finalResponse(),
    );

    if (variant.repaired) {
      expect(longest).toBeLessThanOrEqual(64);
      expect(first.id.length).toBeLessThanOrEqual(64);
      expect(second.value?.output_text).toContain('PLUM');
    } else {
      expect(longest).toBeGreaterThan(64);
      expect(second.error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(second.error?.message).toMatch(/string too long/);
    }
  });

  it('passthrough: two parallel calls of one response keep distinct ids', async () => {
    const run = await outcome(() => openai.responses.stream({ model: MODEL, input: 'read a.txt and b.txt in parallel', tools: TOOLS }).finalResponse());
    const calls = run.value?.output.filter((item) => item.type === 'function_call') ?? [];
    expect(calls).toHaveLength(2);
    const [a, b] = calls;
    expect(a?.id).not.toBe(b?.id);
    if (variant.repaired) for (const item of calls) expect(item.id?.length).toBeLessThanOrEqual(64);
    else for (const item of calls) expect(item.id?.length).toBeGreaterThan(64);
  });

  it('request side: an over-64 id a client replays is shortened the same way before it goes upstream', async () => {
    const longId = `msg_01c6579b${'e'.repeat(180)}`;
    const run = await outcome(() =>
      openai.responses.create({
        model: MODEL,
        input: [
          { role: 'user', content: 'hello' },
          { type: 'message', id: longId, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hi', annotations: [] }] },
          { role: 'user', content: 'again' },
        ],
      }),
    );
    const sent = stack.emulator.transcript.at(-1)?.body as { input: { id?: string }[] };
    if (variant.repaired) {
      expect(run.value?.output_text).toContain('again');
      expect(sent.input[1]?.id?.length).toBeLessThanOrEqual(64);
      expect(sent.input[1]?.id).toMatch(/^msg_/);
    } else {
      expect(run.error).toBeInstanceOf(OpenAI.BadRequestError);
    }
  });

  it('translated (Anthropic client → Responses upstream): the answer completes and its message id fits', async () => {
    const anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: MODEL, max_tokens: 512, messages: [{ role: 'user', content: 'hello translated' }] }).finalMessage();
    expect(message.content.find((block) => block.type === 'text')).toMatchObject({ text: expect.stringContaining('hello translated') });
    // The message id comes from the upstream response id (193 characters).
    if (variant.repaired) expect(message.id.length).toBeLessThanOrEqual(64);
    else expect(message.id.length).toBeGreaterThan(64);
  });
});
