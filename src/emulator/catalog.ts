import { createHash } from 'node:crypto';
import type { EmulatedEndpoint } from './types.js';

/**
 * The emulated workspace's serving endpoints, and their JSON in the shapes of
 * `GET /api/2.0/serving-endpoints[/{name}]` (reference §2.1) and of the AI
 * Gateway's Anthropic model listing (reference §3.2).
 */

const CHAT = 'llm/v1/chat';

/**
 * At least one endpoint per family, plus the three kinds the proxy must skip
 * or treat specially: an embeddings endpoint, a classic ML endpoint and an
 * external model that is not on the AI Gateway.
 */
export function defaultCatalog(): EmulatedEndpoint[] {
  const foundation = (name: string, family: EmulatedEndpoint['family'], displayName: string, task = CHAT): EmulatedEndpoint => ({
    name,
    task,
    family,
    kind: 'foundation',
    onAiGateway: true,
    displayName,
  });
  return [
    foundation('databricks-claude-sonnet-4-6', 'claude', 'Claude Sonnet 4.6'),
    foundation('databricks-claude-opus-4-8', 'claude', 'Claude Opus 4.8'),
    // Takes only adaptive thinking with an effort (reference §5.1).
    foundation('databricks-claude-opus-5-5', 'claude', 'Claude Opus 5.5'),
    // GPT-5.x reports task llm/v1/chat although it wants tools on Responses (reference §4.1).
    foundation('databricks-gpt-5-2', 'gpt', 'GPT-5.2'),
    // The real task value of the Codex endpoints is not documented; the seed PR
    // accepts `llm/v1/responses`, so that is what the emulator reports.
    foundation('databricks-gpt-5-1-codex-max', 'codex', 'GPT-5.1 Codex Max', 'llm/v1/responses'),
    foundation('databricks-gemini-2-5-pro', 'gemini', 'Gemini 2.5 Pro'),
    foundation('databricks-gemini-3-pro', 'gemini', 'Gemini 3 Pro'),
    foundation('databricks-meta-llama-3-3-70b-instruct', 'llama', 'Meta Llama 3.3 70B Instruct'),
    foundation('databricks-qwen3-next-80b-a3b-instruct', 'qwen', 'Qwen3 Next 80B A3B Instruct'),
    foundation('databricks-gemma-3-12b', 'gemma', 'Gemma 3 12B'),
    // Not a chat model: the proxy must filter it out of its catalog.
    foundation('databricks-gte-large-en', 'embedding', 'GTE Large (English)', 'llm/v1/embeddings'),
    // A classic ML model: no task, no foundation model.
    { name: 'fraud-detector', family: 'classic-ml', kind: 'custom', onAiGateway: false },
    // An external model behind a chat endpoint, reachable on Model Serving only.
    {
      name: 'team-mistral-external',
      task: CHAT,
      family: 'other',
      kind: 'external',
      onAiGateway: false,
      displayName: 'Team Mistral (external)',
      externalModel: { name: 'mistral-large-latest', provider: 'custom' },
    },
  ];
}

// Fixed instants so listings are byte-stable across runs (values are arbitrary).
const CREATED_MS = Date.UTC(2026, 0, 15, 9, 30);
const UPDATED_MS = Date.UTC(2026, 4, 1, 12, 0);
const CREATOR = 'workspace-admin@example.com';

/** A stable 32-hex id per endpoint name, like the real ids' look. */
function endpointId(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 32);
}

function displayNameOf(endpoint: EmulatedEndpoint): string {
  return endpoint.displayName ?? endpoint.name;
}

/**
 * `served_entities[0]`. The reference lists the fields, not the values the
 * real system endpoints carry: `entity_name` uses the `system.ai.<endpoint>`
 * form the docs show for model services (§3.4), and `foundation_model.name`
 * repeats the endpoint name.
 */
