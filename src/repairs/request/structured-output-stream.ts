/**
 * structured-output-stream
 *
 * Fixes:    Databricks chat refuses a streamed request with structured output
 *           (`response_format` json_object / json_schema and `stream: true`:
 *           400 "Structured output is not currently supported with
 *           streaming"). The request is sent whole (`stream: false`, and its
 *           `stream_options` removed, which only a stream may carry); the
 *           exchange sees `stream: false` on a streaming request and streams
 *           the whole answer to the client in its dialect
 *           (src/server/whole-answer-stream.ts), usage chunk included when
 *           asked for. The client gets its events in one burst at the end.
 * Source:   databricks.md §5.2 (forgecode-databricks [3rd-party]: json_object;
 *           json_schema is assumed to be refused the same way); LiteLLM fakes
 *           the stream the same way (`_should_fake_stream`, peers.md).
 * Applies:  chat upstream, every surface and family (`type: "text"` is plain
 *           output and streams as usual).
 * Emulator: always-on rule `chat-structured-output-stream` (openai-chat `parse`).
 */
import type { Repair } from '../types.js';
import { isRecord } from '../../dialects/common/json.js';

function asksStructuredStream(body: Record<string, unknown>): boolean {
  return body.stream === true && isRecord(body.response_format) && body.response_format.type !== 'text';
}

export const structuredOutputStream: Repair = {
  id: 'structured-output-stream',
  summary: 'Databricks chat cannot stream structured output; the request goes whole and the proxy streams the answer.',
  source: 'databricks.md §5.2 (forgecode-databricks); LiteLLM `_should_fake_stream`',
  quirk: 'chat-structured-output-stream',
  appliesTo: { upstream: ['openai-chat'] },
  request(body) {
    if (!asksStructuredStream(body)) return;
    body.stream = false;
    delete body.stream_options;
  },
  probe: {
    stream: true,
    provoke(body) {
      body.response_format = { type: 'json_object' };
      // OpenAI-style json_object wants the word JSON in the prompt; the repaired call must not fail for that.
      body.messages = [{ role: 'user', content: 'Reply with the JSON object {"ok": true}.' }];
      return true;
    },
  },
};
