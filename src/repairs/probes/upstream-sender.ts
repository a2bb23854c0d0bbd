import type { Dialect } from '../../dialects/dialect.js';
import { FrameSplitter } from '../../sse/frame-splitter.js';
import { parseFrame } from '../../sse/parse-frame.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { upstreamPath } from '../../routing/plan.js';
import type { WireEvent } from '../types.js';
import type { ProbeSender } from './run.js';

/** Headers a dialect's path needs (the same default the proxy sends on translated requests). */
const DIALECT_HEADERS: Record<Dialect, Record<string, string>> = {
  'anthropic-messages': { 'anthropic-version': '2023-06-01' },
  'openai-chat': {},
  'openai-responses': {},
  gemini: {},
};

/** Every `data:` event of a whole SSE text, parsed once (`[DONE]` and non-JSON data keep `json` undefined). */
export function sseEvents(text: string): WireEvent[] {
  const splitter = new FrameSplitter();
  const frames = [...splitter.push(new TextEncoder().encode(text)), ...(splitter.remainder.trim() ? [splitter.remainder] : [])];
  return frames.flatMap((raw) => {
    const frame = parseFrame(raw);
    if (frame.data === undefined) return [];
    let json: Record<string, unknown> | undefined;
    try {
      const value: unknown = JSON.parse(frame.data);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) json = value as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return [{ event: frame.event, data: frame.data, json }];
  });
}

/** Sends probes through the workspace's own authenticated client, on the path the proxy would use. */
export function upstreamSender(client: UpstreamClient, userAgent: string): ProbeSender {
  return async (route, body, stream) => {
    const response = await client.send({
      method: 'POST',
      path: upstreamPath(route, route.endpoint, stream),
      headers: { 'content-type': 'application/json', 'user-agent': userAgent, ...DIALECT_HEADERS[route.upstream] },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, text, events: stream && response.statusCode < 300 ? sseEvents(text) : [] };
  };
}
