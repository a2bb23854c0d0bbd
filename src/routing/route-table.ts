import type { Dialect, InboundDialect } from '../dialects/dialect.js';
import type { Family } from '../databricks/family.js';

/**
 * Which upstream dialect serves each inbound API, per model family.
 *
 * `passthrough` means the inbound dialect is spoken natively by a Databricks
 * path for that family, so the body goes through with only the request
 * repairs. `null` means no native path exists; those cells are filled by the
 * translation layer.
 *
 * Why these cells (reference/databricks.md §4): Claude is served natively on
 * the Anthropic Messages paths and on chat completions; GPT on Responses and
 * chat; Codex only on Responses ("only supports the Responses API"); Gemini on
 * its generateContent paths and chat; every other family on chat only.
 */
export const NATIVE_UPSTREAM: Record<Family, Record<InboundDialect, Dialect | null>> = {
  claude: { 'anthropic-messages': 'anthropic-messages', 'openai-chat': 'openai-chat', 'openai-responses': null },
  gpt: { 'anthropic-messages': null, 'openai-chat': 'openai-chat', 'openai-responses': 'openai-responses' },
  codex: { 'anthropic-messages': null, 'openai-chat': null, 'openai-responses': 'openai-responses' },
  gemini: { 'anthropic-messages': null, 'openai-chat': 'openai-chat', 'openai-responses': null },
  llama: { 'anthropic-messages': null, 'openai-chat': 'openai-chat', 'openai-responses': null },
  qwen: { 'anthropic-messages': null, 'openai-chat': 'openai-chat', 'openai-responses': null },
  gemma: { 'anthropic-messages': null, 'openai-chat': 'openai-chat', 'openai-responses': null },
  other: { 'anthropic-messages': null, 'openai-chat': 'openai-chat', 'openai-responses': null },
};
