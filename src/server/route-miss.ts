import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InboundDialect } from '../dialects/dialect.js';
import { INBOUND } from '../dialects/inbound.js';
import { clipped } from '../errors/client-value.js';
import { ProxyError } from '../errors/proxy-error.js';

/**
 * Requests no route serves: 404 (405 when the path exists for other methods,
 * with `Allow`), in the dialect the path or headers name, with the code
 * `route_not_found` / `method_not_allowed`: a client must never read a route
 * miss as `model_not_found` and start guessing model names.
 */
export function registerRouteMisses(app: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', ({ url, method }) => {
    if (url === undefined) return;
    const methods = Array.isArray(method) ? method : [method];
    routes.push({ pattern: patternOf(url), methods });
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const shown = clipped(path);
    const allowed = [...new Set(routes.filter((route) => route.pattern.test(path)).flatMap((route) => route.methods))];
    const error =
      allowed.length > 0
        ? new ProxyError('invalid_request', `${request.method} is not served on ${shown}; use ${allowed.join(' or ')}`, { status: 405, code: 'method_not_allowed' })
        : new ProxyError('not_found', `No route ${request.method} ${shown}`, { code: 'route_not_found' });
    if (allowed.length > 0) void reply.header('allow', allowed.join(', '));
    await reply.code(error.status).send(INBOUND[requestDialect(request)].errorBody(error));
  });
}

/** A Fastify route URL (`/v1/models/:id`, `/v1beta/models/*`) as a pattern over request paths. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((piece) => (piece === '*' ? '.*' : piece.startsWith(':') ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * The dialect of a request, from its route, else from what it names: Google's
 * paths (`/v1beta`, `:generateContent`) and headers (`x-goog-api-key`,
 * `x-goog-api-client`, `?key=`), then `anthropic-version`, then OpenAI's.
 */
export function requestDialect(request: FastifyRequest): InboundDialect {
  const configured = request.routeOptions.config.dialect;
  if (configured) return configured;
  const { headers, url } = request;
  const path = url.split('?')[0] ?? '';
  const google =
    path.startsWith('/v1beta/') ||
    path === '/v1beta' ||
    /:[A-Za-z]+$/.test(path) ||
    headers['x-goog-api-key'] !== undefined ||
    headers['x-goog-api-client'] !== undefined ||
    /[?&]key=/.test(url);
  if (google) return 'gemini';
  return headers['anthropic-version'] !== undefined ? 'anthropic-messages' : 'openai-chat';
}
