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

describe('FrameSplitter bounds', () => {
  it('joins a frame that came in many chunks once, whole', () => {
    const splitter = new FrameSplitter();
    const data = 'y'.repeat(100_000);
    const bytes = encoder.encode(`data: {"a":"${data}"}\n\ndata: 2\n\n`);
    const frames = [];
    for (let at = 0; at < bytes.length; at += 7) frames.push(...splitter.push(bytes.subarray(at, at + 7)));
    expect(frames).toEqual([`data: {"a":"${data}"}\n\n`, 'data: 2\n\n']);
  });

  it('finds the earliest blank line of any kind in a chunk of many frames', () => {
    const splitter = new FrameSplitter();
    expect(splitter.push(encoder.encode('data: 1\r\rdata: 2\n\ndata: 3\r\n\r\ndata: 4'))).toEqual(['data: 1\r\r', 'data: 2\n\n', 'data: 3\r\n\r\n']);
    expect(splitter.remainder).toBe('data: 4');
  });

  it('throws once an unfinished frame passes the cap, and for a complete frame past it', () => {
    const endless = new FrameSplitter(1_000);
    expect(endless.push(encoder.encode(`data: ${'x'.repeat(900)}`))).toEqual([]);
    expect(() => endless.push(encoder.encode('x'.repeat(200)))).toThrow(/larger than 1000 bytes \(upstream\.maxFrameBytes\)/);
    expect(() => new FrameSplitter(1_000).push(encoder.encode(`data: ${'x'.repeat(1_000)}\n\n`))).toThrow(/upstream\.maxFrameBytes/);
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
