/**
 * thinking-budget
 *
 * Fixes:    Claude refuses a thinking budget outside 1024 <= budget_tokens <
 *           max_tokens ("`max_tokens` must be greater than
 *           `thinking.budget_tokens`"), which clients send when they set the
 *           two independently (and Claude Code's interleaved thinking allows
 *           on Anthropic). The budget is clamped into range; only when even the
 *           minimum budget does not fit is max_tokens raised (see
 *           thinking-fit.ts for why).
 * Source:   docs `query-reason-models` (the 1024 <= budget < max_tokens rule);
 *           BerriAI/litellm #15355; databricks.md §5.1, §5.2 "budget_tokens".
 * Applies:  Anthropic and chat upstreams (the same top-level fields), every
 *           surface, the Claude family. Runs after `adaptive-thinking`.
 * Emulator: always-on rule `thinking-budget-range` (anthropic-messages and
 *           openai-chat `parse`).
 */
import type { Repair } from '../types.js';
import { isRecord } from '../../dialects/common/json.js';
import { fitThinking } from './thinking-fit.js';

export const thinkingBudget: Repair = {
  id: 'thinking-budget',
  summary: 'Claude refuses a thinking budget outside 1024 <= budget < max_tokens; the budget is clamped (max_tokens raised only if needed).',
  source: 'docs query-reason-models; BerriAI/litellm#15355; databricks.md §5.1, §5.2',
  quirk: 'thinking-budget-range',
  appliesTo: { upstream: ['anthropic-messages', 'openai-chat'], families: ['claude'] },
  request(body, context) {
    const thinking = body.thinking;
    if (!isRecord(thinking) || thinking.type !== 'enabled' || typeof thinking.budget_tokens !== 'number') return;
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : undefined;
    const fit = fitThinking(thinking.budget_tokens, maxTokens);
    if (fit.budget === thinking.budget_tokens && fit.maxTokens === maxTokens) return;
    body.thinking = { ...thinking, budget_tokens: fit.budget };
    if (fit.maxTokens !== undefined) body.max_tokens = fit.maxTokens;
    context.warn('thinking budget fitted to 1024 <= budget_tokens < max_tokens', {
      repair: 'thinking-budget',
      from: { budget_tokens: thinking.budget_tokens, max_tokens: maxTokens },
      to: { budget_tokens: fit.budget, max_tokens: fit.maxTokens },
    });
  },
  probe: {
    provoke(body) {
      body.max_tokens = 2048;
      body.thinking = { type: 'enabled', budget_tokens: 4096 };
      return true;
    },
  },
};
