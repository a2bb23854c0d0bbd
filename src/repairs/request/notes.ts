/** Response headers the request repairs use to tell the client what they changed on its behalf. */
export const DROPPED_TOOLS_HEADER = 'x-dbx-proxy-dropped-tools';
export const DROPPED_HOSTED_TOOLS_HEADER = 'x-dbx-proxy-dropped-hosted-tools';
export const DROPPED_TOOL_NAMESPACES_HEADER = 'x-dbx-proxy-dropped-tool-namespaces';

/** Names as one header value: comma-separated, anything outside printable ASCII replaced (a header cannot carry it). */
export function headerList(names: readonly string[]): string {
  return names.map((name) => name.replace(/[^\x20-\x7e]/g, '?')).join(', ');
}
