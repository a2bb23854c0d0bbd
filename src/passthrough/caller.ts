import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/schema.js';
import { ProxyError } from '../errors/proxy-error.js';
import { OPEN_ROUTES } from '../server/access.js';
import { presentedKeys } from '../server/api-keys.js';
import { withoutSecret } from '../secrets/scrubber.js';

/**
 * Who made a request, with passthrough auth (`server.passthroughAuth`): the
 * key a client sends is its own Databricks token (a PAT or an OAuth access
 * token), which goes upstream instead of the proxy's. Logs and the usage
 * history name the caller by a fingerprint of it, never the token. (Local API
 * keys have their own label, src/observability/key-label.ts.)
 */
export interface Caller {
  /** Stable across requests, restarts and replicas; not reversible (see fingerprint()). */
  fingerprint: string;
  /** The `Authorization` value to send upstream. */
  authorization: string;
  /** The raw token, to scrub from anything an upstream echoes. */
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** Length of the fingerprint's hex digest: 64 bits tell a team's callers apart and say nothing of the token. */
const FINGERPRINT_HEX = 16;

/**
 * A stable name for a secret: the start of its SHA-256. A Databricks token is
 * a long random string, so its hash cannot be reversed by guessing; no salt,
 * so every replica names the same caller the same way without sharing state.
 */
export function fingerprint(secret: string): string {
  return `caller-${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX)}`;
}

export const MISSING_CALLER_TOKEN =
  'This proxy sends each caller\'s own Databricks token to the workspace (passthrough auth), and this request carried none: ' +
  'send your Databricks personal access token or OAuth access token as your API key, as "Authorization: Bearer <token>" ' +
  '(OpenAI SDKs, Codex, opencode), "x-api-key: <token>" (Anthropic SDK, Claude Code) or "x-goog-api-key: <token>" (Google SDKs)';

/**
 * Routes a passthrough proxy answers without a caller token: the open probes,
 * and `/metrics`, which a cluster's Prometheus scrapes with no credential
 * (deploy/kubernetes/); it holds counts, never a token.
 */
const OPEN_IN_PASSTHROUGH: ReadonlySet<string> = new Set([...OPEN_ROUTES, 'GET /metrics']);

/**
 * In passthrough mode, names the caller of every request and keeps its token
 * for the upstream call; a request without one is refused with a 401 in its
 * dialect, except on OPEN_IN_PASSTHROUGH.
 */
export function registerCallerIdentity(app: FastifyInstance, config: Pick<Config, 'server'>): void {
  if (!config.server.passthroughAuth) return;
  app.addHook('onRequest', (request, _reply, done) => {
    if (OPEN_IN_PASSTHROUGH.has(`${request.method} ${request.routeOptions.url ?? ''}`)) {
      done();
      return;
    }
    const [token] = presentedKeys(request.headers, request.query);
    if (token === undefined) {
      done(new ProxyError('authentication', MISSING_CALLER_TOKEN));
      return;
    }
    request.caller = { fingerprint: fingerprint(token), authorization: `Bearer ${token}`, token };
    done();
  });
}
