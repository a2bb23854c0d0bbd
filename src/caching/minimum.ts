/**
 * The shortest prompt prefix Claude caches, in tokens, by model; first match
 * wins. A mark on a shorter prefix is accepted but caches nothing, so the
 * proxy does not spend one of its four marks on it.
 * Sources: Anthropic's prompt-caching guide (4,096 for Opus 4.5-4.7 and
 * Haiku 4.5; 2,048 for Haiku 3 and 3.5; 1,024 for the other Sonnet and Opus
 * models); 512 for the Claude 5 generation as LiteLLM's caching docs list it
 * for Opus 5. Opus 5.5 is in neither list: it is taken to follow Opus 5.
 */
const MINIMUM_TOKENS: readonly [RegExp, number][] = [
  [/opus-5|fable-5|mythos-5/, 512],
  [/opus-4-[5-7]|haiku-4-5/, 4096],
  [/haiku-3/, 2048],
];
const DEFAULT_MINIMUM = 1024;

export function minimumCacheableTokens(endpoint: string): number {
  return MINIMUM_TOKENS.find(([pattern]) => pattern.test(endpoint))?.[1] ?? DEFAULT_MINIMUM;
}
