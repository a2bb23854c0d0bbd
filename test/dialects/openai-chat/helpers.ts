import { readFileSync } from 'node:fs';
import type { CodecContext } from '../../../src/ir/codec.js';
import type { IrRequest } from '../../../src/ir/request.js';
import { parseFrame } from '../../../src/sse/parse-frame.js';
export { decodeSseBytes, encodeAll } from '../../helpers/sse-decode.js';
export { openAiClientAnswering } from '../../helpers/sdk-stubs.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/openai-chat/${name}`, import.meta.url), 'utf8');
}

export function context(overrides: Partial<CodecContext> = {}): CodecContext {
  return { endpoint: 'databricks-meta-llama-3-3-70b-instruct', family: 'llama', clientModel: 'my-llama', ...overrides };
}

export function irRequest(overrides: Partial<IrRequest> = {}): IrRequest {
  return { model: 'databricks-meta-llama-3-3-70b-instruct', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true, ...overrides };
}

/** The data payloads of an SSE text, parsed (`[DONE]` kept as the string). */
export function payloads(sse: string): unknown[] {
  return sse
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const data = parseFrame(frame).data ?? '';
      return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
    });
}
