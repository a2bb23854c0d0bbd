import type { Dialect } from '../dialects/dialect.js';

/**
 * The two inference surfaces of a workspace: the AI Gateway (`/ai-gateway/...`)
 * and Model Serving (`/serving-endpoints/...`).
 */
export const SURFACES = ['ai-gateway', 'model-serving'] as const;
export type Surface = (typeof SURFACES)[number];
export type SurfaceSetting = Surface | 'auto';

export function otherSurface(surface: Surface): Surface {
  return surface === 'ai-gateway' ? 'model-serving' : 'ai-gateway';
}

/**
 * Where each upstream dialect lives on each surface. Gemini puts the model in
 * the path and the streaming flag in the method name, so its entries are
 * functions; the others carry the endpoint name as `model` in the body.
 * Source: reference/databricks.md §2.2 and §3.2.
 */
export interface UpstreamPath {
  (endpoint: string, stream: boolean): string;
}

const fixed = (path: string): UpstreamPath => () => path;
const gemini =
  (prefix: string): UpstreamPath =>
  (endpoint, stream) =>
    stream
      ? `${prefix}/v1beta/models/${encodeURIComponent(endpoint)}:streamGenerateContent?alt=sse`
      : `${prefix}/v1beta/models/${encodeURIComponent(endpoint)}:generateContent`;

export const UPSTREAM_PATHS: Record<Surface, Record<Dialect, UpstreamPath>> = {
  'ai-gateway': {
    'anthropic-messages': fixed('/ai-gateway/anthropic/v1/messages'),
    'openai-responses': fixed('/ai-gateway/codex/v1/responses'),
    'openai-chat': fixed('/ai-gateway/mlflow/v1/chat/completions'),
    gemini: gemini('/ai-gateway/gemini'),
  },
  'model-serving': {
    'anthropic-messages': fixed('/serving-endpoints/anthropic/v1/messages'),
    'openai-responses': fixed('/serving-endpoints/responses'),
    'openai-chat': fixed('/serving-endpoints/chat/completions'),
    gemini: gemini('/serving-endpoints/gemini'),
  },
};

/** The AI Gateway model listing; a 2xx answer means the workspace has the gateway. */
export const GATEWAY_PROBE_PATH = '/ai-gateway/anthropic/v1/models';
