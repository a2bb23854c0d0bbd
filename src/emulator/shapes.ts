import { defaultCatalog } from './catalog.js';
import type { EmulatedEndpoint } from './types.js';

/**
 * The workspace shapes the emulator can play, one row each, so that the
 * proxy meets every kind of workspace its users have (reference §1-4):
 * which discovery sources answer, whether the AI Gateway is there and which
 * of its paths, and how endpoints are named. Chosen for the whole emulator
 * (`startEmulator({ shape })`, `dbx-proxy emulate --shape`) or per request
 * (the `x-dbx-emulator-shape` header).
 */
export const SHAPE_IDS = ['demo', 'classic', 'unity-gateway', 'gateway-no-codex', 'hidden-names'] as const;
export type ShapeId = (typeof SHAPE_IDS)[number];
export const SHAPE_HEADER = 'x-dbx-emulator-shape';

export interface WorkspaceShape {
  id: ShapeId;
  summary: string;
  endpoints: EmulatedEndpoint[];
  aiGateway: boolean;
  /** Gateway path prefixes this workspace lacks: they answer 404 ENDPOINT_NOT_FOUND ("No API found"). */
  missingGatewayPaths: readonly string[];
  /** Whether `GET /api/2.0/serving-endpoints:foundation-models` answers (else 404). */
  foundationModelsListing: boolean;
  /** Whether `GET /api/2.1/unity-catalog/model-services` answers (else 404). */
  modelServices: boolean;
}

/**
 * API types as the reference spells them (§2.1 `api_types`, §3.3
 * `supported_api_types`). Which types a real model declares is not listed
 * there; these follow the paths each family is documented on.
 */
const API_TYPES: Partial<Record<EmulatedEndpoint['family'], readonly string[]>> = {
  claude: ['anthropic/v1/messages', 'mlflow/v1/chat/completions'],
  gpt: ['openai/v1/responses', 'mlflow/v1/chat/completions'],
  codex: ['openai/v1/responses'],
  gemini: ['gemini/v1/generateContent', 'mlflow/v1/chat/completions'],
  llama: ['mlflow/v1/chat/completions'],
  qwen: ['mlflow/v1/chat/completions'],
  gemma: ['mlflow/v1/chat/completions'],
};

const isChatFoundation = (endpoint: EmulatedEndpoint): boolean => endpoint.kind === 'foundation' && API_TYPES[endpoint.family] !== undefined;

/**
 * Unity AI Gateway: chat models are model services (`system.ai.<name>`,
 * without the `databricks-` prefix, reference §3.3-3.4). Claude and GPT exist
 * only as model services (no serving endpoint lists them: a proxy reading
 * serving endpoints alone sees none); the other foundation models are
 * serving endpoints too, and the foundation-models listing gives their
 * `api_types`.
 */
function unityGateway(): EmulatedEndpoint[] {
  return defaultCatalog().map((endpoint) => {
    if (!isChatFoundation(endpoint)) return endpoint;
    const apiTypes = API_TYPES[endpoint.family] ?? [];
    const modelService = { name: `system.ai.${endpoint.name.replace(/^databricks-/, '')}`, apiTypes };
    const servingEndpoint = endpoint.family !== 'claude' && endpoint.family !== 'gpt';
    return { ...endpoint, apiTypes, modelService, servingEndpoint };
  });
}

/** The gateway lacks `codex/v1`: GPT is served on `openai/v1` and `mlflow/v1`; the foundation-models listing declares it. */
function gatewayNoCodex(): EmulatedEndpoint[] {
  return defaultCatalog().map((endpoint) => (isChatFoundation(endpoint) ? { ...endpoint, apiTypes: API_TYPES[endpoint.family] ?? [] } : endpoint));
}

/**
 * Endpoints named by a team, not by the model: only their declarations
 * (external provider and model, foundation model) tell the family.
 */
