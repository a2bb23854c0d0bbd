import type { FastifyInstance } from 'fastify';
import type { Workspace } from '../databricks/workspace.js';
import type { Readiness } from './readiness.js';

/**
 * `GET /health`: liveness only (the process answers), with what it serves.
 * `GET /ready`: 200 when a request can succeed now, else 503 with the reasons
 * (readiness.ts). Both say whether this is the demo workspace, so a monitor
 * can never mistake the scripted models for a real workspace.
 */
export function registerHealthRoutes(app: FastifyInstance, workspace: Workspace, readiness: Readiness, demo: boolean): void {
  // `surface` is also how `dbx-proxy run` recognises a dbx-proxy on a port (src/cli/run-proxy.ts).
  app.get('/health', async () => ({ status: 'ok', demo, surface: workspace.surface, models: workspace.catalog.entries().length }));
  app.get('/ready', async (_request, reply) => {
    const report = readiness.report();
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not ready', demo, ...report });
  });
}
