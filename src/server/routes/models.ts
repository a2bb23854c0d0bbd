import type { FastifyInstance, FastifyRequest } from 'fastify';
import { displayName } from '../../databricks/display-name.js';
import type { Workspace } from '../../databricks/workspace.js';
import { quoted } from '../../errors/client-value.js';
import { ProxyError } from '../../errors/proxy-error.js';
import { googleModelList, googleModelLookup, speaksGoogle } from './google-models.js';

/**
 * `GET /v1/models` and `GET /v1/models/{id}` in OpenAI's shape, or in
 * Anthropic's when the request carries `anthropic-version` (how the
 * Anthropic SDK and Claude Code ask). The workspace reports no creation
 * date, so the epoch stands in (Anthropic's schema allows it for an unknown
 * release date).
 */
export function registerModelRoutes(app: FastifyInstance, workspace: Workspace): void {
  app.get('/v1/models', async (request) => {
    if (speaksGoogle(request)) return googleModelList(workspace);
    const names = workspace.catalog.modelNames();
    if (wantsAnthropic(request)) {
      const data = names.map((id) => anthropicModel(id, readableName(workspace, id)));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    }
    return { object: 'list', data: names.map(openaiModel) };
  });

  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request) => {
    const { id } = request.params;
    if (speaksGoogle(request)) return googleModelLookup(workspace, id);
    const resolution = workspace.catalog.resolve(id);
    if (!resolution.ok) {
      const hint = resolution.reason === 'unknown' && resolution.suggestions.length ? ` Did you mean: ${resolution.suggestions.join(', ')}?` : '';
      throw new ProxyError('not_found', `The model ${quoted(id)} does not exist in this workspace (GET /v1/models lists them).${hint}`, { param: 'model' });
    }
    return wantsAnthropic(request) ? anthropicModel(id, readableName(workspace, id)) : openaiModel(id);
  });
}

function wantsAnthropic(request: FastifyRequest): boolean {
  return request.headers['anthropic-version'] !== undefined;
}

/** The workspace's display name for the model behind `id` (an alias reads its target's), else one made from the name. */
function readableName(workspace: Workspace, id: string): string {
  const resolution = workspace.catalog.resolve(id);
  return (resolution.ok ? resolution.entry.displayName : undefined) ?? displayName(id);
}

function anthropicModel(id: string, name: string) {
  return { type: 'model', id, display_name: name, created_at: new Date(0).toISOString() };
}

function openaiModel(id: string) {
  return { id, object: 'model', created: 0, owned_by: 'databricks' };
}
