import type { CatalogEntry } from './catalog-entry.js';
import { classifyFamily } from './family.js';

/** The fields of `GET /api/2.0/serving-endpoints` the proxy reads (reference/databricks.md §2.1). */
export interface ServingEndpointSummary {
  name: string;
  task?: string;
  state?: { ready?: string };
  config?: { served_entities?: ServedEntity[]; served_models?: ServedEntity[] };
}

interface ServedEntity {
  foundation_model?: { name?: string; display_name?: string };
  external_model?: { name?: string; provider?: string; task?: string };
}

export const SERVING_ENDPOINTS_PATH = '/api/2.0/serving-endpoints';

/** Tasks that answer chat-style requests. Embeddings, completions and classic ML models are dropped. */
const CHAT_TASKS = new Set(['llm/v1/chat', 'llm/v1/responses']);

export function toCatalogEntries(endpoints: readonly ServingEndpointSummary[]): CatalogEntry[] {
  return endpoints.flatMap((endpoint) => {
    const entity = endpoint.config?.served_entities?.[0] ?? endpoint.config?.served_models?.[0];
    const task = endpoint.task ?? entity?.external_model?.task;
    // An endpoint with no task is a classic ML model (custom inputs, no chat API).
    if (task === undefined || !CHAT_TASKS.has(task)) return [];
    const entry: CatalogEntry = {
      endpoint: endpoint.name,
      family: classifyFamily(endpoint.name),
      task,
      kind: entity?.foundation_model ? 'foundation' : entity?.external_model ? 'external' : 'custom',
      ready: endpoint.state?.ready !== 'NOT_READY',
    };
    const displayName = entity?.foundation_model?.display_name;
    if (typeof displayName === 'string' && displayName) entry.displayName = displayName;
    return [entry];
  });
}
