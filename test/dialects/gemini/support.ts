/** Shared helpers of the Gemini codec tests: fixtures, SSE feeding, the IR stream contract. */
import { readFileSync } from 'node:fs';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrStreamDecoder, IrStreamEvent } from '../../../src/ir/stream.js';
import { geminiUpstream } from '../../../src/dialects/gemini/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import { expectWellFormedIr } from '../../helpers/ir-stream-contract.js';
import { decodeSseBytes } from '../../helpers/sse-decode.js';

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

/** Feeds SSE bytes, cut at the given offsets, into a fresh Gemini decoder (or the one given). */
export function decodeSse(bytes: Uint8Array, cuts: number[] = [], decoder: IrStreamDecoder = geminiUpstream.createStreamDecoder(REQUEST, CONTEXT)): IrStreamEvent[] {
  return decodeSseBytes(decoder, bytes, cuts);
}

export function decodeFixture(name: string): IrStreamEvent[] {
  return decodeSse(new TextEncoder().encode(fixture(name)));
}

/** The IR stream contract (src/ir/stream.ts): start first, blocks in order and never interleaved, one terminal event last. */
export function expectWellFormed(events: IrStreamEvent[]): void {
  expectWellFormedIr(events, { startFirst: true, singleStart: true });
}

export function blockStarts(events: IrStreamEvent[]): Extract<IrStreamEvent, { type: 'block_start' }>['block'][] {
  return events.flatMap((event) => (event.type === 'block_start' ? [event.block] : []));
}
