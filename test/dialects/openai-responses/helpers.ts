import { readFileSync } from 'node:fs';
import type { Family } from '../../../src/databricks/family.js';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import { parseFrame } from '../../../src/sse/parse-frame.js';
export { decodeSseBytes, encodeAll } from '../../helpers/sse-decode.js';
export { openAiClientAnswering } from '../../helpers/sdk-stubs.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/openai-responses/${name}`, import.meta.url), 'utf8');
}

export function context(overrides: Partial<CodecContext> & { family?: Family } = {}): CodecContext {
  return { endpoint: 'databricks-gpt-5-4', family: 'gpt', clientModel: 'gpt-5.4', ...overrides };
}

export function irRequest(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'databricks-gpt-5-4', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true, ...overrides };
}

export interface SseEvent {
  event: string | undefined;
  data: Record<string, unknown>;
}

/** The frames of an SSE text: event name and parsed data. */
export function sseEvents(sse: string): SseEvent[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const parsed = parseFrame(frame);
      return { event: parsed.event, data: JSON.parse(parsed.data ?? 'null') as Record<string, unknown> };
    });
}
