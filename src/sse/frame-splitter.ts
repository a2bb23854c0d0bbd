/**
 * Splits an SSE byte stream at frame boundaries (a blank line). The proxy
 * forwards upstream bytes only up to the last complete frame, so a stream cut
 * in the middle of a frame never hands the client half a JSON document, and a
 * closing error event can always be appended cleanly.
 */
export class FrameSplitter {
  private pending = '';
  private readonly decoder = new TextDecoder();

  /** Feeds bytes; returns the text of every frame now complete (each including its blank line). */
  push(chunk: Uint8Array): string[] {
    this.pending += this.decoder.decode(chunk, { stream: true });
    const frames: string[] = [];
    // Without a CR (the usual case) a blank line can only be \n\n: one forward
    // scan for the whole chunk, instead of a CRLF search over the rest of the
    // chunk for every frame (quadratic in the chunk size).
    const next = this.pending.includes('\r') ? findBoundary : findLfBoundary;
    let start = 0;
    for (;;) {
      const boundary = next(this.pending, start);
      if (boundary === undefined) break;
      frames.push(this.pending.slice(start, boundary));
      start = boundary;
    }
    this.pending = this.pending.slice(start);
    return frames;
  }

  /** Text received after the last complete frame (non-empty means the stream was cut mid-frame). */
  get remainder(): string {
    return this.pending;
  }
}

function findLfBoundary(text: string, from: number): number | undefined {
  const lf = text.indexOf('\n\n', from);
  return lf === -1 ? undefined : lf + 2;
}

/** Index just past the next blank line at or after `from`, accepting \n\n, \r\n\r\n and \r\r. */
function findBoundary(text: string, from: number): number | undefined {
  const lf = text.indexOf('\n\n', from);
  const crlf = text.indexOf('\r\n\r\n', from);
  const candidates = [lf === -1 ? undefined : lf + 2, crlf === -1 ? undefined : crlf + 4].filter(
    (index): index is number => index !== undefined,
  );
  if (candidates.length === 0) {
    const cr = text.indexOf('\r\r', from);
    return cr === -1 ? undefined : cr + 2;
  }
  return Math.min(...candidates);
}
