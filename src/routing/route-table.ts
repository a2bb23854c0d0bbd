import type { Dialect } from '../dialects/dialect.js';
import type { Family } from '../databricks/family.js';

/**
 * The upstream dialect that loses least for each family; the same on both
 * surfaces (each has all four paths). A client whose dialect matches goes
 * through untranslated; every other client is translated through the IR.
 *
 * Why (reference/databricks.md §4–5): Claude's Anthropic path keeps thinking
 * signatures, cache hints and tool_use end to end; GPT goes to Responses
 * because Databricks refuses tools with reasoning_effort on chat completions
 * for GPT-5, and Codex models only speak Responses; Gemini's own path keeps
 * thought signatures; every other family is served on chat completions only.
 */
export const PREFERRED_UPSTREAM: Record<Family, Dialect> = {
  claude: 'anthropic-messages',
  gpt: 'openai-responses',
  codex: 'openai-responses',
  gemini: 'gemini',
  llama: 'openai-chat',
  qwen: 'openai-chat',
  gemma: 'openai-chat',
  other: 'openai-chat',
};
