import type { CatalogEntry } from './catalog-entry.js';
import { serviceNamesOf } from './model-services.js';

/**
 * One entry per model from every source's list, in source order (serving
 * endpoints, then foundation-model API types, then model services). A later
 * source's entry for the same model adds what it declares: API types and
 * dialects, aliases, a family when the earlier entry knew none. A model
 * service is the same model as the serving endpoint whose name it carries
 * (`system.ai.claude-x` and `databricks-claude-x`: the LIST answer has no
 * routing destinations, reference §3.3, so names are all there is).
 */
export function mergeEntries(lists: readonly (readonly CatalogEntry[])[]): CatalogEntry[] {
  const merged = new Map<string, CatalogEntry>();
  const byServiceName = new Map<string, string>();
  for (const list of lists) {
    for (const entry of list) {
      const target = merged.get(entry.endpoint) ?? merged.get(byServiceName.get(entry.endpoint) ?? '');
      if (!target) {
        merged.set(entry.endpoint, { ...entry });
        for (const name of serviceNamesOf(entry.endpoint)) byServiceName.set(name, entry.endpoint);
        continue;
      }
      merged.set(target.endpoint, combine(target, entry));
    }
  }
  return [...merged.values()];
}

function combine(known: CatalogEntry, more: CatalogEntry): CatalogEntry {
  const union = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] | undefined =>
    a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined;
  const sameName = more.endpoint === known.endpoint;
  const combined: CatalogEntry = {
    ...known,
    family: known.family === 'other' ? more.family : known.family,
    // A serving endpoint answers on both surfaces, whatever a model service says.
    onGatewayOnly: known.onGatewayOnly === true && more.onGatewayOnly === true,
  };
  const aliases = union(known.aliases, sameName ? more.aliases : [more.endpoint, ...(more.aliases ?? [])]);
  const apiTypes = union(known.apiTypes, more.apiTypes);
  const dialects = union(known.dialects, more.dialects);
  const sources = union(known.sources, more.sources);
  if (aliases) combined.aliases = aliases;
  if (apiTypes) combined.apiTypes = apiTypes;
  if (dialects) combined.dialects = dialects;
  if (sources) combined.sources = sources;
  if (!combined.onGatewayOnly) delete combined.onGatewayOnly;
  return combined;
}
