import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../helpers/stack.js';
import { emulatorText } from './support.js';

/**
 * With no quirk switched on, the stream repairs active on a passthrough route
 * change nothing: the client receives, byte for byte, what the emulator sent
 * (the repairs parse and re-serialise every frame, so this also proves the
 * re-serialisation is faithful). Only the clock-driven `created` stamps can
 * differ between the two calls.
 */
const CASES = [
  {
    name: 'chat completions (llama)',
    path: '/v1/chat/completions',
    body: { model: 'databricks-meta-llama-3-3-70b-instruct', messages: [{ role: 'user', content: 'bytes, please' }], stream: true, stream_options: { include_usage: true } },
  },
  {
    name: 'responses with reasoning and a tool call (gpt)',
    path: '/v1/responses',
    body: {
      model: 'databricks-gpt-5-2',
      input: 'read notes.txt',
      reasoning: { effort: 'low', summary: 'auto' },
      tools: [{ type: 'function', name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      stream: true,
    },
  },
  {
    name: 'messages with thinking (claude)',
    path: '/v1/messages',
    body: {
      model: 'databricks-claude-sonnet-4-6',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'bytes, please' }],
      stream: true,
    },
  },
] as const;

const unclocked = (text: string) => text.replace(/"(created|created_at)":\d+/g, '"$1":0');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('passthrough streams with no quirk', () => {
  it.each(CASES)('$name reach the client byte for byte', async ({ path, body }) => {
    stack.emulator.clearTranscript();
    const response = await fetch(`${stack.proxy.url}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer local', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    const relayed = await response.text();
    const upstream = stack.emulator.transcript.find((entry) => entry.method === 'POST' && entry.streamed);
    if (!upstream) throw new Error('the proxy made no streamed upstream call');
    const direct = await emulatorText(stack.emulator.url, upstream.path, upstream.body, { 'anthropic-version': '2023-06-01' });
    expect(relayed.length).toBeGreaterThan(200);
    expect(unclocked(relayed)).toBe(unclocked(direct));
  });
});
