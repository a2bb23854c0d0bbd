import { INBOUND_DIALECTS, type Dialect, type InboundDialect } from '../dialects/dialect.js';
import type { CatalogEntry } from '../databricks/catalog-entry.js';
import type { Family } from '../databricks/family.js';
import type { Surface } from '../databricks/surface.js';
import { FAMILY_DIALECTS, PREFERRED_UPSTREAM } from './route-table.js';
import { pathFor, pathIsForKind, pathServes, UPSTREAM_PATHS, type UpstreamPath } from './upstream-paths.js';

export type RouteMode = 'passthrough' | 'translate';

/** How one inbound request reaches its upstream on one path. Built from tables, never on a chain of ifs. */
export interface RoutePlan {
  inbound: InboundDialect;
  family: Family;
  surface: Surface;
  mode: RouteMode;
  upstream: Dialect;
}

/** One route a request may take: a plan on one documented path. */
export interface RouteCandidate extends RoutePlan {
  path: UpstreamPath;
}

export function planRoute(inbound: InboundDialect, family: Family, surface: Surface, upstream = PREFERRED_UPSTREAM[family]): RoutePlan {
  return { inbound, family, surface, upstream, mode: upstream === inbound ? 'passthrough' : 'translate' };
}

/**
 * The routes a request for this model may take, in the order that loses
 * least: each dialect the model speaks (its declarations, else its family's,
 * best first), and for each dialect its paths on each surface the workspace
 * has (its own surface first). The sender tries them in turn while the
 * answer is "not served here" (route-walk.ts); the route memory may put the
 * one that worked last in front (route-memory.ts).
 */
export function planCandidates(inbound: InboundDialect, entry: CatalogEntry, surfaces: readonly Surface[]): RouteCandidate[] {
  const preference = FAMILY_DIALECTS[entry.family];
  const declared = entry.dialects;
  // Declared dialects in the family's order of preference, then any the family does not list.
  const dialects = declared ? [...preference.filter((dialect) => declared.includes(dialect)), ...declared.filter((dialect) => !preference.includes(dialect))] : preference;
  // A model service alone (no serving endpoint) is served by the gateway only.
  const usable = entry.onGatewayOnly ? surfaces.filter((surface) => surface === 'ai-gateway') : surfaces;
  // Within a surface and dialect, the paths the model declares or its kind calls for come first
  // (a gateway without `codex/v1` declares `openai/v1/responses`; a custom model has its own invocations path).
  const preferred = (path: UpstreamPath) => declaresPath(entry, path) || pathIsForKind(path, entry.kind);
  const declaredFirst = (a: UpstreamPath, b: UpstreamPath) => Number(!preferred(a)) - Number(!preferred(b));
  return dialects.flatMap((upstream) =>
    usable.flatMap((surface) =>
      UPSTREAM_PATHS.filter((path) => path.surface === surface && path.dialect === upstream && pathServes(path, entry.family, entry.kind))
        .sort(declaredFirst)
        .map((path): RouteCandidate => ({ ...planRoute(inbound, entry.family, surface, upstream), path })),
    ),
  );
}

function declaresPath(entry: CatalogEntry, path: UpstreamPath): boolean {
  return path.apiType !== undefined && entry.apiTypes?.includes(path.apiType) === true;
}

/** The upstream path of a plan for one endpoint (the first path of its surface and dialect). */
export function upstreamPath(plan: Pick<RoutePlan, 'surface' | 'upstream' | 'family'>, endpoint: string, stream: boolean): string {
  return (pathFor(plan.surface, plan.upstream, plan.family) ?? UPSTREAM_PATHS[0]!).url(endpoint, stream);
}

/**
 * Which upstream dialect serves each inbound API for a family: what `dbx-proxy
 * models` prints. With the model's catalog entry, its own first route on that
 * surface (what it declares counts); without, its family's.
 */
export function describeRoutes(family: Family, surface: Surface, entry?: CatalogEntry): Record<InboundDialect, RoutePlan> {
  const planFor = (inbound: InboundDialect): RoutePlan => (entry && planCandidates(inbound, entry, [surface])[0]) || planRoute(inbound, family, surface);
  return Object.fromEntries(INBOUND_DIALECTS.map((inbound) => [inbound, planFor(inbound)])) as Record<InboundDialect, RoutePlan>;
}
