/**
 * Model families, classified from the serving endpoint's name. The order
 * matters: the first substring that matches wins, so `codex` must come before
 * `gpt` (`databricks-gpt-5-1-codex-max` is a Codex model, which only speaks
 * the Responses API).
 */
export const FAMILY_ORDER = ['claude', 'codex', 'gpt', 'gemini', 'llama', 'qwen', 'gemma'] as const;
export type KnownFamily = (typeof FAMILY_ORDER)[number];
export type Family = KnownFamily | 'other';
export const FAMILIES: readonly Family[] = [...FAMILY_ORDER, 'other'];

export function classifyFamily(endpointName: string): Family {
  const name = endpointName.toLowerCase();
  return FAMILY_ORDER.find((family) => name.includes(family)) ?? 'other';
}
