import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import type { IrStreamDecoder, IrStreamEncoder, IrStreamEvent } from '../../../src/ir/stream.js';
import { FrameSplitter } from '../../../src/sse/frame-splitter.js';
import { parseFrame } from '../../../src/sse/parse-frame.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/openai-chat/${name}`, import.meta.url), 'utf8');
}

export function context(overrides: Partial<CodecContext> = {}): CodecContext {
  return { endpoint: 'databricks-meta-llama-3-3-70b-instruct', family: 'llama', clientModel: 'my-llama', ...overrides };
}

export function irRequest(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'databricks-meta-llama-3-3-70b-instruct', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true, ...overrides };
}

/** Feeds SSE bytes, cut at the given byte offsets, through FrameSplitter + parseFrame into the decoder, then ends it. */
export function decodeBytes(decoder: IrStreamDecoder, bytes: Uint8Array, cuts: readonly number[] = []): IrStreamEvent[] {
  const splitter = new FrameSplitter();
  const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  const events: IrStreamEvent[] = [];
  for (let i = 1; i < points.length; i++) {
    for (const raw of splitter.push(bytes.subarray(points[i - 1], points[i]))) {
      const frame = parseFrame(raw);
      if (frame.data !== undefined) events.push(...decoder.frame(frame.event, frame.data));
    }
  }
  events.push(...decoder.end());
  return events;
}

export function encodeAll(encoder: IrStreamEncoder, events: readonly IrStreamEvent[]): string {
  return events.map((event) => encoder.encode(event)).join('');
}

/** The data payloads of an SSE text, parsed (`[DONE]` kept as the string). */
export function payloads(sse: string): unknown[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const data = parseFrame(frame).data ?? '';
      return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
    });
}

/** An OpenAI client whose fetch answers with the given body, no network involved. */
export function openAiClientAnswering(body: string, contentType: string): OpenAI {
  return new OpenAI({
    apiKey: 'x',
    baseURL: 'http://t.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': contentType } }),
  });
}
