import type { Config } from '../../config/schema.js';
import type { CatalogEntry } from '../../databricks/catalog-entry.js';
import { FAMILIES, type Family } from '../../databricks/family.js';
import type { Surface } from '../../databricks/surface.js';
import { PREFERRED_UPSTREAM } from '../../routing/route-table.js';
import type { ProbeRoute, Repair } from '../types.js';

/** One probe to send: a repair's probe on one route. */
export interface ProbeJob {
  repair: Repair;
  route: ProbeRoute;
}

export interface ProbePlan {
  jobs: ProbeJob[];
  /** Repairs with no probe: they cannot be checked. */
  unprobed: Repair[];
  /** Repairs with a probe that no route of this workspace takes (no endpoint of their families or models, or no route in their dialects). */
  unrouted: Repair[];
}

/** The ready endpoints of each family, by name: a probe needs only one model of a family, the first that can show its quirk. */
export function endpointsPerFamily(entries: readonly CatalogEntry[]): Map<Family, string[]> {
  const byFamily = new Map<Family, string[]>();
  const ready = [...entries].filter((entry) => entry.ready).sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  for (const entry of ready) {
    const names = byFamily.get(entry.family);
    if (names) names.push(entry.endpoint);
    else byFamily.set(entry.family, [entry.endpoint]);
  }
  return byFamily;
}

/**
 * The routes the proxy takes (each family's preferred upstream, on each
 * surface in use) crossed with the repairs that apply there. Every registered
 * repair is probed, disabled ones too: the question is what the workspace
 * does, not what this configuration repairs.
 */
export function planProbes(repairs: readonly Repair[], endpoints: ReadonlyMap<Family, readonly string[]>, surfaces: readonly Surface[], config: Config): ProbePlan {
  const plan: ProbePlan = { jobs: [], unprobed: [], unrouted: [] };
  for (const repair of repairs) {
    if (!repair.probe) {
      plan.unprobed.push(repair);
      continue;
    }
    const { upstream: dialects, surfaces: onlySurfaces, families: onlyFamilies } = repair.appliesTo;
    const canShow = repair.probe.endpoint ?? (() => true);
    const before = plan.jobs.length;
    for (const surface of surfaces) {
      if (onlySurfaces && !onlySurfaces.includes(surface)) continue;
      for (const family of FAMILIES) {
        const endpoint = endpoints.get(family)?.find(canShow);
        const upstream = PREFERRED_UPSTREAM[family];
        if (endpoint === undefined || !dialects.includes(upstream) || (onlyFamilies && !onlyFamilies.includes(family))) continue;
        plan.jobs.push({ repair, route: { upstream, surface, family, endpoint, config } });
      }
    }
    if (plan.jobs.length === before) plan.unrouted.push(repair);
  }
  return plan;
}
