/**
 * adaptive-thinking
 *
 * Fixes:    Claude Code sends `thinking: {type: "adaptive"}` with
 *           `output_config: {effort}`. Databricks documents that pair only for
 *           `databricks-claude-opus-5-5` ("accepts only"); elsewhere it is not
 *           accepted. Rather than drop the client's wish to think, adaptive
 *           thinking becomes `thinking: {type: "enabled", budget_tokens}` with
 *           the budget the effort stands for (the codecs' EFFORT_BUDGET table;
 *           no effort means Anthropic's default, high), fitted to
 *           1024 <= budget < max_tokens. `output_config.effort` is then removed
 *           (an `output_config` left empty goes with it). An effort with no
 *           adaptive thinking to carry it (thinking off, or already given a
 *           budget) is removed with a warning in the log.
 * Source:   databricks.md §5.1 (opus-5-5 accepts only adaptive + effort),
 *           §5.2 "Claude Code extras"; clients.md §8 (live behaviour elsewhere
 *           UNVERIFIED).
 * Applies:  Anthropic and chat upstreams (the same top-level fields), every
 *           surface, the Claude family, except endpoints that accept adaptive
 *           thinking (names containing `opus-5-5`, as the emulator models them).
 * Emulator: always-on rule `adaptive-thinking-opus-5-5-only` (anthropic-messages
 *           and openai-chat `parse`).
 *
 * Other `output_config` fields (e.g. a structured-output `format`) are left
 * in place: removing them would silently change the answer's shape, so the
 * upstream is left to refuse them.
 */
import { EFFORT_BUDGET, isEffort } from '../../dialects/anthropic-messages/maps.js';
import type { Repair } from '../types.js';
import { isRecord } from '../../dialects/common/json.js';
import { fitThinking } from './thinking-fit.js';

/** Anthropic's default effort when a request gives none. */
const DEFAULT_EFFORT = 'high';

/** Endpoints documented to take adaptive thinking (databricks.md §5.1: databricks-claude-opus-5-5). */
export function acceptsAdaptiveThinking(endpoint: string): boolean {
  return endpoint.toLowerCase().includes('opus-5-5');
}

export const adaptiveThinking: Repair = {
  id: 'adaptive-thinking',
  summary: 'Adaptive thinking and `output_config.effort` are refused off opus-5-5; they become a thinking budget from the effort.',
  source: 'databricks.md §5.1, §5.2 "Claude Code extras"; clients.md §8 (UNVERIFIED)',
  quirk: 'adaptive-thinking-opus-5-5-only',
  appliesTo: { upstream: ['anthropic-messages', 'openai-chat'], families: ['claude'] },
  request(body, context) {
    if (acceptsAdaptiveThinking(context.endpoint)) return;
    const config = isRecord(body.output_config) ? body.output_config : undefined;
    const effort = config?.effort;
    // An effort Anthropic does not know is left for the upstream to name in its refusal.
    if (effort !== undefined && !isEffort(effort)) return;
    const thinking = body.thinking;
    if (isRecord(thinking) && thinking.type === 'adaptive') {
      const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
      const fit = fitThinking(EFFORT_BUDGET[effort ?? DEFAULT_EFFORT], maxTokens);
      body.thinking = { ...thinking, type: 'enabled', budget_tokens: fit.budget };
      if (fit.maxTokens !== undefined) body.max_tokens = fit.maxTokens;
    } else if (effort !== undefined && !(isRecord(thinking) && thinking.type === 'enabled')) {
      context.warn('output_config.effort dropped: this endpoint takes no effort, and thinking is off', { repair: 'adaptive-thinking', effort });
    }
    if (config && effort !== undefined) {
      const { effort: _effort, ...rest } = config;
      if (Object.keys(rest).length > 0) body.output_config = rest;
      else delete body.output_config;
    }
  },
  probe: {
    endpoint: (name) => !acceptsAdaptiveThinking(name),
    provoke(body) {
      body.thinking = { type: 'adaptive' };
      body.output_config = { effort: 'low' };
      // Room for the smallest budget the repaired request will carry.
      body.max_tokens = 2048;
      return true;
    },
  },
};
