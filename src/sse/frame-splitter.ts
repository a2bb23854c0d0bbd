import { ProxyError } from '../errors/proxy-error.js';

/**
 * Default cap on one SSE frame (and on one whole JSON answer): far above any
 * real event (a large tool call's arguments are a few hundred KB), low enough
 * that an upstream sending a frame that never ends cannot take the machine's
 * memory. `upstream.maxFrameBytes` sets it.
 */
export const DEFAULT_MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** A blank line is at most 4 characters (\r\n\r\n): this much of the text before a chunk may hold the start of one. */
const BOUNDARY_OVERLAP = 3;

/**
 * Splits an SSE byte stream at frame boundaries (a blank line). The proxy
 * forwards upstream bytes only up to the last complete frame, so a stream cut
 * in the middle of a frame never hands the client half a JSON document, and a
 * closing error event can always be appended cleanly.
 *
 * Linear in the bytes received: each chunk is searched once (with the few
 * characters before it, where a blank line may begin), and the pieces of an
 * unfinished frame are kept apart and joined once, when it completes. (The
 * first version appended every chunk to one string and searched it from the
 * start: a 40 MB frame took minutes to split.) A frame longer than
 * `maxFrameBytes` characters ends the stream: `push` throws.
 */
export class FrameSplitter {
  /** Text of the unfinished frame, in the pieces it came in. */
  private pieces: string[] = [];
  private pendingLength = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Feeds bytes; returns the text of every frame now complete (each including its blank line). */
  push(chunk: Uint8Array): string[] {
    const text = this.decoder.decode(chunk, { stream: true });
    if (text === '') return [];
    const tail = this.tail();
    const findBoundary = finderFor(tail + text);
    const first = findBoundary(tail + text, 0);
    if (first === undefined) {
      this.keep(text);
      return [];
    }
    // The first frame ends in this chunk: the pieces before it are joined once.
    const cut = first - tail.length;
    const frames = [this.pieces.join('') + text.slice(0, cut)];
    let start = cut;
    for (;;) {
      const boundary = findBoundary(text, start);
      if (boundary === undefined) break;
      frames.push(text.slice(start, boundary));
      start = boundary;
    }
    this.pieces = [];
    this.pendingLength = 0;
    for (const frame of frames) this.check(frame.length);
    this.keep(text.slice(start));
    return frames;
  }

  /** Text received after the last complete frame (non-empty means the stream was cut mid-frame). */
  get remainder(): string {
    return this.pieces.join('');
  }

  private keep(text: string): void {
    if (text === '') return;
    this.pieces.push(text);
    this.pendingLength += text.length;
    this.check(this.pendingLength);
  }

  private check(length: number): void {
    if (length > this.maxFrameBytes) throw frameTooLarge(this.maxFrameBytes);
  }

  /** The last few characters of the unfinished frame, where a blank line split across two chunks begins. */
  private tail(): string {
    let tail = '';
    for (let index = this.pieces.length - 1; index >= 0 && tail.length < BOUNDARY_OVERLAP; index -= 1) tail = (this.pieces[index] ?? '') + tail;
    return tail.slice(-BOUNDARY_OVERLAP);
  }
}

/** What ends a stream (or refuses a whole answer) whose upstream sent more than the cap in one piece. */
export function frameTooLarge(maxFrameBytes: number): ProxyError {
  return new ProxyError(
    'upstream',
    `The upstream sent a single event or answer larger than ${formatBytes(maxFrameBytes)} (upstream.maxFrameBytes); the answer was ended`,
  );
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

const LF = 10;
const CR = 13;

type BoundaryFinder = (text: string, from: number) => number | undefined;

/** Without a CR (the usual case) a blank line can only be \n\n: one native search. */
function findLfBoundary(text: string, from: number): number | undefined {
  const at = text.indexOf('\n\n', from);
  return at === -1 ? undefined : at + 2;
}

/**
 * Index just past the earliest blank line at or after `from`: \n\n, \r\n\r\n
 * or \r\r. One forward scan that stops there, so a chunk of many frames costs
 * its length once (three searches to the end of the chunk per frame did not).
 */
function findAnyBoundary(text: string, from: number): number | undefined {
  for (let index = from; index < text.length - 1; index += 1) {
    const char = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (char === LF && next === LF) return index + 2;
    if (char === CR && next === CR) return index + 2;
    if (char === CR && next === LF && text.charCodeAt(index + 2) === CR && text.charCodeAt(index + 3) === LF) return index + 4;
  }
  return undefined;
}

function finderFor(text: string): BoundaryFinder {
  return text.includes('\r') ? findAnyBoundary : findLfBoundary;
}
