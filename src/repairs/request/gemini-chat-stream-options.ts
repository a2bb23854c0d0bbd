/**
 * gemini-chat-stream-options
 *
 * Fixes:    Gemini endpoints on chat refuse `stream_options` (which
 *           OpenAI-compatible clients send as `{include_usage: true}`); it is
 *           removed. Usage still arrives: Databricks puts it on the final
 *           chunk of every chat stream (ai-bridge PR #176).
 * Source:   ucode `agents/copilot.py`; goose (retries without it); databricks.md
 *           §5.2 "stream_options", clients.md §8.
 * Applies:  chat upstream, every surface, the Gemini family. The route table
 *           sends Gemini to its own `generateContent` path, so today no proxy
 *           route reaches it; it stays for the day a route does.
 * Emulator: always-on rule `chat-gemini-stream-options` (openai-chat `parse`).
 */
import type { Repair } from '../types.js';

export const geminiChatStreamOptions: Repair = {
  id: 'gemini-chat-stream-options',
  summary: 'Gemini endpoints on chat refuse `stream_options`; it is removed.',
  source: 'ucode agents/copilot.py; block/goose providers/databricks.rs; databricks.md §5.2',
  quirk: 'chat-gemini-stream-options',
  appliesTo: { upstream: ['openai-chat'], families: ['gemini'] },
  request(body) {
    delete body.stream_options;
  },
  probe: {
    stream: true,
    provoke(body) {
      body.stream_options = { include_usage: true };
      return true;
    },
  },
};
