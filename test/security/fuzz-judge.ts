import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { expect } from 'vitest';
import type { RouteName } from './fuzz-bodies.js';

/**
 * What the fuzz test accepts as an answer. Errors: a JSON body in the
 * route's dialect, and a 5xx only when the upstream answered one itself.
 * Success: a JSON answer of the route's kind, or a stream that the official
 * SDK stream helper of the route reads to its final result.
 */

export const DIALECT: Record<RouteName, 'openai' | 'anthropic' | 'google'> = { chat: 'openai', responses: 'openai', messages: 'anthropic', gemini: 'google' };

/** The official stream helper of each route, fed the proxy's real answer through the SDK's `fetch` option. */
const STREAM_JUDGES: Record<RouteName, (answer: Response) => Promise<unknown>> = {
  chat: (answer) =>
    new OpenAI({ apiKey: 'fuzz', baseURL: 'http://proxy.invalid/v1', maxRetries: 0, fetch: async () => answer }).chat.completions
      .stream({ model: 'fuzz', messages: [] })
      .finalChatCompletion(),
  responses: (answer) =>
    new OpenAI({ apiKey: 'fuzz', baseURL: 'http://proxy.invalid/v1', maxRetries: 0, fetch: async () => answer }).responses.stream({ model: 'fuzz', input: '' }).finalResponse(),
  messages: (answer) =>
    new Anthropic({ apiKey: 'fuzz', baseURL: 'http://proxy.invalid', maxRetries: 0, fetch: async () => answer }).messages
      .stream({ model: 'fuzz', max_tokens: 1, messages: [] })
      .finalMessage(),
  gemini: judgeGeminiStream,
};

/**
 * `@google/genai` takes no fetch of its own, so its stream rules are checked
 * here (wire-formats.md §6.4): every frame a JSON object; the stream ends with
 * a chunk that has a finishReason (usage may follow) or with an error chunk
 * in Google's shape (code 400-599), after which nothing comes.
 */
async function judgeGeminiStream(answer: Response): Promise<void> {
  const frames = (await answer.text()).split(/\r?\n\r?\n/).filter((frame) => frame.trim() !== '');
  const chunks = frames.map((frame) => JSON.parse(frame.replace(/^data: ?/gm, '')) as Record<string, unknown>);
  expect(chunks.length).toBeGreaterThan(0);
  const failed = chunks.findIndex((chunk) => chunk.error !== undefined);
  if (failed !== -1) {
    expect(failed).toBe(chunks.length - 1);
    expectDialectErrorBody('google', chunks[failed]);
    return;
  }
  const finished = (chunk: Record<string, unknown>) => (chunk.candidates as { finishReason?: string }[] | undefined)?.some((candidate) => candidate.finishReason) ?? false;
  expect(chunks.some(finished) || chunks.some((chunk) => chunk.promptFeedback !== undefined)).toBe(true);
}

const JSON_ANSWER: Record<RouteName, object> = {
  chat: { object: 'chat.completion', choices: expect.any(Array) },
  responses: { object: 'response', output: expect.any(Array) },
  messages: { type: 'message', content: expect.any(Array) },
  gemini: { candidates: expect.any(Array) },
};

export function expectDialectErrorBody(dialect: 'openai' | 'anthropic' | 'google', body: unknown): void {
  if (dialect === 'google') {
    expect(body).toEqual({ error: { code: expect.any(Number), message: expect.any(String), status: expect.any(String), ...((body as { error?: { details?: unknown } }).error?.details ? { details: expect.any(Array) } : {}) } });
  } else if (dialect === 'openai') {
    expect(body).toEqual({ error: { message: expect.any(String), type: expect.any(String), param: expect.toSatisfy((v) => v === null || typeof v === 'string'), code: expect.toSatisfy((v) => v === null || typeof v === 'string') } });
  } else {
    expect(body).toEqual({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
  }
}

/**
 * Judges one answer. `upstreamStatuses` are the statuses the emulator
 * answered for this request (none when the proxy refused it first).
 */
export async function judgeAnswer(route: RouteName, answer: Response, upstreamStatuses: () => number[]): Promise<void> {
  const type = answer.headers.get('content-type') ?? '';
  if (answer.status >= 300) {
    const text = await answer.text();
    if (answer.status >= 500) {
      expect(upstreamStatuses().some((status) => status >= 500), `a ${answer.status} the upstream did not cause: ${text.slice(0, 500)}`).toBe(true);
    }
    expect(type, text.slice(0, 300)).toMatch(/^application\/json/);
    expectDialectErrorBody(DIALECT[route], JSON.parse(text));
    return;
  }
  expect(answer.status).toBe(200);
  if (type.startsWith('text/event-stream')) {
    await STREAM_JUDGES[route](answer);
    return;
  }
  expect(type).toMatch(/^application\/json/);
  expect(JSON.parse(await answer.text())).toMatchObject(JSON_ANSWER[route]);
}
