import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { CatalogEntry } from './catalog-entry.js';
import type { CredentialScrubber } from '../secrets/scrubber.js';
import { Discovery } from './discovery-sources.js';
import { nearestNames } from './nearest-names.js';

export type Resolution =
  | { ok: true; entry: CatalogEntry }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'unknown'; suggestions: string[] };

/**
 * The workspace's chat-capable endpoints. Loaded once before the proxy
 * listens and then refreshed on a timer, so no request ever waits for
 * discovery. A refresh never makes things worse: a source that fails, or
 * lists nothing while it listed models before (a workspace answering an empty
 * 200 during an incident), keeps its last good answer and the reason is logged
 * (discovery-sources.ts). One refresh runs at a time, each call bounded by
 * upstream.controlPlaneTimeoutMs, so a listing that hangs cannot pile them up.
 */
export class Catalog {
  private byName = new Map<string, CatalogEntry>();
  /** Other names of the entries (a model service's `system.ai.` and short names). */
  private byAlias = new Map<string, CatalogEntry>();
  /** Every discovery source, each keeping its last good answer (discovery-sources.ts). */
  readonly discovery: Discovery;
  private timer: NodeJS.Timeout | undefined;
  private readonly refreshListeners: ((entries: readonly CatalogEntry[]) => void)[] = [];
  private refreshing: Promise<void> | undefined;
  /** Ends a listing in progress when the proxy closes. */
  private readonly closing = new AbortController();

  constructor(
    client: UpstreamClient,
    private readonly settings: Config['models'],
    private readonly logger: Logger,
    private readonly scrubber: CredentialScrubber,
  ) {
    this.discovery = new Discovery(client, logger, scrubber);
  }

  /** Lists every source; at start, a failure is the start's, and an empty catalog is taken (there is nothing better to keep) and logged. */
  async load(): Promise<void> {
    const entries = await this.discovery.discover(this.closing.signal);
    if (entries.length === 0) this.logger.warn('catalog is empty: the workspace lists no chat-capable model');
    this.seed(entries);
    for (const listener of this.refreshListeners) listener(this.entries());
  }

  /** Serve these entries (a cached discovery, src/databricks/cached-discovery.ts) until the next load. */
  seed(entries: readonly CatalogEntry[]): void {
    this.byName = new Map(entries.map((entry) => [entry.endpoint, entry]));
    this.byAlias = new Map(entries.flatMap((entry) => (entry.aliases ?? []).map((alias): [string, CatalogEntry] => [alias, entry])));
  }

  /** Called with the entries of every listing that loaded. */
  onRefresh(listener: (entries: readonly CatalogEntry[]) => void): void {
    this.refreshListeners.push(listener);
  }

  /** Lists again, unless a refresh is already running: then its outcome is shared. Never rejects. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load()
      .catch((error: unknown) => {
        if (!this.closing.signal.aborted) this.logger.warn({ err: this.scrubber.describe(error) }, 'catalog refresh failed; keeping the previous list');
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /** Refresh every `seconds`. */
  startRefresh(seconds: number): void {
    this.timer = setInterval(() => void this.refresh(), seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.closing.abort();
  }

  entries(): CatalogEntry[] {
    return [...this.byName.values()].sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  }

  /** Client-facing names: each model once (under the name clients should send), and configured aliases whose target exists. */
  modelNames(): string[] {
    const aliases = Object.keys(this.settings.aliases).filter((alias) => this.lookup(this.settings.aliases[alias] ?? ''));
    return [...[...this.byName.values()].map((entry) => entry.listedAs ?? entry.endpoint), ...aliases];
  }

  private lookup(name: string): CatalogEntry | undefined {
    return this.byName.get(name) ?? this.byAlias.get(name);
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
    const entry = this.lookup(endpoint);
    if (entry) return { ok: true, entry };
    return { ok: false, reason: 'unknown', suggestions: nearestNames(name, this.modelNames()) };
  }
}
