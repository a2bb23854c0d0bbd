import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog } from '../../../src/emulator/catalog.js';
import type { EmulatedEndpoint } from '../../../src/emulator/types.js';
import type { Stack } from '../../helpers/stack.js';
import { lastFrames, outcome, recordingFetch, stackWith, variants, type RawFrame } from './support.js';

/**
 * chat-chunks, against `chat-minimal-chunks`, `chat-list-content`,
 * `chat-usage-after-finish` and `chat-no-done`, for a Chat Completions client
 * on a chat-served model (passthrough). The translated routes need no such
 * repair: the chat stream decoder reads all four shapes itself.
 */
const LLAMA = 'databricks-meta-llama-3-3-70b-instruct';

/**
 * A Claude model behind an external endpoint whose name says nothing of its
 * family: the proxy serves it on chat completions ("other"), and Databricks
 * answers with list content and reasoning items (databricks.md §5.1).
 */
const EXTERNAL_CLAUDE: EmulatedEndpoint = {
  name: 'team-assistant-external',
  task: 'llm/v1/chat',
  family: 'claude',
  kind: 'external',
  onAiGateway: true,
  displayName: 'Team assistant (external)',
  // A provider and model name that do not say Claude: the proxy cannot tell its family, so it goes to chat completions.
  externalModel: { name: 'team-model-v2', provider: 'custom' },
};

const chunksOf = (frames: RawFrame[]) => frames.filter((frame) => frame.json);
const choiceOf = (frame: RawFrame) => (frame.json?.choices as Record<string, unknown>[] | undefined)?.[0];
const deltaOf = (frame: RawFrame) => choiceOf(frame)?.delta as Record<string, unknown> | undefined;

describe.each(variants('chat-chunks'))('$name', (variant) => {
  let stack: Stack;
  let openai: OpenAI;
  const recorder = recordingFetch();

  beforeAll(async () => {
    stack = await stackWith([], variant, { emulator: { endpoints: [...defaultCatalog(), EXTERNAL_CLAUDE] } });
    openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0, fetch: recorder.fetch });
  });
  afterAll(() => stack.close());

  const streamed = (params: Partial<OpenAI.Chat.ChatCompletionCreateParamsStreaming> = {}) =>
    outcome(() =>
      openai.chat.completions.stream({ model: LLAMA, messages: [{ role: 'user', content: 'hello chunks' }], ...params }).finalChatCompletion(),
    );

  it('minimal chunks: every chunk gets id, object, created, model and a choice index', async () => {
    stack.emulator.setQuirks(['chat-minimal-chunks']);
    const run = await streamed();
    if (!variant.repaired) {
      expect(run.error?.message).toMatch(/invalid choice index/);
      return;
    }
    expect(run.value?.choices[0]?.message.content).toBe('You said: hello chunks');
    const chunks = chunksOf(await lastFrames(recorder));
    expect(new Set(chunks.map((chunk) => chunk.json?.id)).size).toBe(1);
    for (const { json } of chunks) {
      expect(json).toMatchObject({ id: expect.stringMatching(/^chatcmpl-/), object: 'chat.completion.chunk', created: expect.any(Number), model: LLAMA });
      expect((json?.choices as { index: unknown }[])[0]?.index).toBe(0);
    }
  });

  it('list content: text becomes the string content, reasoning goes to reasoning_content and never into the text', async () => {
    stack.emulator.setQuirks(['chat-list-content']);
    const run = await outcome(() =>
      openai.chat.completions
        .stream({ model: EXTERNAL_CLAUDE.name, reasoning_effort: 'low', messages: [{ role: 'user', content: 'hello lists' }] })
        .finalChatCompletion(),
    );
    const frames = await lastFrames(recorder);
    const contents = chunksOf(frames).map((frame) => deltaOf(frame)?.content);
    const reasoning = chunksOf(frames)
      .map((frame) => deltaOf(frame)?.reasoning_content ?? '')
      .join('');
    if (variant.repaired) {
      expect(run.value?.choices[0]?.message.content).toBe('You said: hello lists');
      expect(contents.every((content) => content === undefined || typeof content === 'string')).toBe(true);
      expect(reasoning).toBe('Nothing to look up; I will repeat what the user said.');
    } else {
      expect(contents.some(Array.isArray)).toBe(true);
      expect(run.value?.choices[0]?.message.content).not.toBe('You said: hello lists');
    }
  });

  it('list content in a whole answer: a string content and reasoning_content', async () => {
    stack.emulator.setQuirks(['chat-list-content']);
    const completion = await openai.chat.completions.create({ model: EXTERNAL_CLAUDE.name, reasoning_effort: 'low', messages: [{ role: 'user', content: 'hello whole' }] });
    const message = completion.choices[0]?.message as unknown as Record<string, unknown>;
    if (variant.repaired) {
      expect(message.content).toBe('You said: hello whole');
      expect(message.reasoning_content).toBe('Nothing to look up; I will repeat what the user said.');
    } else {
      expect(Array.isArray(message.content)).toBe(true);
    }
  });

  it.each([false, true])('usage after the finish chunk (include_usage %s): the finish chunk carries it', async (includeUsage) => {
    stack.emulator.setQuirks(['chat-usage-after-finish']);
    const run = await streamed(includeUsage ? { stream_options: { include_usage: true } } : {});
    // The openai SDK reads usage from whichever chunk has it.
    expect(run.value?.usage?.total_tokens).toBeGreaterThan(0);
    const chunks = chunksOf(await lastFrames(recorder));
    const finish = chunks.find((chunk) => choiceOf(chunk)?.finish_reason);
    const usageChunks = chunks.filter((chunk) => (chunk.json?.choices as unknown[]).length === 0);
    if (variant.repaired) {
      // A client that stops at finish_reason still has the usage.
      expect(finish?.json?.usage).toEqual(run.value?.usage);
      // The separate usage chunk only for a client that asked for it.
      expect(usageChunks).toHaveLength(includeUsage ? 1 : 0);
    } else {
      expect(finish?.json?.usage).toBeUndefined();
    }
  });

  it('no [DONE]: the stream still ends with it', async () => {
    stack.emulator.setQuirks(['chat-no-done']);
    const run = await streamed();
    const last = (await lastFrames(recorder)).at(-1);
    if (variant.repaired) {
      expect(run.value?.choices[0]?.finish_reason).toBe('stop');
      expect(last?.data).toBe('[DONE]');
    } else {
      // The proxy's stream tracker reports the missing end as an upstream failure.
      expect(run.error).toBeInstanceOf(OpenAI.APIError);
      expect(last?.json).toHaveProperty('error');
    }
  });
});
