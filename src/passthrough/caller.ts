import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { ProxyError } from '../errors/proxy-error.js';
import { OPEN_ROUTES } from '../server/access.js';
import { presentedKeys } from '../server/api-keys.js';
import { withoutSecret } from '../secrets/scrubber.js';

/**
 * Who made a request. With passthrough auth (`server.passthroughAuth`) the
 * key a client sends is its own Databricks token (a PAT or an OAuth access
 * token), which goes upstream instead of the proxy's; with local API keys it
 * is one of those. Either way logs, metrics and usage name the caller by a
 * fingerprint of that key, never the key itself.
 */
export interface Caller {
  /** Stable across requests, restarts and replicas; not reversible (see fingerprint()). */
  fingerprint: string;
  /** The `Authorization` value to send upstream: passthrough mode only. */
  authorization?: string;
  /** The raw token, to scrub from anything an upstream echoes: passthrough mode only. */
  token?: string;
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
 * Names the caller of every request that passed access control (access.ts runs
 * first). In passthrough mode a request without a token is refused with a 401
 * in its dialect, except on OPEN_IN_PASSTHROUGH.
 */
export function registerCallerIdentity(app: FastifyInstance, config: Pick<Config, 'server'>): void {
  const passthrough = config.server.passthroughAuth;
  if (!passthrough && config.server.apiKeys.length === 0) return;
  app.addHook('onRequest', (request, _reply, done) => {
    if (OPEN_IN_PASSTHROUGH.has(`${request.method} ${request.routeOptions.url ?? ''}`)) {
      done();
      return;
    }
    // With local keys, access.ts already accepted one of these; the first names the caller.
    const [key] = presentedKeys(request.headers);
    if (key === undefined) {
      done(passthrough ? new ProxyError('authentication', MISSING_CALLER_TOKEN) : undefined);
      return;
    }
    request.caller = passthrough ? { fingerprint: fingerprint(key), authorization: `Bearer ${key}`, token: key } : { fingerprint: fingerprint(key) };
    done();
  });
}

/** Text with the caller's own token removed too (an upstream may echo the credential it was sent). */
export function withoutCallerToken(text: string, request: FastifyRequest | undefined): string {
  const token = request?.caller?.token;
  return token === undefined ? text : withoutSecret(text, token);
}
