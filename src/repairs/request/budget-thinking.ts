/**
 * budget-thinking
 *
 * Fixes:    `databricks-claude-opus-5-5` accepts only adaptive thinking with
 *           `output_config.effort`, so a thinking budget
 *           (`thinking: {type: "enabled", budget_tokens}`, what the Anthropic
 *           SDKs and opencode send, and what the proxy's own codecs write for
 *           a client's reasoning effort) is refused there. The budget becomes
 *           adaptive thinking with the highest effort whose budget it reaches
 *           (the codecs' EFFORT_BUDGET table read backwards, so an effort the
 *           proxy turned into a budget comes back as the same effort; below
 *           the smallest, `low`). An effort the client already set is kept.
 *           The reverse of `adaptive-thinking`, which covers every other
 *           Claude endpoint.
 * Source:   databricks.md §5.1 (opus-5-5 accepts only adaptive + effort).
 * Applies:  Anthropic and chat upstreams (the same top-level fields), every
 *           surface, Claude endpoints that take only adaptive thinking (names
 *           containing `opus-5-5`).
 * Emulator: always-on rule `adaptive-thinking-opus-5-5-only` (anthropic-messages
 *           and openai-chat `parse`: `thinking.type: "enabled"` is refused on
 *           opus-5-5; the wording of that refusal is UNVERIFIED).
 */
import { EFFORT_BUDGET } from '../../dialects/anthropic-messages/maps.js';
import { isRecord } from '../../dialects/common/json.js';
import type { IrEffort } from '../../ir/request.js';
import type { Repair } from '../types.js';
import { acceptsAdaptiveThinking } from './adaptive-thinking.js';

/**
 * The efforts a budget can stand for, smallest budget first (opus-5-5's
 * efforts, databricks.md §5.1): `max` shares xhigh's budget, so a budget
 * alone never says "max".
 */
const BUDGET_EFFORTS: readonly IrEffort[] = ['low', 'medium', 'high', 'xhigh'];

/** The highest effort whose budget `budget` reaches; `low` below the smallest. */
export function effortForBudget(budget: number): IrEffort {
  return BUDGET_EFFORTS.findLast((effort) => budget >= EFFORT_BUDGET[effort]) ?? 'low';
}

export const budgetThinking: Repair = {
  id: 'budget-thinking',
  summary: 'A thinking budget is refused on opus-5-5, which takes only adaptive thinking; it becomes adaptive thinking with the effort the budget stands for.',
  source: 'databricks.md §5.1',
  quirk: 'adaptive-thinking-opus-5-5-only',
  appliesTo: { upstream: ['anthropic-messages', 'openai-chat'], families: ['claude'] },
  request(body, context) {
    if (!acceptsAdaptiveThinking(context.endpoint)) return;
    const thinking = body.thinking;
    if (!isRecord(thinking) || thinking.type !== 'enabled') return;
    const { budget_tokens: budget, ...rest } = thinking;
    body.thinking = { ...rest, type: 'adaptive' };
    const config = isRecord(body.output_config) ? body.output_config : {};
    if (config.effort === undefined) {
      body.output_config = { ...config, effort: effortForBudget(typeof budget === 'number' ? budget : 0) };
    }
  },
  probe: {
    endpoint: acceptsAdaptiveThinking,
    provoke(body) {
      body.thinking = { type: 'enabled', budget_tokens: 1024 };
      body.max_tokens = 2048;
      return true;
    },
  },
};
