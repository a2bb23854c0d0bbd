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
 * - `image`: what one image costs when its size cannot be read from its
 *   header (a URL, an unknown format): Claude's ceiling (about 1,600 tokens
 *   at 1.15 megapixels, Anthropic's vision guide), OpenAI's high-detail
 *   1024x1024 count (765), Gemini's 258.
 * - `imageTokens`: what an image of a known size costs: Claude's
 *   width x height / 750 after scaling it to fit 1092 x 1092 pixels of area and 1,568
 *   pixels a side (Anthropic's vision guide); OpenAI's high detail, 85 plus
 *   170 per 512-pixel tile after fitting 2048 a side and 768 on the short
 *   side (OpenAI's vision guide); Gemini's 258 per 768-pixel tile, or 258 for
 *   an image within 384 pixels a side (Gemini's token guide).
 */
export interface Framing {
  request: number;
  message: number;
  tool: number;
  image: number;
  imageTokens(width: number, height: number): number;
  toolPrompt?: { auto: number; forced: number };
}

/** Scales a size down (never up) so it fits both limits. */
function fit(width: number, height: number, maxSide: number, maxPixels = Infinity): [number, number] {
  const scale = Math.min(1, maxSide / Math.max(width, height), Math.sqrt(maxPixels / (width * height)));
  return [width * scale, height * scale];
}

function openaiImage(width: number, height: number): number {
  const [w1, h1] = fit(width, height, 2048);
  const [w, h] = fit(w1, h1, (768 * Math.max(w1, h1)) / Math.min(w1, h1));
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}

function claudeImage(width: number, height: number): number {
  const [w, h] = fit(width, height, 1568, 1092 * 1092);
  return Math.ceil((w * h) / 750);
}

function geminiImage(width: number, height: number): number {
  return width <= 384 && height <= 384 ? 258 : 258 * Math.ceil(width / 768) * Math.ceil(height / 768);
}

const OPENAI_LIKE: Framing = { request: 3, message: 3, tool: 8, image: 765, imageTokens: openaiImage };
const CLAUDE: Framing = { request: 3, message: 4, tool: 8, image: 1600, imageTokens: claudeImage, toolPrompt: { auto: 346, forced: 313 } };

export const FRAMING: Record<Family, Framing> = {
  claude: CLAUDE,
  gpt: OPENAI_LIKE,
  codex: OPENAI_LIKE,
  gemini: { ...OPENAI_LIKE, image: 258, imageTokens: geminiImage },
  llama: OPENAI_LIKE,
  qwen: OPENAI_LIKE,
  gemma: OPENAI_LIKE,
  other: OPENAI_LIKE,
};
