import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import type { InboundDialect } from '../dialects/dialect.js';
import { INBOUND } from '../dialects/inbound.js';
import type { Workspace } from '../databricks/workspace.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { Logger } from '../logging/logger.js';
import type { ProxyContext } from './forward.js';
import { registerInferenceRoutes } from './routes/inference.js';
import { registerModelRoutes } from './routes/models.js';
import { toProxyError } from './to-proxy-error.js';

export interface AppOptions {
  config: Config;
  workspace: Workspace;
  logger: Logger;
  version: string;
}

/** The proxy's HTTP surface. Every error leaves in the dialect of the route it came through. */
export function buildApp({ config, workspace, logger, version }: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by our one summary line (onRequest hook below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    // No type coercion: a string where a number belongs is a client error, not something to guess at.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
  });
  const context: ProxyContext = { config, workspace, userAgent: `dbx-proxy/${version}` };

  app.setErrorHandler(async (error, request, reply) => {
    const proxyError = toProxyError(error);
    const dialect = dialectOf(request.routeOptions.config.dialect, request.headers);
    if (proxyError.kind === 'internal') request.log.error({ err: error }, 'request failed');
    if (proxyError.retryAfter) void reply.header('retry-after', proxyError.retryAfter);
    await reply.code(proxyError.status).send(INBOUND[dialect].errorBody(proxyError));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const error = new ProxyError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
    await reply.code(404).send(INBOUND[dialectOf(undefined, request.headers)].errorBody(error));
  });

  // One summary line per request, secrets never included (only the path, never the headers).
  app.addHook('onRequest', async (request, reply) => {
    const started = performance.now();
    reply.raw.once('close', () => {
      request.log.info(
        { method: request.method, path: request.url.split('?')[0], status: reply.raw.statusCode, ms: Math.round(performance.now() - started), ...request.summary },
        'request',
      );
    });
  });

  // Claude Code probes the base URL with `HEAD /` before its first call.
  app.head('/', async (_request, reply) => reply.code(200).send());
  app.get('/health', async () => ({ status: 'ok', surface: workspace.surface, models: workspace.catalog.entries().length }));
  registerModelRoutes(app, workspace);
  registerInferenceRoutes(app, context);
  return app;
}

/** Routes without a dialect (404s) answer like Anthropic when the client announced itself as one. */
function dialectOf(configured: InboundDialect | undefined, headers: Record<string, unknown>): InboundDialect {
  return configured ?? (headers['anthropic-version'] !== undefined ? 'anthropic-messages' : 'openai-chat');
}
