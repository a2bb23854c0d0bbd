import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { CredentialScrubber } from '../secrets/scrubber.js';
import { isLoopback } from '../net/loopback.js';
import { readCachedWorkspace, writeCachedWorkspace } from '../state/catalog-cache.js';
import type { UpstreamClient } from '../upstream/client.js';
import { Catalog } from './catalog.js';
import { chooseSurface } from './surface-probe.js';
import type { Surface } from './surface.js';

/**
 * Whether this workspace's discovery is cached on disk. `auto` caches real
 * workspaces only: one on loopback is an emulator, whose catalog changes with
 * every start and is listed in a millisecond anyway.
 */
function cacheOn(setting: Config['catalog']['cache'], host: URL): boolean {
  return setting === 'on' || (setting === 'auto' && !isLoopback(host.hostname.replace(/^\[|\]$/g, '')));
}

/**
 * The surface and the catalog a starting proxy serves with. With a cached
 * discovery of this workspace (src/state/catalog-cache.ts) the proxy starts
 * on it at once and discovers again in the background; without one it
 * discovers first. Every discovery that succeeds is cached for the next start.
 */
export async function discoverWorkspace(
  config: Config,
  client: UpstreamClient,
  host: URL,
  logger: Logger,
  scrubber: CredentialScrubber,
): Promise<{ surface: Surface; catalog: Catalog }> {
  const caching = cacheOn(config.catalog.cache, host);
  const cached = caching ? readCachedWorkspace(host.origin) : undefined;
  const catalog = new Catalog(client, config.models, logger, scrubber);
  if (!cached) {
    const surface = await chooseSurface(config.surface, client, logger, scrubber);
    if (caching) catalog.onRefresh((entries) => writeCachedWorkspace(host.origin, surface, entries));
    await catalog.load();
    return { surface, catalog };
  }
  const surface = config.surface === 'auto' ? cached.surface : config.surface;
  catalog.seed(cached.entries);
  logger.info({ models: cached.entries.length, surface }, 'serving the cached catalog; discovering again in the background');
  // The surface is probed again for the next start; this run keeps the one it started with (routes fall back per model).
  let nextSurface = surface;
  catalog.onRefresh((entries) => writeCachedWorkspace(host.origin, nextSurface, entries));
  // chooseSurface never rejects (a failed probe means Model Serving); refresh() logs its own failure and keeps the list.
  void chooseSurface(config.surface, client, logger, scrubber).then((probed) => {
    nextSurface = probed;
    return catalog.refresh();
  });
  return { surface, catalog };
}
