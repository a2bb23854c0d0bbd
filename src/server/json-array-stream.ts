import type { ServerResponse } from 'node:http';

/**
 * Google's stream without `?alt=sse`: one JSON array, written element by
 * element as the chunks come (`[{…}` then `,\r\n{…}` … then `]`). The relays
 * write SSE frames; this stand-in for the response turns each frame's data
 * into the next array element, so every relay (passthrough, translated, whole
 * answer, error tails) serves both framings unchanged. Relays write whole
 * frames only, so a write never splits one.
 */
export function jsonArrayResponse(raw: ServerResponse): ServerResponse {
  let opened = false;
  const element = (data: string): string => {
    const prefix = opened ? ',\r\n' : '[';
    opened = true;
    return `${prefix}${data}`;
  };
  const convert = (text: string): string =>
    text
      .split(/\r?\n\r?\n/)
      .map((frame) => dataOf(frame))
      .filter((data): data is string => data !== undefined)
      .map(element)
      .join('');
  return new Proxy(raw, {
    get(target, property) {
      switch (property) {
        case 'writeHead':
          return (status: number, headers: Record<string, string>) =>
            target.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
        case 'write':
          return (text: string) => {
            const converted = convert(text);
            return converted === '' ? true : target.write(converted);
          };
        case 'end':
          return () => target.end(opened ? ']' : '[]');
        default: {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
      }
    },
  });
}

/** The `data:` lines of one SSE frame, joined; undefined for a frame without data. */
function dataOf(frame: string): string | undefined {
  const lines = frame.split(/\r?\n/).filter((line) => line.startsWith('data:'));
  if (lines.length === 0) return undefined;
  return lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}
