import type { Dialect } from '../dialects/dialect.js';
import type { Family } from '../databricks/family.js';

/**
 * The upstream dialects each family speaks when its endpoint declares
 * nothing, in the order that loses least. A client whose dialect matches the
 * chosen one goes through untranslated; every other client is translated
 * through the IR. A model that declares its API types (catalog-entry.ts)
 * speaks those instead, in this same order of preference.
 *
 * Why (reference/databricks.md §2.2, §3.2, §4–5): Claude's Anthropic path
 * keeps thinking signatures, cache hints and tool_use end to end; GPT goes to
 * Responses because Databricks refuses tools with reasoning_effort on chat
 * completions for GPT-5, and Codex models only speak Responses; Gemini's own
 * path keeps thought signatures; every other family is served on chat
 * completions. Open Responses (`/serving-endpoints/open-responses`) serves
 * Claude, Gemini and open models too: their last resort.
 */
export const FAMILY_DIALECTS: Record<Family, readonly Dialect[]> = {
  claude: ['anthropic-messages', 'openai-chat', 'openai-responses'],
  gpt: ['openai-responses', 'openai-chat'],
  codex: ['openai-responses'],
  gemini: ['gemini', 'openai-chat', 'openai-responses'],
  llama: ['openai-chat', 'openai-responses'],
  qwen: ['openai-chat', 'openai-responses'],
  gemma: ['openai-chat', 'openai-responses'],
  other: ['openai-chat', 'openai-responses'],
};

/** Each family's first choice: what the route summaries and `doctor` show. */
export const PREFERRED_UPSTREAM = Object.fromEntries(
  Object.entries(FAMILY_DIALECTS).map(([family, dialects]) => [family, dialects[0]]),
) as Record<Family, Dialect>;
