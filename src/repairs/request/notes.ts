import { clipped } from '../../errors/client-value.js';

/** Response headers the request repairs use to tell the client what they changed on its behalf. */
export const DROPPED_TOOLS_HEADER = 'x-dbx-proxy-dropped-tools';
export const DROPPED_HOSTED_TOOLS_HEADER = 'x-dbx-proxy-dropped-hosted-tools';
export const DROPPED_TOOL_NAMESPACES_HEADER = 'x-dbx-proxy-dropped-tool-namespaces';

/**
 * Longest note header value, in characters. Clients cap the whole header
 * block (undici, under Node's fetch and the SDKs on it, at 16 KB; proxies in
 * front often at 8 KB) and fail the whole answer past it: a few hundred tool
 * names would get there. 2 KB leaves the rest of the block room to spare.
 */
export const NOTE_HEADER_MAX = 2_048;
/** Longest single name in a note: a client's tool name may be anything. */
const NOTE_ITEM_MAX = 64;

/**
 * Names as one header value: comma-separated, each cut to NOTE_ITEM_MAX,
 * anything outside printable ASCII replaced (a header cannot carry it), and
 * those past NOTE_HEADER_MAX counted instead of listed ("…, and 212 more").
 */
export function noteValue(names: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const [index, name] of names.entries()) {
    const item = clipped(name, NOTE_ITEM_MAX).replace(/[^\x20-\x7e]/g, '?');
    const rest = names.length - index - 1;
    // Room for this item, and for the "and N more" that may have to follow it.
    const after = length + (shown.length > 0 ? 2 : 0) + item.length;
    const tail = rest > 0 ? `, and ${rest} more`.length : 0;
    if (after + tail > NOTE_HEADER_MAX) return `${shown.join(', ')}${shown.length > 0 ? ', ' : ''}and ${names.length - shown.length} more`;
    shown.push(item);
    length = after;
  }
  return shown.join(', ');
}
