/**
 * chat-store-service-tier
 *
 * Fixes:    Databricks chat refuses `store` (the MLflow endpoint) and
 *           `service_tier` ("Extra inputs are not permitted"); OpenAI clients
 *           such as opencode's `@ai-sdk/openai` send `store: false`. Both are
 *           removed: Databricks keeps no stored completions and has no service
 *           tiers to choose from.
 * Source:   ucode Pi adapter; openclaw/openclaw #63031; databricks.md §5.2,
 *           clients.md §8.
 * Applies:  chat upstream, every surface and family.
 * Emulator: always-on rule `chat-top-level-allow-list` (openai-chat `parse`).
 */
import type { Repair } from '../types.js';

export const chatStoreServiceTier: Repair = {
  id: 'chat-store-service-tier',
  summary: 'Databricks chat refuses `store` and `service_tier`; both are removed.',
  source: 'ucode Pi adapter; openclaw/openclaw#63031; databricks.md §5.2',
  quirk: 'chat-top-level-allow-list',
  appliesTo: { upstream: ['openai-chat'] },
  request(body) {
    delete body.store;
    delete body.service_tier;
  },
  probe: {
    provoke(body) {
      body.store = false;
      return true;
    },
  },
};
