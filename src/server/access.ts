import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { ProxyError } from '../errors/proxy-error.js';
import { isLoopbackHostHeader } from '../net/host-header.js';
import { isLoopback } from '../net/loopback.js';
import { normalizeOrigin } from '../net/origin.js';
import { createKeyMatcher, presentedKeys } from './api-keys.js';

/**
 * Who may spend the user's Databricks credentials through this proxy: the
 * user's own clients, nothing else. Three checks, in order, before any body is
 * read (an `onRequest` hook):
 *
 * 1. **Host** (bound to loopback only): a web page can point a DNS name it
 *    controls at 127.0.0.1 (DNS rebinding) and then read our answers as
 *    same-origin; its requests still carry its own name in `Host`, so any Host
 *    that is not a loopback name is refused. Bound elsewhere, the proxy is
 *    reached under names we cannot know (a container name, a LAN address, a
 *    Kubernetes Service), so Host is not restricted there: the API keys that
 *    such a binding requires protect it instead, and a rebinding page cannot
 *    know a key.
 * 2. **Origin**: browsers send it on cross-origin requests (and on every
 *    POST); SDKs, agents and curl do not. A request carrying one is refused
 *    unless `server.allowedOrigins` lists it. CORS alone would not do: a
 *    browser sends a "simple" cross-origin POST without asking first and only
 *    hides the answer, after the credentials were spent.
 * 3. **API key**, when `server.apiKeys` is set: on every route except the
 *    probes `HEAD /` and `GET /health`.
 *
 * Failures are ProxyErrors, so the error handler answers them in the route's
 * dialect (403 permission, 401 authentication).
 */

/** Routes open without a key: Claude Code's base-URL probe and the health checks reveal nothing worth a key (orchestrators probe without one). */
export const OPEN_ROUTES: ReadonlySet<string> = new Set(['HEAD /', 'GET /health', 'GET /ready']);

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';
const PREFLIGHT_METHODS = 'GET, HEAD, POST, OPTIONS';

export function registerAccessControl(app: FastifyInstance, config: Pick<Config, 'listen' | 'server'>): void {
  const restrictHost = isLoopback(config.listen);
  const allowedOrigins = new Set(config.server.allowedOrigins.map((origin) => normalizeOrigin(origin) ?? origin));
  const keyMatches = config.server.apiKeys.length > 0 ? createKeyMatcher(config.server.apiKeys) : undefined;

  // A callback hook, not an async one: it runs on every request (see app.ts).
  app.addHook('onRequest', (request, reply, done) => {
    if (restrictHost && !isLoopbackHostHeader(request.headers.host)) {
      done(new ProxyError('permission', 'This proxy answers only requests addressed to localhost, 127.0.0.1 or [::1] (Host header refused)'));
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!allowedOrigins.has(normalizeOrigin(origin) ?? origin)) {
        done(new ProxyError('permission', 'Requests from web pages are refused; list the page origin in server.allowedOrigins to allow it'));
        return;
      }
      void reply.header('access-control-allow-origin', origin).header('vary', 'origin');
      // A preflight carries no credentials by design: answer it before the key check (answered here, so no `done`).
      if (isPreflight(request)) {
        answerPreflight(request, reply);
        return;
      }
    }
    done(keyMatches && !OPEN_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`) ? keyFailure(request, keyMatches) : undefined);
  });
}

/** Why the request's API keys are refused, or undefined when one of them is accepted. */
function keyFailure(request: FastifyRequest, keyMatches: (key: string) => boolean): ProxyError | undefined {
  const keys = presentedKeys(request.headers, request.query);
  if (keys.length === 0) {
    // Worded without a "Bearer <value>" example: the error scrubber would redact it as if it were a credential.
    return new ProxyError(
      'authentication',
      "Missing API key: this dbx-proxy requires one of its server.apiKeys. Fix: give the client that key as its API key (OPENAI_API_KEY, ANTHROPIC_API_KEY or the SDK's apiKey); it travels in the authorization, x-api-key or x-goog-api-key header.",
    );
  }
  // Every presented key is checked (no short circuit), so timing does not tell which header was wrong.
  const accepted = keys.map(keyMatches).includes(true);
  return accepted
    ? undefined
    : new ProxyError('authentication', "Invalid API key: it is not one of this dbx-proxy's server.apiKeys. Fix: use a key listed in server.apiKeys (or DBX_PROXY_API_KEYS) where the proxy runs.");
}

function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/** The CORS preflight answer for an allowed origin: any method we serve, the headers it asks for. */
function answerPreflight(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const asked = request.headers['access-control-request-headers'];
  void reply
    .code(204)
    .header('access-control-allow-methods', PREFLIGHT_METHODS)
    .header('access-control-max-age', PREFLIGHT_MAX_AGE)
    .header('vary', 'origin, access-control-request-headers');
  // The origin is one the user listed: it may send whatever headers its client needs (keys, anthropic-*, x-stainless-*).
  if (typeof asked === 'string' && asked !== '') void reply.header('access-control-allow-headers', asked);
  return reply.send();
}
