/**
 * The two inference surfaces of a workspace: the AI Gateway (`/ai-gateway/...`)
 * and Model Serving (`/serving-endpoints/...`).
 */
export const SURFACES = ['ai-gateway', 'model-serving'] as const;
export type Surface = (typeof SURFACES)[number];
export type SurfaceSetting = Surface | 'auto';

/** The AI Gateway model listing; a 2xx answer means the workspace has the gateway. */
export const GATEWAY_PROBE_PATH = '/ai-gateway/anthropic/v1/models';
