import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { INBOUND } from '../dialects/inbound.js';
import type { Workspace } from '../databricks/workspace.js';
import { clipped } from '../errors/client-value.js';
import { registerHealthRoutes } from '../health/routes.js';
import type { Readiness } from '../health/readiness.js';
import type { Logger } from '../logging/logger.js';
import type { Observability } from '../observability/observability.js';
import { requestIdOf } from '../observability/request-id.js';
import type { ProxyContext } from './forward.js';
import { shutdownError, type InFlight } from './in-flight.js';
import { registerCallerIdentity } from '../passthrough/caller.js';
import { registerAccessControl } from './access.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerCountTokenRoutes } from './routes/count-tokens.js';
import { registerGeminiRoutes } from './routes/gemini.js';
import { registerInferenceRoutes } from './routes/inference.js';
import { registerModelRoutes } from './routes/models.js';
import { registerRouteMisses, requestDialect } from './route-miss.js';
import { toProxyError } from './to-proxy-error.js';

export interface AppOptions {
  config: Config;
  workspace: Workspace;
  logger: Logger;
  version: string;
  /** The running inference requests, which a shutdown drains (start.ts). */
  inFlight: InFlight;
  /** Whether the workspace still answers, for GET /ready (src/health/). */
  readiness: Readiness;
  /** The readers of each request's summary: log line, metrics, history, traces, status page (src/observability/). */
  observability: Observability;
}

/** The proxy's HTTP surface. Every error leaves in the dialect of the route it came through. */
export function buildApp({ config, workspace, logger, version, inFlight, readiness, observability }: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by our one summary line (onRequest hook below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    // No type coercion: a string where a number belongs is a client error, not something to guess at.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    // Requests arriving during a shutdown get their 503 in their own dialect (hook below), not Fastify's body.
    return503OnClosing: false,
    // The client's x-request-id when it is a sane one, else a fresh id (request-id.ts); pino puts it on every line as reqId.
    genReqId: requestIdOf,
  });
  // Relayed upstream messages may echo a credential; none reaches a client or a log (secrets/scrubber.ts).
  const { scrubber } = workspace;
  const scrubText = (text: string): string => scrubber.text(text);
  const context: ProxyContext = { config, workspace, userAgent: `dbx-proxy/${version}`, inFlight, scrubText, observability };
  // JSON bodies nested too deeply are refused before anything walks them (json-body.ts).
  registerJsonBodyParser(app);

  app.setErrorHandler(async (error, request, reply) => {
    const proxyError = scrubber.error(toProxyError(error), request.caller?.token);
    const dialect = requestDialect(request);
    if (proxyError.kind === 'internal') request.log.error({ err: scrubber.loggable(error) }, 'request failed');
    // The summary line says why, so whoever runs the proxy sees it too (a refused Databricks credential above all).
    if (request.summary) Object.assign(request.summary, { error: proxyError.message, errorKind: proxyError.kind });
    if (proxyError.retryAfter) void reply.header('retry-after', proxyError.retryAfter);
    await reply.code(proxyError.status).send(INBOUND[dialect].errorBody(proxyError));
  });
  // 404 and 405 in the dialect the request names (route-miss.ts); it watches every route registered below.
  registerRouteMisses(app);

  // Callback-style hooks (here and in access.ts): every request runs them, and an async hook costs a promise and a turn of the microtask queue.
  app.addHook('onRequest', (request, reply, done) => {
    // One summary per request, for the log line and every other reader (src/observability/); secrets never included.
    const started = performance.now();
    observability.begin(request, reply);
    reply.raw.once('close', () => {
      // A client that leaves mid-stream closes the response before the relay has noted what it saw: wait for it.
      const finish = (): void => observability.finish(request, reply, started);
      if (request.settled) request.settled.then(finish, finish);
      else finish();
    });
    // Shutting down: refuse new work (start.ts marks the response `Connection: close`).
    done(inFlight.closing ? shutdownError() : undefined);
  });

  // Host, Origin and local API keys, before any body is read (access.ts).
  registerAccessControl(app, config);
  // Passthrough auth: who is calling (a fingerprint for the logs) and the token that goes upstream (src/passthrough/).
  registerCallerIdentity(app, config);

  // Claude Code probes the base URL with `HEAD /` before its first call.
  app.head('/', async (_request, reply) => reply.code(200).send());
  registerHealthRoutes(app, workspace, readiness, config.demo);
  registerModelRoutes(app, workspace);
  observability.registerRoutes(app);
  registerInferenceRoutes(app, context);
  registerCountTokenRoutes(app, context);
  registerGeminiRoutes(app, context);
  return app;
}
