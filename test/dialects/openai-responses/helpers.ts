import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import type { Family } from '../../../src/databricks/family.js';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import type { IrStreamDecoder, IrStreamEncoder, IrStreamEvent } from '../../../src/ir/stream.js';
import { FrameSplitter } from '../../../src/sse/frame-splitter.js';
import { parseFrame } from '../../../src/sse/parse-frame.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/openai-responses/${name}`, import.meta.url), 'utf8');
}

export function context(overrides: Partial<CodecContext> & { family?: Family } = {}): CodecContext {
  return { endpoint: 'databricks-gpt-5-4', family: 'gpt', clientModel: 'gpt-5.4', ...overrides };
}

export function irRequest(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'databricks-gpt-5-4', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true, ...overrides };
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

export interface SseEvent {
  event: string | undefined;
  data: Record<string, unknown>;
}

/** The frames of an SSE text: event name and parsed data. */
export function sseEvents(sse: string): SseEvent[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const parsed = parseFrame(frame);
      return { event: parsed.event, data: JSON.parse(parsed.data ?? 'null') as Record<string, unknown> };
    });
}

/** An OpenAI client whose fetch answers with the given body, no network involved. */
export function openAiAnswering(body: string, contentType = 'text/event-stream'): OpenAI {
  return new OpenAI({
    apiKey: 'x',
    baseURL: 'http://t.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': contentType } }),
  });
}
