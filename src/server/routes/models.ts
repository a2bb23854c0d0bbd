import type { FastifyInstance } from 'fastify';
import type { Workspace } from '../../databricks/workspace.js';

/**
 * `GET /v1/models` in OpenAI's list shape, or in Anthropic's when the request
 * carries `anthropic-version` (how the Anthropic SDK and Claude Code ask).
 */
export function registerModelRoutes(app: FastifyInstance, workspace: Workspace): void {
  app.get('/v1/models', async (request) => {
    const names = workspace.catalog.modelNames();
    if (request.headers['anthropic-version'] !== undefined) {
      const createdAt = new Date(0).toISOString();
      const data = names.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    }
    return { object: 'list', data: names.map((id) => ({ id, object: 'model', created: 0, owned_by: 'databricks' })) };
  });
}
