import type { Family } from '../databricks/family.js';

/**
 * Tokens a model's chat format adds around the text, per family. Nothing
 * here is a tokenizer's output: these are the structure tokens that a text
 * count misses, taken from what the vendors document.
 *
 * - `request` and `message`: Claude's count for a one-line system prompt and
 *   one user message is 7 tokens above the text (Anthropic's token-counting
 *   guide: "You are a scientist" + "Hello, Claude" count 14); OpenAI's chat
 *   format adds about 3 per message and 3 to prime the reply (OpenAI
 *   cookbook, "How to count tokens with tiktoken"). Gemini documents none, so
 *   it gets OpenAI's figures.
 * - `toolPrompt`: the system prompt Anthropic adds when tools are present
 *   (its tool-use pricing table: 346 tokens with `tool_choice` auto or none,
 *   313 with any or a named tool, for the Claude 4 generation). Other
 *   vendors add one too but do not publish its size.
 * - `tool`: per tool definition, around its name, description and schema.
 * - `image`: Claude's ceiling for one image (about 1,600 tokens at 1.15
 *   megapixels, Anthropic's vision guide); OpenAI's high-detail 1024x1024
 *   tile count (765). The proxy does not decode images to know their size,
 *   so an image counts as its ceiling.
 */
export interface Framing {
  request: number;
  message: number;
  tool: number;
  image: number;
  toolPrompt?: { auto: number; forced: number };
}

const OPENAI_LIKE: Framing = { request: 3, message: 3, tool: 8, image: 765 };
const CLAUDE: Framing = { request: 3, message: 4, tool: 8, image: 1600, toolPrompt: { auto: 346, forced: 313 } };

export const FRAMING: Record<Family, Framing> = {
  claude: CLAUDE,
  gpt: OPENAI_LIKE,
  codex: OPENAI_LIKE,
  gemini: { ...OPENAI_LIKE, image: 258 /* Gemini: 258 tokens per image up to 384 px a side (Gemini token guide) */ },
  llama: OPENAI_LIKE,
  qwen: OPENAI_LIKE,
  gemma: OPENAI_LIKE,
  other: OPENAI_LIKE,
};
