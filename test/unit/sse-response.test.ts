import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { INBOUND } from '../../src/dialects/inbound.js';
import type { InboundDialect } from '../../src/dialects/dialect.js';
import { pipeSse, writeBatches } from '../../src/server/sse-response.js';
import type { ServerResponse } from 'node:http';

/**
 * A stream that breaks after a few frames must end with the dialect's error
 * event, so the official SDKs reject it instead of returning half an answer.
 */
const encoder = new TextEncoder();
let server: Server | undefined;
afterEach(() => server?.close());

async function serveBrokenStream(dialect: InboundDialect, frames: string[], breakWith: 'error' | 'end' | 'mid-frame'): Promise<string> {
  server = createServer((_request, response) => {
    async function* source() {
      for (const frame of frames) yield encoder.encode(frame);
      if (breakWith === 'mid-frame') yield encoder.encode('data: {"half":');
      if (breakWith === 'error') throw new Error('socket hang up');
    }
    void pipeSse(source(), response, INBOUND[dialect].createTracker());
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const chatChunk = (delta: object) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;

describe('pipeSse failure tails', () => {
  it.each(['error', 'end', 'mid-frame'] as const)('chat: a stream broken by %s makes the OpenAI SDK throw', async (breakWith) => {
    const url = await serveBrokenStream('openai-chat', [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'partial' })], breakWith);
    const client = new OpenAI({ apiKey: 'x', baseURL: url, maxRetries: 0 });
    await expect(client.chat.completions.stream({ model: 'm', messages: [] }).finalChatCompletion()).rejects.toThrow(/upstream stream/i);
  });

  it.each(['error', 'end', 'mid-frame'] as const)('responses: a stream broken by %s ends with error and response.failed', async (breakWith) => {
    const created = { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', created_at: 1, model: 'm', status: 'in_progress', output: [] } };
    const url = await serveBrokenStream('openai-responses', [`event: response.created\ndata: ${JSON.stringify(created)}\n\n`], breakWith);
    const raw = await (await fetch(url)).text();
    expect(raw).toMatch(/event: error\ndata: \{"type":"error","sequence_number":1,/);
    expect(raw).toMatch(/event: response.failed\ndata: \{"type":"response.failed","sequence_number":2,"response":\{"object":"response","id":"resp_1"/);
    expect(raw).not.toContain('{"half":');
    const client = new OpenAI({ apiKey: 'x', baseURL: url, maxRetries: 0 });
    await expect(client.responses.stream({ model: 'm', input: 'x' }).finalResponse()).rejects.toThrow(/upstream stream/i);
  });

  it.each(['error', 'end', 'mid-frame'] as const)('messages: a stream broken by %s makes the Anthropic SDK throw and still ends with message_stop', async (breakWith) => {
    const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } };
    const url = await serveBrokenStream('anthropic-messages', [`event: message_start\ndata: ${JSON.stringify(start)}\n\n`], breakWith);
    const raw = await (await fetch(url)).text();
    expect(raw.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
    const client = new Anthropic({ apiKey: 'x', baseURL: url, maxRetries: 0 });
    await expect(client.messages.stream({ model: 'm', max_tokens: 1, messages: [] }).finalMessage()).rejects.toThrow(/upstream stream/i);
  });

  it('a complete stream passes through byte for byte with nothing appended', async () => {
    const frames = [chatChunk({ role: 'assistant', content: 'hi' }), 'data: [DONE]\n\n'];
    server = createServer((_request, response) => {
      async function* source() {
        yield encoder.encode(frames.join(''));
      }
      void pipeSse(source(), response, INBOUND['openai-chat'].createTracker());
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const raw = await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)).text();
    expect(raw).toBe(frames.join(''));
  });
});

describe('writes', () => {
  /** A response that records each write. */
  function recordingResponse(): { response: ServerResponse; writes: string[] } {
    const writes: string[] = [];
    const response = {
      headersSent: false,
      destroyed: false,
      writeHead: () => response,
      write: (text: string) => writes.push(text) > 0,
      end: () => undefined,
    };
    return { response: response as unknown as ServerResponse, writes };
  }

  it('the first frame of a burst goes out on its own, then one write per network chunk', async () => {
    const burst = [chatChunk({ role: 'assistant', content: '' }), chatChunk({ content: 'a' }), chatChunk({ content: 'b' })];
    const later = [chatChunk({ content: 'c' }), 'data: [DONE]\n\n'];
    async function* source() {
      yield encoder.encode(burst.join(''));
      yield encoder.encode(later.join(''));
    }
    const { response, writes } = recordingResponse();
    const outcome = await pipeSse(source(), response, INBOUND['openai-chat'].createTracker());
    expect(outcome.failure).toBeUndefined();
    expect(writes).toEqual([burst[0], burst.slice(1).join(''), later.join('')]);
  });

  it('writeBatches splits only before the first write, and only a chunk of several frames', () => {
    expect(writeBatches(['a', 'b', 'c'], false)).toEqual([['a'], ['b', 'c']]);
    expect(writeBatches(['a', 'b', 'c'], true)).toEqual([['a', 'b', 'c']]);
    expect(writeBatches(['a'], false)).toEqual([['a']]);
    expect(writeBatches([], false)).toEqual([[]]);
  });
});