function hiddenNames(): EmulatedEndpoint[] {
  const external = (name: string, family: EmulatedEndpoint['family'], provider: string, model: string): EmulatedEndpoint => ({
    name,
    task: 'llm/v1/chat',
    family,
    kind: 'external',
    onAiGateway: true,
    displayName: name,
    externalModel: { name: model, provider },
  });
  const foundation = (name: string, family: EmulatedEndpoint['family'], model: string): EmulatedEndpoint => ({
    name,
    task: 'llm/v1/chat',
    family,
    kind: 'foundation',
    onAiGateway: true,
    foundationModel: model,
  });
  return [
    external('team-writer', 'claude', 'anthropic', 'claude-sonnet-4-6'),
    external('team-coder', 'gpt', 'openai', 'gpt-5.2'),
    { ...external('team-builder', 'codex', 'openai', 'gpt-5.1-codex-max'), task: 'llm/v1/responses' },
    external('team-vision', 'gemini', 'google-cloud-vertex-ai', 'gemini-3-pro'),
    foundation('fast-chat', 'llama', 'databricks-meta-llama-3-3-70b-instruct'),
    foundation('assistant-q', 'qwen', 'databricks-qwen3-next-80b-a3b-instruct'),
    foundation('assistant-g', 'gemma', 'databricks-gemma-3-12b'),
    // A Mosaic AI agent declaring the Responses task, on Model Serving only (reference §2.1, §8); it answers as GPT does.
    { name: 'support-agent', task: 'agent/v1/responses', family: 'gpt', kind: 'agent', onAiGateway: false },
    // A custom chat model: served on its own invocations path (reference §2.2); it answers as Llama does.
    { name: 'team-finetune', task: 'llm/v1/chat', family: 'llama', kind: 'custom', onAiGateway: false },
  ];
}

const SHAPES: Record<ShapeId, () => WorkspaceShape> = {
  demo: () => ({ ...base('demo', "today's demo: serving endpoints, AI Gateway with every path"), endpoints: defaultCatalog() }),
  classic: () => ({ ...base('classic', 'serving endpoints only, no AI Gateway'), endpoints: defaultCatalog(), aiGateway: false }),
  'unity-gateway': () => ({
    ...base('unity-gateway', 'Unity AI Gateway: model services and declared API types'),
    endpoints: unityGateway(),
    foundationModelsListing: true,
    modelServices: true,
  }),
  'gateway-no-codex': () => ({
    ...base('gateway-no-codex', 'AI Gateway without codex/v1 (GPT on openai/v1 and mlflow/v1), declared API types'),
    endpoints: gatewayNoCodex(),
    missingGatewayPaths: ['/ai-gateway/codex/v1/'],
    foundationModelsListing: true,
  }),
  'hidden-names': () => ({ ...base('hidden-names', 'endpoints whose names do not reveal their family'), endpoints: hiddenNames() }),
};

function base(id: ShapeId, summary: string): Omit<WorkspaceShape, 'endpoints'> {
  return { id, summary, aiGateway: true, missingGatewayPaths: [], foundationModelsListing: false, modelServices: false };
}

export function isShapeId(id: string): id is ShapeId {
  return (SHAPE_IDS as readonly string[]).includes(id);
}

/** A fresh copy of a shape (callers may change it: setAiGateway). */
export function workspaceShape(id: ShapeId): WorkspaceShape {
  return SHAPES[id]();
}

/**
 * The model a client names for each family on a shape: what the client
 * matrix (test/matrix/) sends. Unity AI Gateway's model services go by the
 * short name a user types; the proxy sends their `system.ai.` name.
 */
export const FAMILY_MODELS: Record<ShapeId, Record<'claude' | 'gpt' | 'codex' | 'gemini' | 'llama' | 'qwen' | 'gemma', string>> = {
  demo: demoModels(),
  classic: demoModels(),
  'gateway-no-codex': demoModels(),
  'unity-gateway': { ...demoModels(), claude: 'claude-sonnet-4-6', gpt: 'gpt-5-2' },
  'hidden-names': {
    claude: 'team-writer',
    gpt: 'team-coder',
    codex: 'team-builder',
    gemini: 'team-vision',
    llama: 'fast-chat',
    qwen: 'assistant-q',
    gemma: 'assistant-g',
  },
};

function demoModels() {
  return {
    claude: 'databricks-claude-sonnet-4-6',
    gpt: 'databricks-gpt-5-2',
    codex: 'databricks-gpt-5-1-codex-max',
    gemini: 'databricks-gemini-3-pro',
    llama: 'databricks-meta-llama-3-3-70b-instruct',
    qwen: 'databricks-qwen3-next-80b-a3b-instruct',
    gemma: 'databricks-gemma-3-12b',
  };
}
