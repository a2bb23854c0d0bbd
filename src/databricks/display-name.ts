/**
 * A readable name for a serving endpoint, for the model lookups that show
 * one (Anthropic's `display_name`), when the workspace declares none (only
 * foundation models carry `foundation_model.display_name`): made from the
 * endpoint name, so `team-claude-writer-2-1` becomes "Team Claude Writer
 * 2.1". A Unity Catalog prefix (`system.ai.` of a model service) and the
 * `databricks-` prefix go, words are capitalised, and a run of one- or
 * two-digit numbers is a version ("4-6" is 4.6).
 */
const UPPER_WORDS = new Set(['gpt', 'oss', 'ai', 'bge', 'gte']);

export function displayName(endpoint: string): string {
  const words = endpoint.replace(/^[\w-]+\.[\w-]+\.(?=[^.]+$)/, '').replace(/^databricks-/, '').split(/[-_]/).filter(Boolean);
  const out: string[] = [];
  for (const word of words) {
    const previous = out.at(-1);
    if (/^\d{1,2}$/.test(word) && previous !== undefined && /^\d+(\.\d+)*$/.test(previous)) out[out.length - 1] = `${previous}.${word}`;
    else out.push(UPPER_WORDS.has(word.toLowerCase()) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1));
  }
  return out.join(' ');
}