function servedEntity(endpoint: EmulatedEndpoint, withApiTypes = false): Record<string, unknown> {
  if (endpoint.kind === 'external') {
    const external = endpoint.externalModel ?? { name: endpoint.name, provider: 'custom' };
    return {
      name: endpoint.name,
      external_model: { name: external.name, provider: external.provider, task: endpoint.task ?? CHAT },
    };
  }
  if (endpoint.kind === 'custom' || endpoint.kind === 'agent') {
    return {
      name: `${endpoint.name}-1`,
      entity_name: `main.default.${endpoint.name.replaceAll('-', '_')}`,
      entity_version: '1',
    };
  }
  return {
    name: endpoint.name,
    entity_name: `system.ai.${endpoint.name}`,
    foundation_model: {
      name: endpoint.foundationModel ?? endpoint.name,
      display_name: displayNameOf(endpoint),
      ...(withApiTypes && endpoint.apiTypes ? { api_types: endpoint.apiTypes } : {}),
    },
  };
}

/** One item of `GET /api/2.0/serving-endpoints` (with `api_types`: of its `:foundation-models` variant, reference §2.1). */
export function renderEndpointListItem(endpoint: EmulatedEndpoint, withApiTypes = false): Record<string, unknown> {
  return {
    name: endpoint.name,
    id: endpointId(endpoint.name),
    ...(endpoint.task === undefined ? {} : { task: endpoint.task }),
    state: { ready: 'READY', config_update: 'NOT_UPDATING' },
    config: { served_entities: [servedEntity(endpoint, withApiTypes)] },
    ...(withApiTypes ? { ai_gateway_v2_supported: endpoint.onAiGateway } : {}),
    creator: CREATOR,
    creation_timestamp: CREATED_MS,
    last_updated_timestamp: UPDATED_MS,
  };
}

/**
 * `GET /api/2.0/serving-endpoints/{name}`: the list item plus `endpoint_url`
 * and `permission_level`. The reference names `endpoint_url` without showing
 * a value; the emulator points it at the per-endpoint invocations path.
 */
export function renderEndpointDetail(endpoint: EmulatedEndpoint, baseUrl: string): Record<string, unknown> {
  return {
    ...renderEndpointListItem(endpoint),
    endpoint_url: `${baseUrl}/serving-endpoints/${endpoint.name}/invocations`,
    permission_level: 'CAN_QUERY',
  };
}

export interface GatewayModelPage {
  data: { type: 'model'; id: string; display_name: string; created_at: string }[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/**
 * `GET /ai-gateway/anthropic/v1/models` in Anthropic's list shape. The
 * reference shows `{data:[{id}]}` paginated by `after_id` with `?limit=1000`;
 * which endpoints the real listing includes is not documented, so the
 * emulator lists every endpoint served on the gateway. `limit` defaults to
 * Anthropic's 20 and is capped at 1000.
 */
export function renderGatewayModels(
  endpoints: readonly EmulatedEndpoint[],
  limit: number,
  afterId: string | undefined,
): GatewayModelPage {
  const served = endpoints.filter((endpoint) => endpoint.onAiGateway);
  const start = afterId === undefined ? 0 : served.findIndex((endpoint) => endpoint.name === afterId) + 1;
  // An unknown after_id (findIndex -1 -> start 0) would restart the listing and
  // loop a paginating client forever; answer an empty page instead.
  const page = afterId !== undefined && start === 0 ? [] : served.slice(start, start + limit);
  const data = page.map((endpoint) => ({
    type: 'model' as const,
    id: endpoint.name,
    display_name: displayNameOf(endpoint),
    created_at: new Date(CREATED_MS).toISOString(),
  }));
  return {
    data,
    has_more: page.length > 0 && start + page.length < served.length,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  };
}

/**
 * One item of `GET /api/2.1/unity-catalog/model-services` in the captured
 * wire shape (reference §3.3). The LIST answer carries no routing
 * destinations (only GET does).
 */
export function renderModelService(name: string, apiTypes: readonly string[]): Record<string, unknown> {
  return { name: `model-services/${name}`, securable_type: 'MODEL_SERVICE', config: { routing: {} }, supported_api_types: apiTypes };
}
