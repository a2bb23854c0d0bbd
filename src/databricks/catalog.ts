import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { CatalogEntry } from './catalog-entry.js';
import { SERVING_ENDPOINTS_PATH, toCatalogEntries, type ServingEndpointSummary } from './discovery.js';
import { nearestNames } from './nearest-names.js';

export type Resolution =
  | { ok: true; entry: CatalogEntry }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'unknown'; suggestions: string[] };

/**
 * The workspace's chat-capable endpoints. Loaded once before the proxy
 * listens and then refreshed on a timer, so no request ever waits for
 * discovery.
 */
export class Catalog {
  private byName = new Map<string, CatalogEntry>();
  private timer: NodeJS.Timeout | undefined;
  private readonly refreshListeners: ((entries: readonly CatalogEntry[]) => void)[] = [];

  constructor(
    private readonly client: UpstreamClient,
    private readonly settings: Config['models'],
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    const { endpoints = [] } = await this.client.getJson<{ endpoints?: ServingEndpointSummary[] }>(SERVING_ENDPOINTS_PATH);
    this.byName = new Map(toCatalogEntries(endpoints).map((entry) => [entry.endpoint, entry]));
    for (const listener of this.refreshListeners) listener(this.entries());
  }

  /** Called with the entries of every listing that loaded. */
  onRefresh(listener: (entries: readonly CatalogEntry[]) => void): void {
    this.refreshListeners.push(listener);
  }

  /** Refresh every `seconds`; a failed refresh keeps the last good list. */
  startRefresh(seconds: number): void {
    this.timer = setInterval(() => {
      this.load().catch((error: unknown) => this.logger.warn({ err: String(error) }, 'catalog refresh failed; keeping the previous list'));
    }, seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  entries(): CatalogEntry[] {
    return [...this.byName.values()].sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  }

  /** Client-facing names: endpoints and aliases whose target exists. */
  modelNames(): string[] {
    const aliases = Object.keys(this.settings.aliases).filter((alias) => this.byName.has(this.settings.aliases[alias] ?? ''));
    return [...this.byName.keys(), ...aliases];
  }

  /**
   * The endpoint behind a client's model name: alias first, then the endpoint
   * itself. Claude Code's `[1m]` suffix is a client-side marker and is never
   * sent upstream.
   */
  resolve(requested: string | undefined): Resolution {
    const name = (requested || this.settings.default)?.replace(/\[1m\]$/, '');
    if (!name) return { ok: false, reason: 'missing' };
    const endpoint = this.settings.aliases[name] ?? (name === 'default' ? this.settings.default : undefined) ?? name;
    const entry = this.byName.get(endpoint);
    if (entry) return { ok: true, entry };
    return { ok: false, reason: 'unknown', suggestions: nearestNames(name, this.modelNames()) };
  }
}
