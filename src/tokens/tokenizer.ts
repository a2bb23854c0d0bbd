/**
 * The text tokenizer behind every estimate: o200k_base from `gpt-tokenizer`
 * (pure JavaScript, no WASM, no download at run time). It is exact for the
 * GPT family and an approximation for the others, whose own tokenizers are
 * not published (Claude's since its third generation, Gemini's, the open
 * models'); docs/token-counting.md states the measured error.
 *
 * Loaded on first use: its tables take about a quarter of a second to load,
 * which a proxy that never counts tokens should not pay at start.
 */
export type CountText = (text: string) => number;

let loading: Promise<CountText> | undefined;

export function loadTokenizer(): Promise<CountText> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then(
    // Special-token text (`<|endoftext|>`) in a prompt is counted as plain text, as an upstream would see it.
    ({ countTokens }) =>
      (text: string) =>
        text.length === 0 ? 0 : countTokens(text, { allowedSpecial: new Set(), disallowedSpecial: new Set() }),
  );
  return loading;
}
