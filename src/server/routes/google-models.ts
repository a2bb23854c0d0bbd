import type { FastifyRequest } from 'fastify';
import { displayName } from '../../databricks/display-name.js';
import type { Workspace } from '../../databricks/workspace.js';
import { quoted } from '../../errors/client-value.js';
import { ProxyError } from '../../errors/proxy-error.js';

/**
 * The model list and lookup in Google's shape (`GET /v1beta/models`,
 * `GET /v1beta/models/{model}`; and under `/v1` for a Google client):
 * `name` is `models/<id>`. The workspace declares no token limits, so
 * `inputTokenLimit` and `outputTokenLimit` are left out rather than invented;
 * every model of the workspace takes the three methods the proxy serves.
 */
const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'];

/** Google's clients name themselves: `x-goog-api-key`, `?key=`, or the SDK's `x-goog-api-client`. */
export function speaksGoogle(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  return request.headers['x-goog-api-key'] !== undefined || request.headers['x-goog-api-client'] !== undefined || query?.key !== undefined;
}

/** `models/x`, `models/models/x` → `x` (a client may add the prefix once more than the path does). */
export function bareModelName(name: string): string {
  return name.replace(/^(?:models\/)+/, '');
}

export function googleModelList(workspace: Workspace): { models: unknown[] } {
  return { models: workspace.catalog.modelNames().map((id) => googleModel(workspace, id)) };
}

export function googleModelLookup(workspace: Workspace, requested: string): unknown {
  const id = bareModelName(requested);
  const resolution = workspace.catalog.resolve(id);
  if (!resolution.ok) {
    const hint = resolution.reason === 'unknown' && resolution.suggestions.length ? ` Did you mean: ${resolution.suggestions.join(', ')}?` : '';
    throw new ProxyError('not_found', `The model ${quoted(id)} does not exist in this workspace (GET /v1beta/models lists them).${hint}`, { param: 'model' });
  }
  return googleModel(workspace, id);
}

function googleModel(workspace: Workspace, id: string) {
  const resolution = workspace.catalog.resolve(id);
  const name = (resolution.ok ? resolution.entry.displayName : undefined) ?? displayName(id);
  return { name: `models/${id}`, baseModelId: id, version: '001', displayName: name, description: `${name}, served by the Databricks workspace`, supportedGenerationMethods: METHODS };
}
