import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/databricks/catalog-entry.js';
import { planCandidates } from '../../src/routing/plan.js';
import { RouteMemory } from '../../src/routing/route-memory.js';

/** The per-model route memory with a hand-driven clock, and the order candidates are planned in. */
const claude: CatalogEntry = { endpoint: 'databricks-claude-sonnet-4-6', family: 'claude', task: 'llm/v1/chat', kind: 'foundation', ready: true };
const candidates = planCandidates('anthropic-messages', claude, ['ai-gateway', 'model-serving']);
const ids = (list: readonly { path: { id: string } }[]) => list.map((candidate) => candidate.path.id);

describe('route candidates', () => {
  it('best dialect first on each surface, then the next dialect', () => {
    expect(ids(candidates).slice(0, 4)).toEqual([
      'ai-gateway /ai-gateway/anthropic/v1/messages',
      'model-serving /serving-endpoints/anthropic/v1/messages',
      'ai-gateway /ai-gateway/mlflow/v1/chat/completions',
      'model-serving /serving-endpoints/chat/completions',
    ]);
  });

  it('a model service alone never gets a Model Serving candidate; declared paths come first', () => {
    const gpt: CatalogEntry = { endpoint: 'system.ai.gpt-5-2', family: 'gpt', task: undefined, kind: 'foundation', ready: true, apiTypes: ['openai/v1/responses'], dialects: ['openai-responses'], onGatewayOnly: true };
    expect(ids(planCandidates('openai-chat', gpt, ['ai-gateway', 'model-serving']))).toEqual([
      'ai-gateway /ai-gateway/openai/v1/responses',
      'ai-gateway /ai-gateway/codex/v1/responses',
      'ai-gateway /ai-gateway/mlflow/v1/responses',
    ]);
  });
});

describe('RouteMemory', () => {
  const serving = candidates[1]!;
  it('puts the route that worked first until the re-check; confirming it does not put the re-check off', () => {
    let now = 0;
    const memory = new RouteMemory(1_000, () => now);
    memory.remember(claude.endpoint, serving, candidates[0]);
    expect(ids(memory.order(claude.endpoint, candidates))[0]).toBe(serving.path.id);
    now = 900;
    memory.remember(claude.endpoint, serving, candidates[0]);
    now = 1_000;
    expect(memory.order(claude.endpoint, candidates)).toBe(candidates);
    expect(memory.entries()).toEqual([]);
  });

  it('the first choice working again, or a refresh listing the model, forgets the move', () => {
    const memory = new RouteMemory(60_000);
    memory.remember(claude.endpoint, serving, candidates[0]);
    memory.remember(claude.endpoint, candidates[0]!, candidates[0]);
    expect(memory.entries()).toEqual([]);
    memory.remember(claude.endpoint, serving, candidates[0]);
    memory.forget([claude.endpoint]);
    expect(memory.order(claude.endpoint, candidates)).toBe(candidates);
  });
});
