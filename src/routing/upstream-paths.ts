import type { Family } from '../databricks/family.js';
import type { Surface } from '../databricks/surface.js';
import type { Dialect } from '../dialects/dialect.js';

/**
 * Every documented inference path of a workspace, one row each: the surface
 * it is on, the dialect it speaks, and the families it serves when the
 * reference restricts them. Rows of one surface and dialect are in the order
 * they are tried. Sources: reference/databricks.md §1, §2.2, §3.2.
 */
export interface UpstreamPath {
  /** `<surface> <path>`: what logs, `doctor` and the route memory name it by. */
  id: string;
  surface: Surface;
  dialect: Dialect;
  /** The request path for one endpoint (Gemini puts the model and the streaming flag there). */
  url(endpoint: string, stream: boolean): string;
  /** Only these families (the reference says the path serves them alone); absent: any family. */
  families?: readonly Family[];
  /** Only endpoints of these kinds (per-endpoint invocations serve custom models and agents). */
  kinds?: readonly EndpointKind[];
  /** Endpoints of these kinds whatever their family (agents on Model Serving's Responses path, reference §8). */
  alsoKinds?: readonly EndpointKind[];
  /** The endpoint is named by the path, and the body must not carry `model` (`/invocations`). */
  modelInPath?: boolean;
  /** The API type a model declares to say it is served here (`api_types`, `supported_api_types`). */
  apiType?: string;
}

export type EndpointKind = 'foundation' | 'external' | 'custom' | 'agent';

const OPENAI_MODELS: readonly Family[] = ['gpt', 'codex'];

const fixed =
  (path: string) =>
  (): string =>
    path;
const gemini =
  (prefix: string) =>
  (endpoint: string, stream: boolean): string =>
    `${prefix}/v1beta/models/${encodeURIComponent(endpoint)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;

/** A fixed path; on the gateway, its API type is the path after `/ai-gateway/`. */
const row = (surface: Surface, dialect: Dialect, path: string, more: Partial<UpstreamPath> = {}): UpstreamPath => ({
  id: `${surface} ${path}`,
  surface,
  dialect,
  url: fixed(path),
  ...(surface === 'ai-gateway' ? { apiType: path.replace('/ai-gateway/', '') } : {}),
  ...more,
});

export const UPSTREAM_PATHS: readonly UpstreamPath[] = [
  row('ai-gateway', 'anthropic-messages', '/ai-gateway/anthropic/v1/messages'),
  // Codex's own path first (what Databricks' launcher configures), then the
  // OpenAI-native passthrough, then MLflow's Responses on model services
  // (version-dependent, reference §3.2). Not every gateway has each one.
  row('ai-gateway', 'openai-responses', '/ai-gateway/codex/v1/responses', { families: OPENAI_MODELS }),
  row('ai-gateway', 'openai-responses', '/ai-gateway/openai/v1/responses', { families: OPENAI_MODELS }),
  row('ai-gateway', 'openai-responses', '/ai-gateway/mlflow/v1/responses'),
  row('ai-gateway', 'openai-chat', '/ai-gateway/openai/v1/chat/completions', { families: OPENAI_MODELS }),
  row('ai-gateway', 'openai-chat', '/ai-gateway/mlflow/v1/chat/completions'),
  { id: 'ai-gateway /ai-gateway/gemini/v1beta', surface: 'ai-gateway', dialect: 'gemini', url: gemini('/ai-gateway/gemini'), apiType: 'gemini/v1/generateContent' },
  row('model-serving', 'anthropic-messages', '/serving-endpoints/anthropic/v1/messages'),
  // GPT pay-per-token and external models only (reference §2.2); agents that declare Responses too.
  row('model-serving', 'openai-responses', '/serving-endpoints/responses', { families: OPENAI_MODELS, alsoKinds: ['agent'], apiType: 'openai/v1/responses' }),
  // The multi-provider "Open Responses" (Claude, Gemini, open models).
  row('model-serving', 'openai-responses', '/serving-endpoints/open-responses'),
  row('model-serving', 'openai-chat', '/serving-endpoints/chat/completions'),
  {
    id: 'model-serving /serving-endpoints/{name}/invocations',
    surface: 'model-serving',
    dialect: 'openai-chat',
    url: (endpoint) => `/serving-endpoints/${encodeURIComponent(endpoint)}/invocations`,
    kinds: ['custom', 'agent'],
    modelInPath: true,
  },
  { id: 'model-serving /serving-endpoints/gemini/v1beta', surface: 'model-serving', dialect: 'gemini', url: gemini('/serving-endpoints/gemini') },
];

/** Whether a path serves an endpoint of this family and kind. */
export function pathServes(path: UpstreamPath, family: Family, kind: EndpointKind): boolean {
  if (path.alsoKinds?.includes(kind)) return true;
  return (!path.families || path.families.includes(family)) && (!path.kinds || path.kinds.includes(kind));
}

/** A path meant for this endpoint's kind above all (per-endpoint invocations for custom models and agents). */
export function pathIsForKind(path: UpstreamPath, kind: EndpointKind): boolean {
  return path.kinds?.includes(kind) === true || path.alsoKinds?.includes(kind) === true;
}

/** The first path of a surface and dialect for a family's usual endpoints: where `doctor --quirks` probes. */
export function pathFor(surface: Surface, dialect: Dialect, family: Family): UpstreamPath | undefined {
  return UPSTREAM_PATHS.find((path) => path.surface === surface && path.dialect === dialect && pathServes(path, family, 'foundation'));
}
