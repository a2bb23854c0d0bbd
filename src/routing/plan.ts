import { INBOUND_DIALECTS, type Dialect, type InboundDialect } from '../dialects/dialect.js';
import type { Family } from '../databricks/family.js';
import { UPSTREAM_PATHS, type Surface } from '../databricks/surface.js';
import { PREFERRED_UPSTREAM } from './route-table.js';

export type RouteMode = 'passthrough' | 'translate';

/** How one inbound request reaches its upstream. Built from tables, never on a chain of ifs. */
export interface RoutePlan {
  inbound: InboundDialect;
  family: Family;
  surface: Surface;
  mode: RouteMode;
  upstream: Dialect;
}

export function planRoute(inbound: InboundDialect, family: Family, surface: Surface): RoutePlan {
  const upstream = PREFERRED_UPSTREAM[family];
  return { inbound, family, surface, upstream, mode: upstream === inbound ? 'passthrough' : 'translate' };
}

/** The upstream path of a plan for one endpoint. */
export function upstreamPath(plan: RoutePlan, endpoint: string, stream: boolean): string {
  return UPSTREAM_PATHS[plan.surface][plan.upstream](endpoint, stream);
}

/** Which upstream dialect serves each inbound API for a family: what `dbx-proxy models` prints. */
export function describeRoutes(family: Family, surface: Surface): Record<InboundDialect, RoutePlan> {
  return Object.fromEntries(INBOUND_DIALECTS.map((inbound) => [inbound, planRoute(inbound, family, surface)])) as Record<
    InboundDialect,
    RoutePlan
  >;
}
