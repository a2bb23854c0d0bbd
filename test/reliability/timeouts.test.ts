import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { CLAUDE, endsAsFailed, GPT, LLAMA, sendRaw, streamError, streamWithSdk, type ClientApi } from './routes.js';

/**
 * No client waits forever: a workspace that never answers becomes a 504 in
 * the client's dialect (headers timeout), a body that goes silent ends with a
 * timeout error (idle timeout), and the whole request is bounded (total
 * timeout), retries and stream included.
 */
const NATIVE: readonly { client: ClientApi; model: string }[] = [
  { client: 'chat', model: LLAMA },
  { client: 'responses', model: GPT },
  { client: 'messages', model: CLAUDE },
];

/** The client-dialect error of a non-stream failure: OpenAI `{error:{type,code,message}}`, Anthropic `{type:'error',error:{type,message}}`. */
function errorOf(client: ClientApi, text: string): { type: string; code?: string; message: string } {
  const body = JSON.parse(text) as { error: { type: string; code?: string; message: string } };
  return body.error;
}

const TIMEOUT_TYPE = { openai: { type: 'server_error', code: 'timeout' }, anthropic: { type: 'timeout_error' } };
const expectTimeout = (client: ClientApi, error: unknown, message: RegExp) =>
  expect(error).toMatchObject({ ...(client === 'messages' ? TIMEOUT_TYPE.anthropic : TIMEOUT_TYPE.openai), message: expect.stringMatching(message) });

describe('headers and idle timeouts', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstream: { headersTimeoutMs: 300, idleTimeoutMs: 300 } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.emulator.setFaults([]);
    stack.emulator.clearTranscript();
  });

  it.each(NATIVE.flatMap((route) => [true, false].map((stream) => [route.client, stream, route] as const)))(
    'no answer at all: %s (stream %s) gets a 504 in its dialect, and the request is not retried',
    async (client, stream, route) => {
      stack.emulator.setFaults(['hang-before-headers']);
      const raw = await sendRaw(stack.proxy.url, route, 'anyone there?', stream);
      expect(raw.status).toBe(504);
      expect(raw.headers.get('content-type')).toMatch(/application\/json/);
      expectTimeout(client, errorOf(client, raw.text), /headersTimeoutMs/);
      expect(stack.emulator.transcript.filter((entry) => entry.fault === 'hang-before-headers')).toHaveLength(1);
    },
  );

  it('the SDKs see that 504 as their own timeout error', async () => {
    stack.emulator.setFaults(['hang-before-headers']);
    const openai = new OpenAI({ apiKey: 'local', baseURL: stack.openaiBaseUrl, maxRetries: 0 });
    await expect(openai.responses.create({ model: GPT, input: 'x' })).rejects.toMatchObject({ status: 504 });
    const anthropic = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 });
    await expect(anthropic.messages.create({ model: CLAUDE, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 504,
      error: { error: { type: 'timeout_error' } },
    });
  });

  it.each(NATIVE)('a JSON answer that stalls halfway: $client gets a 504 in its dialect', async (route) => {
    stack.emulator.setFaults(['stall']);
    const raw = await sendRaw(stack.proxy.url, route, 'a long answer', false);
    expect(raw.status).toBe(504);
    expectTimeout(route.client, errorOf(route.client, raw.text), /idleTimeoutMs/);
  });

  it.each(NATIVE)('a JSON answer cut halfway: $client gets a 502 in its dialect', async (route) => {
    stack.emulator.setFaults(['disconnect-mid-stream']);
    const raw = await sendRaw(stack.proxy.url, route, 'a long answer', false);
    expect(raw.status).toBe(502);
    const error = errorOf(route.client, raw.text);
    expect(error.type).toBe(route.client === 'messages' ? 'api_error' : 'server_error');
    expect(error.message).toMatch(/Could not reach the Databricks workspace/);
  });
});

describe('total timeout', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { upstream: { totalTimeoutMs: 300 } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.emulator.clearTranscript());

  it.each(NATIVE)('a stream still dripping when the limit passes ends with $client’s timeout error, and the upstream call is closed', async (route) => {
    // slow-drip: 200 ms between frames, so the whole stream takes well over 300 ms.
    stack.emulator.setFaults(['slow-drip']);
    await expect(streamWithSdk(stack.proxy.url, route, 'a slow answer')).rejects.toThrow(/totalTimeoutMs/);
    const raw = await sendRaw(stack.proxy.url, route, 'a slow answer', true);
    expect(raw.status).toBe(200);
    expect(endsAsFailed(route.client, raw.text)).toBe(true);
    expectTimeout(route.client, streamError(route.client, raw.text), /totalTimeoutMs/);
    await expect.poll(() => stack.emulator.closedByClient.length).toBe(2);
  });

  it('counts from the first attempt: a request with no answer ends at the total limit', async () => {
    stack.emulator.setFaults(['hang-before-headers']);
    const raw = await sendRaw(stack.proxy.url, { client: 'chat', model: LLAMA }, 'x', false);
    expect(raw.status).toBe(504);
    expectTimeout('chat', errorOf('chat', raw.text), /totalTimeoutMs/);
  });
});
