import type { CatalogEntry } from './catalog-entry.js';
import { agentDialect, dialectsOfApiTypes, familyFromDeclarations } from './declarations.js';

/**
 * The fields of `GET /api/2.0/serving-endpoints` (and of its
 * `:foundation-models` variant, which adds `api_types`) the proxy reads
 * (reference/databricks.md §2.1).
 */
export interface ServingEndpointSummary {
  name: string;
  task?: string;
  state?: { ready?: string };
  config?: { served_entities?: ServedEntity[]; served_models?: ServedEntity[] };
}

interface ServedEntity {
  foundation_model?: { name?: string; display_name?: string; api_types?: unknown };
  external_model?: { name?: string; provider?: string; task?: string };
}

export const SERVING_ENDPOINTS_PATH = '/api/2.0/serving-endpoints';
export const FOUNDATION_MODELS_PATH = '/api/2.0/serving-endpoints:foundation-models';

/** Tasks that answer chat-style requests. Embeddings, completions and classic ML models are dropped. */
const CHAT_TASKS = new Set(['llm/v1/chat', 'llm/v1/responses']);

export function toCatalogEntries(endpoints: readonly ServingEndpointSummary[]): CatalogEntry[] {
  return endpoints.flatMap((endpoint) => {
    if (typeof endpoint?.name !== 'string') return [];
    const entity = endpoint.config?.served_entities?.[0] ?? endpoint.config?.served_models?.[0];
    const task = endpoint.task ?? entity?.external_model?.task;
    const agent = agentDialect(task);
    // An endpoint with no task is a classic ML model (custom inputs, no chat API).
    if (task === undefined || (!CHAT_TASKS.has(task) && !agent)) return [];
    const external = entity?.external_model;
    const foundation = entity?.foundation_model;
    const entry: CatalogEntry = {
      endpoint: endpoint.name,
      family: familyFromDeclarations(external?.provider, [external?.name, foundation?.name], endpoint.name),
      task,
      kind: agent ? 'agent' : foundation ? 'foundation' : external ? 'external' : 'custom',
      ready: endpoint.state?.ready !== 'NOT_READY',
    };
    if (external?.provider) entry.provider = external.provider;
    const apiTypes = Array.isArray(foundation?.api_types) ? foundation.api_types.filter((type): type is string => typeof type === 'string') : undefined;
    if (apiTypes) entry.apiTypes = apiTypes;
    const dialects = agent ? [agent] : apiTypes ? dialectsOfApiTypes(apiTypes) : [];
    if (dialects.length > 0) entry.dialects = dialects;
    const displayName = foundation?.display_name;
    if (typeof displayName === 'string' && displayName) entry.displayName = displayName;
    return [entry];
  });
}
