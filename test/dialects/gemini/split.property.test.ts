/**
 * However the network cuts the upstream bytes (mid-frame, mid-line, inside a
 * multi-byte character, CRLF or LF framing), the decoder sees the same frames
 * and so emits exactly the same IR events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IrStreamEvent } from '../../../src/ir/stream.js';
import { decodeSse, expectWellFormed, fixture } from './support.js';

const FIXTURES = [
  'text',
  'reasoning',
  'tool-calls',
  'streamed-args',
  'max-tokens',
  'safety',
  'blocked-prompt',
  'midstream-error',
  'databricks-error',
  'cut-short',
  'malformed-call',
];

/** Errors compare by what they say; a start with no upstream id gets a random one, compared by its shape. */
function comparable(events: IrStreamEvent[]): unknown[] {
  return events.map((event) => {
    if (event.type === 'error') return { type: 'error', kind: event.error.kind, message: event.error.message };
    if (event.type === 'start' && event.id.startsWith('gemini-')) return { ...event, id: 'gemini-*' };
    return event;
  });
}

describe('gemini stream decoder, any split of the bytes', () => {
  it.each(FIXTURES)('%s decodes the same whatever the chunking', (name) => {
    const lf = fixture(name);
    const variants = [lf, lf.replaceAll('\n', '\r\n')].map((text) => new TextEncoder().encode(text));
    const whole = variants.map((bytes) => comparable(decodeSse(bytes)));
    expect(whole[1]).toEqual(whole[0]);
    expectWellFormed(decodeSse(variants[0] as Uint8Array));
    const arbitrary = fc
      .constantFrom(...variants)
      .chain((bytes) => fc.tuple(fc.constant(bytes), fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 40 })));
    fc.assert(
      fc.property(arbitrary, ([bytes, cuts]) => {
        expect(comparable(decodeSse(bytes, [...cuts].sort((a, b) => a - b)))).toEqual(whole[0]);
      }),
      { numRuns: 150 },
    );
  });
});
