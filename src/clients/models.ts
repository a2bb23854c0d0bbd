import type { Family } from '../databricks/family.js';

/** A model as a client configuration lists it: the name the client sends, and its family. */
export interface ClientModel {
  id: string;
  family: Family;
}

/** Where a client reaches the proxy, and the key it sends (any non-empty value on loopback). */
export interface ProxyTarget {
  /** e.g. http://127.0.0.1:8420 (no trailing slash, no /v1). */
  url: string;
  apiKey: string;
}

/**
 * The first model (by name) of the first family present, in the order given;
 * with a hint, a model of that family whose name contains it is preferred.
 * Any model at all when none of the families is present.
 */
export function pickModel(models: readonly ClientModel[], families: readonly Family[], hint?: string): ClientModel | undefined {
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  for (const family of families) {
    const ofFamily = sorted.filter((model) => model.family === family);
    const hinted = hint === undefined ? undefined : ofFamily.find((model) => model.id.includes(hint));
    if (hinted ?? ofFamily[0]) return hinted ?? ofFamily[0];
  }
  return sorted[0];
}

/** Which family a client that speaks each API prefers, best first (its native family leads: no translation). */
export const PREFERRED_FAMILIES = {
  anthropic: ['claude', 'gpt', 'codex', 'gemini', 'llama', 'qwen', 'gemma', 'other'],
  openai: ['codex', 'gpt', 'claude', 'gemini', 'llama', 'qwen', 'gemma', 'other'],
  google: ['gemini', 'claude', 'gpt', 'codex', 'llama', 'qwen', 'gemma', 'other'],
} as const satisfies Record<string, readonly Family[]>;

/** OpenAI clients that do not know the model's `/v1` path: the base URL they need. */
export function openaiBaseUrl(target: ProxyTarget): string {
  return `${target.url}/v1`;
}
