/**
 * max-completion-tokens
 *
 * Fixes:    Databricks chat takes `max_tokens` and refuses OpenAI's newer
 *           `max_completion_tokens` ("Extra inputs are not permitted"); it is
 *           rewritten to `max_tokens`. When a client sends both, the smaller
 *           wins, so neither limit it set is exceeded.
 * Source:   LiteLLM (rewrites it to `max_tokens`); databricks.md §5.2. The
 *           refusal itself is UNVERIFIED (the reference only records the peers'
 *           rewrite).
 * Applies:  chat upstream, every surface and family.
 * Emulator: always-on rule `chat-top-level-allow-list` (openai-chat `parse`).
 */
import type { Repair } from '../types.js';

export const maxCompletionTokens: Repair = {
  id: 'max-completion-tokens',
  summary: 'Databricks chat refuses `max_completion_tokens`; it becomes `max_tokens`.',
  source: 'LiteLLM databricks chat transformation; databricks.md §5.2',
  quirk: 'chat-top-level-allow-list',
  appliesTo: { upstream: ['openai-chat'] },
  request(body) {
    const limit = body.max_completion_tokens;
    if (limit === undefined) return;
    delete body.max_completion_tokens;
    if (typeof limit !== 'number') return;
    body.max_tokens = typeof body.max_tokens === 'number' ? Math.min(body.max_tokens, limit) : limit;
  },
  probe: {
    provoke(body) {
      delete body.max_tokens;
      body.max_completion_tokens = 16;
      return true;
    },
  },
};
