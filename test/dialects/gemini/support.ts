/** Shared helpers of the Gemini codec tests: fixtures, SSE feeding, the IR stream contract. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrStreamDecoder, IrStreamEvent } from '../../../src/ir/stream.js';
import { FrameSplitter } from '../../../src/sse/frame-splitter.js';
import { parseFrame } from '../../../src/sse/parse-frame.js';
import { geminiUpstream } from '../../../src/dialects/gemini/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';

export const CONTEXT: CodecContext = { endpoint: 'databricks-gemini-3-pro', family: 'gemini', clientModel: 'gemini-3-pro' };

export const REQUEST: IrRequest = { model: CONTEXT.endpoint, system: [], messages: [], tools: [], stream: true };

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/gemini/${name}.sse`, import.meta.url), 'utf8');
}

/** The JSON payload of every frame of a fixture. */
export function fixtureChunks(name: string): Record<string, unknown>[] {
  return fixture(name)
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>);
}

/** Feeds SSE bytes, cut into the given chunks, through FrameSplitter + parseFrame into a fresh decoder. */
export function decodeSse(bytes: Uint8Array, cuts: number[] = [], decoder: IrStreamDecoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT)): IrStreamEvent[] {
  const splitter = new FrameSplitter();
  const events: IrStreamEvent[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    for (const raw of splitter.push(bytes.subarray(from, to))) {
      const frame = parseFrame(raw);
      if (frame.data !== undefined) events.push(...decoder.frame(frame.event, frame.data));
    }
    from = to;
  }
  events.push(...decoder.end());
  return events;
}

export function decodeFixture(name: string): IrStreamEvent[] {
  return decodeSse(new TextEncoder().encode(fixture(name)));
}

/** The IR stream contract (src/ir/stream.ts): start first, blocks in order and never interleaved, one terminal event last. */
export function expectWellFormed(events: IrStreamEvent[]): void {
  expect(events[0]?.type).toBe('start');
  expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
  const terminal = events.filter((event) => event.type === 'finish' || event.type === 'error');
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
  let open: number | undefined;
  let next = 0;
  for (const event of events) {
    if (event.type === 'block_start') {
      expect(open).toBeUndefined();
      expect(event.index).toBe(next++);
      open = event.index;
    } else if (event.type === 'delta') {
      expect(event.index).toBe(open);
    } else if (event.type === 'block_stop') {
      expect(event.index).toBe(open);
      open = undefined;
    } else if (event.type === 'finish' || event.type === 'error') {
      expect(open).toBeUndefined();
    }
  }
}

export function blockStarts(events: IrStreamEvent[]): Extract<IrStreamEvent, { type: 'block_start' }>['block'][] {
  return events.flatMap((event) => (event.type === 'block_start' ? [event.block] : []));
}
