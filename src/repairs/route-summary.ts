import type { Config } from '../config/schema.js';
import { FAMILIES, type Family } from '../databricks/family.js';
import type { Surface } from '../databricks/surface.js';
import type { Logger } from '../logging/logger.js';
import { PREFERRED_UPSTREAM } from '../routing/route-table.js';
import { activeRepairs } from './pipeline.js';
import { REPAIRS } from './registry.js';
import type { Repair } from './types.js';

/**
 * The repair ids active on each route the proxy can take, keyed
 * `<surface> <upstream dialect> <family>`: what the startup log shows, so a
 * user can see what will touch their requests before sending one.
 */
export function activeRepairsByRoute(
  config: Config,
  families: readonly Family[],
  surfaces: readonly Surface[],
  registry: readonly Repair[] = REPAIRS,
): Record<string, string[]> {
  const ordered = FAMILIES.filter((family) => families.includes(family));
  const routes: Record<string, string[]> = {};
  for (const surface of surfaces) {
    for (const family of ordered) {
      const upstream = PREFERRED_UPSTREAM[family];
      routes[`${surface} ${upstream} ${family}`] = activeRepairs({ upstream, surface, family }, config, registry).map((repair) => repair.id);
    }
  }
  return routes;
}

/**
 * One info line at start. The surfaces are the workspace's, plus Model
 * Serving when that is the gateway (an endpoint the gateway does not serve
 * falls back to it); the families are the catalog's.
 */
export function logActiveRepairs(config: Config, surface: Surface, families: readonly Family[], logger: Logger): void {
  if (config.repairs.bare) {
    logger.info({ bare: true }, 'repairs: all off (bare)');
    return;
  }
  const surfaces: Surface[] = surface === 'ai-gateway' ? ['ai-gateway', 'model-serving'] : [surface];
  const disabled = config.repairs.disable;
  logger.info({ ...(disabled.length > 0 ? { disabled } : {}), routes: activeRepairsByRoute(config, families, surfaces) }, 'repairs active per route');
}
