import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../src/sse/frame-splitter.js';
import { formatFrame, parseFrame } from '../../src/sse/parse-frame.js';

const encoder = new TextEncoder();
const STREAM = [
  'event: message_start\ndata: {"type":"message_start","text":"héllo ✓"}\n\n',
  ': a comment\n\n',
  'data: {"a":1}\r\n\r\n',
  'event: x\ndata: line one\ndata: line two\n\n',
  'data: [DONE]\n\n',
].join('');

describe('FrameSplitter', () => {
  it('yields the same frames, byte for byte, however the bytes are split', () => {
    const bytes = encoder.encode(STREAM);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 20 }), (cuts) => {
        const splitter = new FrameSplitter();
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const frames = points.slice(1).flatMap((end, i) => splitter.push(bytes.subarray(points[i], end)));
        expect(frames.join('')).toBe(STREAM);
        expect(frames).toHaveLength(5);
        expect(splitter.remainder).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an incomplete trailing frame out of the output', () => {
    const splitter = new FrameSplitter();
    const frames = splitter.push(encoder.encode('data: {"a":1}\n\ndata: {"b":'));
    expect(frames).toEqual(['data: {"a":1}\n\n']);
    expect(splitter.remainder).toBe('data: {"b":');
  });
});

describe('parseFrame', () => {
  it('reads event and joined data lines, ignoring comments', () => {
    expect(parseFrame('event: x\ndata: line one\ndata: line two\n\n')).toEqual({ event: 'x', data: 'line one\nline two' });
    expect(parseFrame(': keepalive\n\n')).toEqual({ event: undefined, data: undefined });
    expect(parseFrame('data:no-space\n\n').data).toBe('no-space');
  });
});

describe('formatFrame', () => {
  it('writes data spread over several lines as one data: line each, so parseFrame reads back the same frame', () => {
    const data = '{\n  "type": "ping"\n}';
    const text = formatFrame(data, 'ping');
    expect(text).toBe('event: ping\ndata: {\ndata:   "type": "ping"\ndata: }\n\n');
    expect(parseFrame(text)).toEqual({ event: 'ping', data });
    expect(formatFrame('{"a":1}')).toBe('data: {"a":1}\n\n');
  });
});
