import { pickModel, PREFERRED_FAMILIES, type ClientModel, type ProxyTarget } from './models.js';

/**
 * Claude Code's tiers and the word in a Claude endpoint name that marks each.
 * Haiku has no Databricks endpoint in the reference catalog, so when none is
 * found the tier falls back to Sonnet's pick, then to any Claude model.
 */
const TIERS = [
  ['ANTHROPIC_DEFAULT_OPUS_MODEL', 'opus'],
  ['ANTHROPIC_DEFAULT_SONNET_MODEL', 'sonnet'],
  ['ANTHROPIC_DEFAULT_HAIKU_MODEL', 'haiku'],
] as const;

/**
 * Switches that keep Claude Code from calling Anthropic's own services
 * (telemetry, auto-update, error reports, other non-essential traffic): with a
 * Databricks workspace those calls have nowhere sensible to go (clients.md §3).
 */
export const CLAUDE_CODE_QUIET: Readonly<Record<string, string>> = {
  DISABLE_TELEMETRY: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_ERROR_REPORTING: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
};

/**
 * The environment that points Claude Code at the proxy. The base URL has no
 * `/v1` (Claude Code appends `/v1/messages`); the key goes in
 * ANTHROPIC_AUTH_TOKEN (sent as a Bearer token). Only the per-tier variables
 * are set, never ANTHROPIC_MODEL: Claude Code validates that one client-side
 * and rejects raw endpoint names. `model` (run --model) puts every tier on one model.
 */
export function claudeCodeEnv(target: ProxyTarget, models: readonly ClientModel[], model?: string): Record<string, string> {
  const tiers: Record<string, string> = {};
  const sonnet = pickModel(models, ['claude'], 'sonnet');
  for (const [variable, word] of TIERS) {
    const picked = model ?? (pickModel(models.filter((m) => m.id.includes(word)), ['claude'])?.id ?? sonnet?.id ?? pickModel(models, PREFERRED_FAMILIES.anthropic)?.id);
    if (picked !== undefined) tiers[variable] = picked;
  }
  return { ANTHROPIC_BASE_URL: target.url, ANTHROPIC_AUTH_TOKEN: target.apiKey, ...tiers, ...CLAUDE_CODE_QUIET };
}
