import type { FastifyInstance } from 'fastify';
import type { Workspace } from '../databricks/workspace.js';
import type { Readiness } from './readiness.js';

/** The health checks themselves, which a monitor sends every few seconds: not "requests served". */
const PROBE_ROUTES: ReadonlySet<string> = new Set(['/health', '/ready']);

/**
 * `GET /health`: liveness only (the process answers), with what it serves,
 * since when, and how many requests it answered (`dbx-proxy status` shows
 * them). `GET /ready`: 200 when a request can succeed now, else 503 with the
 * reasons (readiness.ts). Both say whether this is the demo workspace, so a
 * monitor can never mistake the scripted models for a real workspace.
 */
export function registerHealthRoutes(app: FastifyInstance, workspace: Workspace, readiness: Readiness, demo: boolean): void {
  const started = performance.now();
  let requests = 0;
  app.addHook('onResponse', (request, _reply, done) => {
    if (!PROBE_ROUTES.has(request.routeOptions.url ?? '')) requests += 1;
    done();
  });
  // `surface` is also how `dbx-proxy run` recognises a dbx-proxy on a port (src/daemon/probe.ts).
  app.get('/health', async () => ({
    status: 'ok',
    demo,
    workspace: workspace.host,
    surface: workspace.surface,
    models: workspace.catalog.entries().length,
    uptimeSeconds: Math.round((performance.now() - started) / 1000),
    requests,
  }));
  app.get('/ready', async (_request, reply) => {
    const report = readiness.report();
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not ready', demo, ...report });
  });
}
