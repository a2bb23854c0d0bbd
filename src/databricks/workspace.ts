import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import { ProxyError } from '../errors/proxy-error.js';
import { CredentialScrubber } from '../secrets/scrubber.js';
import { UpstreamClient, UpstreamHttpError } from '../upstream/client.js';
import { upstreamError } from '../upstream/upstream-error.js';
import { AuthStartupError, UpstreamAuth } from './auth.js';
import type { Catalog } from './catalog.js';
import { discoverWorkspace } from './cached-discovery.js';
import type { CatalogEntry } from './catalog-entry.js';
import { explainTlsFailure } from './tls-causes.js';
import type { Surface } from './surface.js';
import type { InboundDialect } from '../dialects/dialect.js';
import { planCandidates, type RouteCandidate } from '../routing/plan.js';
import { RouteMemory } from '../routing/route-memory.js';

/** Everything the proxy knows about one workspace: credentials, connection, surface, catalog, routes. */
export class Workspace {
  /** Which route last worked for each model that is not on its best one. */
  readonly routes: RouteMemory;
  /** Route candidates per catalog entry and inbound dialect: made once, a catalog refresh makes new entries. */
  private readonly candidates = new WeakMap<CatalogEntry, Map<InboundDialect, RouteCandidate[]>>();

  private constructor(
    readonly auth: UpstreamAuth,
    readonly client: UpstreamClient,
    readonly surface: Surface,
    readonly catalog: Catalog,
    recheckSeconds: number,
    /** Removes credentials from everything a workspace wrote before it reaches a client or a log (secrets/scrubber.ts). */
    readonly scrubber: CredentialScrubber,
  ) {
    this.routes = new RouteMemory(recheckSeconds * 1000);
    // A refresh that lists a model again re-checks its best route (one transient "not found" must not last).
    catalog.onRefresh((entries) => this.routes.forget(entries.map((entry) => entry.endpoint)));
  }

  get host(): string {
    return this.auth.host.origin;
  }

  /** The surfaces requests may use, the workspace's own first: a gateway workspace has Model Serving too. */
  get surfaces(): readonly Surface[] {
    return this.surface === 'ai-gateway' ? ['ai-gateway', 'model-serving'] : ['model-serving'];
  }

  /** The routes a request for this model may take, best first (src/routing/plan.ts). */
  routeCandidates(inbound: InboundDialect, entry: CatalogEntry): readonly RouteCandidate[] {
    let byInbound = this.candidates.get(entry);
    if (!byInbound) this.candidates.set(entry, (byInbound = new Map()));
    let candidates = byInbound.get(inbound);
    if (!candidates) byInbound.set(inbound, (candidates = planCandidates(inbound, entry, this.surfaces)));
    return candidates;
  }

  static async open(config: Config, logger: Logger): Promise<Workspace> {
    const scrubber = CredentialScrubber.forConfig(config);
    const auth = await UpstreamAuth.warm(config.databricks, { timeoutMs: config.upstream.controlPlaneTimeoutMs, scrubber });
    const client = new UpstreamClient(auth.host, auth, config.upstream);
    try {
      const { surface, catalog } = await discoverWorkspace(config, client, auth.host, logger, scrubber);
      catalog.startRefresh(config.catalog.refreshSeconds);
      logger.info({ host: auth.host.origin, auth: auth.method, surface, models: catalog.entries().length }, 'workspace ready');
      return new Workspace(auth, client, surface, catalog, config.routing.recheckSeconds, scrubber);
    } catch (error) {
      await client.close();
      throw explainStartFailure(error, auth, scrubber);
    }
  }

  async close(): Promise<void> {
    this.catalog.stop();
    await this.client.close();
  }
}

export function openWorkspace(config: Config, logger: Logger): Promise<Workspace> {
  return Workspace.open(config, logger);
}

/**
 * Why the start failed, in words a person can act on (a 401/403 while
 * loading the catalog means the credentials were refused, a TLS failure says
 * which), scrubbed: this message goes to stderr and may quote what the
 * workspace answered.
 */
function explainStartFailure(error: unknown, auth: UpstreamAuth, scrubber: CredentialScrubber): Error {
  const tls = explainTlsFailure(scrubber.describe(error), auth.host.origin);
  if (tls) return new Error(tls);
  if (error instanceof ProxyError) return scrubber.error(error);
  if (!(error instanceof UpstreamHttpError)) return new Error(scrubber.describe(error));
  const detail = scrubber.text(upstreamError(error.status, error.body).message);
  if (error.status === 401 || error.status === 403) {
    return new AuthStartupError(
      `Databricks rejected the credentials (HTTP ${error.status} from ${auth.host.origin}, auth method ${auth.method}): ${detail}. ` +
        'Fix: check the token or OAuth client, or run `databricks auth login` again.',
    );
  }
  return new Error(`Could not list the workspace's serving endpoints (HTTP ${error.status}): ${detail}`);
}
