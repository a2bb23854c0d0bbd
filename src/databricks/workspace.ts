import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import { UpstreamClient, UpstreamHttpError } from '../upstream/client.js';
import { upstreamError } from '../upstream/upstream-error.js';
import { AuthStartupError, UpstreamAuth } from './auth.js';
import { Catalog } from './catalog.js';
import { chooseSurface } from './surface-probe.js';
import { otherSurface, type Surface } from './surface.js';

/** Everything the proxy knows about one workspace: credentials, connection, surface, catalog. */
export class Workspace {
  /** Endpoints the AI Gateway said it does not serve; they go to Model Serving from then on. */
  private readonly fellBack = new Set<string>();

  private constructor(
    readonly auth: UpstreamAuth,
    readonly client: UpstreamClient,
    readonly surface: Surface,
    readonly catalog: Catalog,
  ) {}

  get host(): string {
    return this.auth.host.origin;
  }

  /** The surface a request for this endpoint should use now. */
  surfaceFor(endpoint: string): Surface {
    return this.fellBack.has(endpoint) ? otherSurface(this.surface) : this.surface;
  }

  /** Remember that the gateway does not serve this endpoint. */
  fallBack(endpoint: string): Surface {
    this.fellBack.add(endpoint);
    return this.surfaceFor(endpoint);
  }

  static async open(config: Config, logger: Logger): Promise<Workspace> {
    const auth = await UpstreamAuth.warm(config.databricks);
    const client = new UpstreamClient(auth.host, auth, config.upstream);
    try {
      const surface = await chooseSurface(config.surface, client, logger);
      const catalog = new Catalog(client, config.models, logger);
      await catalog.load();
      catalog.startRefresh(config.catalog.refreshSeconds);
      logger.info({ host: auth.host.origin, auth: auth.method, surface, models: catalog.entries().length }, 'workspace ready');
      return new Workspace(auth, client, surface, catalog);
    } catch (error) {
      await client.close();
      throw explainStartFailure(error, auth);
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

/** A 401/403 while loading the catalog means the credentials were refused: say so, and how to fix it. */
function explainStartFailure(error: unknown, auth: UpstreamAuth): unknown {
  if (!(error instanceof UpstreamHttpError)) return error;
  const detail = upstreamError(error.status, error.body).message;
  if (error.status === 401 || error.status === 403) {
    return new AuthStartupError(
      `Databricks rejected the credentials (HTTP ${error.status} from ${auth.host.origin}, auth method ${auth.method}): ${detail}. ` +
        'Fix: check the token or OAuth client, or run `databricks auth login` again.',
    );
  }
  return new Error(`Could not list the workspace's serving endpoints (HTTP ${error.status}): ${detail}`);
}
