import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { expect } from 'vitest';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import { FrameSplitter } from '../../../src/sse/frame-splitter.js';
import { parseFrame } from '../../../src/sse/parse-frame.js';
export { decodeSseBytes } from '../../helpers/sse-decode.js';

export const CONTEXT: CodecContext = { endpoint: 'databricks-claude-sonnet-4-6', family: 'claude', clientModel: 'claude-sonnet-4-6' };

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/anthropic-messages/${name}`, import.meta.url), 'utf8');
}

export function request(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: CONTEXT.endpoint, system: [], messages: [], tools: [], stream: true, ...overrides };
}

export interface SseEvent {
  event: string | undefined;
  data: Record<string, unknown>;
}

export function sseEvents(text: string): SseEvent[] {
  const splitter = new FrameSplitter();
  return splitter
    .push(new TextEncoder().encode(text))
    .map(parseFrame)
    .filter((frame) => frame.data !== undefined)
    .map((frame) => ({ event: frame.event, data: JSON.parse(frame.data ?? '') as Record<string, unknown> }));
}

/** The official SDK's own reading of a Messages stream (it throws on the defects it knows). */
export async function sdkFinalMessage(sse: string): Promise<Message> {
  const client = new Anthropic({
    apiKey: 'x',
    baseURL: 'http://t.test',
    maxRetries: 0,
    fetch: async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
}

/**
 * What the SDK accepts silently but clients need (wire-formats §6.5): every
 * frame named after its type, message_start first and message_stop last,
 * blocks contiguous from 0 and never interleaved, deltas that fit their
 * block, a non-null stop reason, output tokens that never go down.
 */
export function expectWellFormedMessagesStream(sse: string): void {
  const events = sseEvents(sse);
  for (const { event, data } of events) expect(event).toBe(data.type);
  expect(events[0]?.data.type).toBe('message_start');
  expect(events.at(-1)?.data.type).toBe('message_stop');
  expect(events.filter((e) => e.data.type === 'message_stop')).toHaveLength(1);
  expect(events.filter((e) => e.data.type === 'message_start')).toHaveLength(1);
  const fits: Record<string, string> = { text_delta: 'text', thinking_delta: 'thinking', signature_delta: 'thinking', input_json_delta: 'tool_use' };
  let open: { index: number; type: string } | undefined;
  let next = 0;
  let output = -1;
  let stopReasons = 0;
  for (const { data } of events) {
    switch (data.type) {
      case 'content_block_start': {
        expect(open).toBeUndefined();
        expect(data.index).toBe(next++);
        open = { index: data.index as number, type: (data.content_block as { type: string }).type };
        break;
      }
      case 'content_block_delta':
        expect(data.index).toBe(open?.index);
        expect(fits[(data.delta as { type: string }).type]).toBe(open?.type);
        break;
      case 'content_block_stop':
        expect(data.index).toBe(open?.index);
        open = undefined;
        break;
      case 'message_delta': {
        expect(open).toBeUndefined();
        expect((data.delta as { stop_reason: unknown }).stop_reason).not.toBeNull();
        const tokens = (data.usage as { output_tokens: number }).output_tokens;
        expect(tokens).toBeGreaterThanOrEqual(output);
        output = tokens;
        stopReasons += 1;
        break;
      }
      case 'error':
        expect(open).toBeUndefined();
        break;
    }
  }
  expect(open).toBeUndefined();
  const failed = events.some((e) => e.data.type === 'error');
  expect(stopReasons).toBe(failed ? 0 : 1);
}
