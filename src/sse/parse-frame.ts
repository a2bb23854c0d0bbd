/** The fields of one SSE frame that the proxy reads. */
export interface SseFrame {
  /** The `event:` field, or undefined when the frame has none. */
  event: string | undefined;
  /** The `data:` lines joined by "\n", or undefined for a comment-only frame. */
  data: string | undefined;
}

/** Parses one complete frame's text (as produced by FrameSplitter), following the SSE field rules. */
export function parseFrame(text: string): SseFrame {
  let event: string | undefined;
  let data: string[] | undefined;
  // A plain string split when there is no CR (the usual case) is several times cheaper than the regular expression.
  for (const line of text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') (data ??= []).push(value);
  }
  return { event, data: data?.join('\n') };
}

/**
 * One frame's text: `event:` line when given, then the data, one `data:`
 * line per line of it (a relayed upstream frame may spread its JSON over
 * several data lines, which parseFrame joined with "\n").
 */
export function formatFrame(data: string, event?: string): string {
  const lines = data.includes('\n') ? data.replaceAll('\n', '\ndata: ') : data;
  return event === undefined ? `data: ${lines}\n\n` : `event: ${event}\ndata: ${lines}\n\n`;
}
